import { Prisma } from '@gx/migrations';
import { visibilitySql } from '../../search/visibilitySql.ts';
import { loadCatalogPublisher } from '../catalogPublisher.ts';
import { publishedWhere } from '../publishedCatalog.ts';
import type { CkanContext } from './ckanContext.ts';
import { CkanNotFoundError } from './ckanErrors.ts';
import { asBool, ParamProblems, text, type DataDict } from './ckanParams.ts';
import { CKAN_VERSION, stableId } from './ckanVocabulary.ts';

/**
 * CKAN's tag_list: the keywords of the datasets the caller may see, in name order; `query`
 * keeps those containing it (any case); `all_fields` gives `{id, name, vocabulary_id}`. There
 * are no tag vocabularies here, so naming one is "Not found", as in CKAN for an unknown one.
 */
export async function tagList(ctx: CkanContext, dict: DataDict) {
  const problems = new ParamProblems();
  const query = text(dict, 'query', problems) ?? text(dict, 'q', problems);
  const vocabulary = text(dict, 'vocabulary_id', problems);
  problems.throwIfAny();
  if (vocabulary?.trim()) throw new CkanNotFoundError(`没有词表 ${vocabulary.trim()}`);
  const visible = visibilitySql(await publishedWhere(ctx.prisma, ctx.actor));
  const needle = query?.trim().toLowerCase();
  const rows = await ctx.prisma.$queryRaw<{ name: string }[]>`
    SELECT DISTINCT k AS name FROM resources r CROSS JOIN LATERAL unnest(r.keywords) k
     WHERE ${visible} ${needle ? Prisma.sql`AND strpos(lower(k), ${needle}) > 0` : Prisma.empty}
     ORDER BY 1`;
  const names = rows.map((r) => r.name);
  return asBool(dict.all_fields)
    ? names.map((name) => ({ id: stableId('tag', name), name, vocabulary_id: null }))
    : names;
}

/** CKAN's status_show: what the site is and which CKAN API it speaks. */
export async function statusShow(ctx: CkanContext) {
  const publisher = await loadCatalogPublisher(ctx.prisma);
  return {
    ckan_version: CKAN_VERSION,
    site_url: ctx.links.catalogBase,
    site_description: publisher.description,
    site_title: publisher.title,
    error_emails_to: null,
    locale_default: 'zh_Hans_CN',
    extensions: [],
  };
}
