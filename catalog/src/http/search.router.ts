import { Router, type Request } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf } from '@gx/platform';
import { FACETS, searchResources, type SearchFilters } from '../domain/search/searchResources.ts';

/** A query parameter as a list (`?department=a&department=b`, or one value). */
function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

function integer(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : Number(value);
}

function searchOptions(query: Request['query']) {
  const filters: SearchFilters = {};
  for (const facet of FACETS) {
    const values = list(query[facet]);
    if (values) filters[facet] = values;
  }
  const sort = query.sort === 'recent' || query.sort === 'relevance' ? query.sort : undefined;
  return {
    q: typeof query.q === 'string' ? query.q : undefined,
    filters,
    sort,
    page: integer(query.page),
    pageSize: integer(query.pageSize),
    facetSize: integer(query.facetSize),
  } as const;
}

export function searchRouter(prisma: PrismaClient): Router {
  const router = Router();
  router.get('/v1/search', async (req, res) => {
    res.json(await searchResources({ prisma, actor: actorOf(res), ...searchOptions(req.query) }));
  });
  return router;
}
