import type { Prisma, PrismaClient } from '@gx/migrations';

/**
 * A client that runs everything in the enclosing transaction `tx`, including the
 * `$transaction(...)` calls of use-cases that open their own (createResource,
 * updateResource): those join `tx` instead of opening a second, independent transaction.
 *
 * Why: an import writes many resources and must be all or nothing, and it must write each of
 * them exactly as the API does (authorization, code assignment under the provider lock,
 * history entry, search document). Reusing the use-cases inside one transaction gives both
 * without copying them. The cleaner form is an optional `tx` option on those use-cases; until
 * they have one, this adapter is the seam.
 *
 * Limits: nested `$transaction` options (isolation level, timeout) are ignored — the enclosing
 * transaction's apply — and a failure anywhere rolls back everything, which is the point.
 */
export function joinTransaction(tx: Prisma.TransactionClient): PrismaClient {
  const nested = async (work: unknown) => {
    if (typeof work === 'function') return (work as (client: typeof tx) => unknown)(tx);
    // batch form: the queries were built on this client, so they already belong to `tx`
    const results: unknown[] = [];
    for (const query of work as Promise<unknown>[]) results.push(await query);
    return results;
  };
  return new Proxy(tx, {
    get(target, property) {
      if (property === '$transaction') return nested;
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  }) as unknown as PrismaClient;
}
