import type { Prisma } from '@gx/migrations';
import { buildSearchDocument, type SearchableResource } from './searchDocument.ts';

export type { SearchableResource } from './searchDocument.ts';

/**
 * Rebuild a resource's full-text document (see buildSearchDocument). Weights: name A;
 * keywords, department and theme B; abstract and field labels C.
 */
export async function updateSearchDocument(
  tx: Prisma.TransactionClient,
  r: SearchableResource,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE resources SET search_document = ${buildSearchDocument(r)}::tsvector
     WHERE id = ${r.id}::uuid`;
}
