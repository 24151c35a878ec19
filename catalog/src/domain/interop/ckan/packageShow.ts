import { Prisma } from '@gx/migrations';
import { visibilitySql } from '../../search/visibilitySql.ts';
import { publishedWhere } from '../publishedCatalog.ts';
import { loadPackages, type CkanContext } from './ckanContext.ts';
import { CkanNotFoundError } from './ckanErrors.ts';
import { naturalNumber, ParamProblems, requiredText, type DataDict } from './ckanParams.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * CKAN's package_show: `id` (or `name_or_id`) is the dataset's id (the resource's UUID) or its
 * name (the resource code, any case). What the caller may not see is "Not found", exactly as
 * what does not exist (CKAN answers 403 for a private dataset; here a denied read never says
 * that the entry exists).
 */
export async function packageShow(ctx: CkanContext, dict: DataDict) {
  const key = (
    typeof dict.id === 'string' && dict.id.trim() ? dict.id : requiredText(dict, 'name_or_id')
  )
    .trim()
    .toLowerCase();
  let code: string | undefined;
  if (UUID.test(key)) {
    const row = await ctx.prisma.resource.findUnique({
      where: { id: key },
      select: { code: true },
    });
    code = row?.code;
  } else if (/^[0-9a-z-]{1,64}$/.test(key)) {
    code = key.toUpperCase();
  }
  const [pkg] = code ? await loadPackages(ctx, [code]) : [];
  if (!pkg) throw new CkanNotFoundError();
  return pkg;
}

/**
 * CKAN's package_list: the names of the datasets the caller may see, in name order, with
 * `limit` and `offset`.
 */
export async function packageList(ctx: CkanContext, dict: DataDict) {
  const problems = new ParamProblems();
  const limit = naturalNumber(dict, 'limit', problems);
  const offset = naturalNumber(dict, 'offset', problems);
  problems.throwIfAny();
  const visible = visibilitySql(await publishedWhere(ctx.prisma, ctx.actor));
  // CKAN applies limit only when it is given and non-zero
  const limitSql = limit ? Prisma.sql`LIMIT ${limit}` : Prisma.empty;
  const rows = await ctx.prisma.$queryRaw<{ name: string }[]>`
    SELECT lower(r.code) AS name FROM resources r WHERE ${visible}
     ORDER BY lower(r.code) COLLATE "C" ${limitSql} OFFSET ${offset ?? 0}`;
  return rows.map((r) => r.name);
}
