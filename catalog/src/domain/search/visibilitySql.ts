import { Prisma } from '@gx/migrations';

/** Columns the visibility rules name, with their SQL on `resources r`. */
const COLUMNS: Record<string, { sql: string; type: string }> = {
  status: { sql: 'r.status', type: 'resource_status' },
  openType: { sql: 'r.open_type', type: 'open_type' },
  sharingType: { sql: 'r.sharing_type', type: 'sharing_type' },
};

function untranslatable(what: string): never {
  // a programming error, not bad input: visibility.ts grew a rule the search cannot say yet
  throw new Error(`visibility rule ${what} has no SQL translation in visibilitySql.ts`);
}

function valueCondition(column: { sql: string; type: string }, value: unknown): Prisma.Sql {
  const raw = Prisma.raw(column.sql);
  const type = Prisma.raw(`${column.type}[]`);
  if (typeof value === 'string') return Prisma.sql`${raw} = ANY(${[value]}::${type})`;
  if (value && typeof value === 'object') {
    const { in: values, equals, ...rest } = value as { in?: unknown; equals?: unknown };
    if (Object.keys(rest).length > 0) untranslatable(JSON.stringify(value));
    if (Array.isArray(values)) return Prisma.sql`${raw} = ANY(${values}::${type})`;
    if (typeof equals === 'string') return Prisma.sql`${raw} = ANY(${[equals]}::${type})`;
  }
  return untranslatable(JSON.stringify(value));
}

/**
 * The caller's visibility (visibility.ts, a Prisma filter) as SQL over `resources r`, so that
 * the full-text search shows exactly what the rest of the catalog shows. Throws on any shape it does not know rather than guess: a search that fails
 * is better than one that leaks.
 */
export function visibilitySql(where: Prisma.ResourceWhereInput): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'OR') {
      const list = (Array.isArray(value) ? value : [value]) as Prisma.ResourceWhereInput[];
      if (list.length === 0) {
        parts.push(key === 'AND' ? Prisma.sql`TRUE` : Prisma.sql`FALSE`);
        continue;
      }
      const joined = Prisma.join(
        list.map((w) => Prisma.sql`(${visibilitySql(w)})`),
        key === 'AND' ? ' AND ' : ' OR ',
      );
      parts.push(Prisma.sql`(${joined})`);
    } else if (key === 'NOT') {
      const list = (Array.isArray(value) ? value : [value]) as Prisma.ResourceWhereInput[];
      for (const w of list) parts.push(Prisma.sql`NOT (${visibilitySql(w)})`);
    } else if (key === 'provider') {
      const { code, ...rest } = value as { code?: unknown };
      if (typeof code !== 'string' || Object.keys(rest).length > 0) {
        untranslatable(`provider ${JSON.stringify(value)}`);
      }
      // by id, so that the search needs no join to departments for every match
      parts.push(Prisma.sql`r.provider_id IN (SELECT id FROM departments WHERE code = ${code})`);
    } else if (COLUMNS[key]) {
      parts.push(valueCondition(COLUMNS[key], value));
    } else {
      untranslatable(key);
    }
  }
  return parts.length === 0 ? Prisma.sql`TRUE` : Prisma.join(parts, ' AND ');
}
