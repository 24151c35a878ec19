import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { PrismaClient } from '@gx/migrations';
import { actorOf, problemType, sendProblem } from '@gx/platform';
import type { CatalogConfig } from '../config.ts';
import {
  DEFAULT_PAGE_SIZE,
  exportDcatCatalog,
  exportDcatDataset,
  type DcatGraph,
} from '../domain/interop/dcat/exportDcat.ts';
import {
  exportDcatConceptScheme,
  exportDcatThemes,
  exportDcatVocabulary,
} from '../domain/interop/dcat/exportOwnVocabulary.ts';
import { openDataApiDescription } from '../domain/interop/dcat/openDataApiDescription.ts';
import { toJsonLd, toTurtle } from '../domain/interop/dcat/serializeRdf.ts';
import { exportDataJson } from '../domain/interop/pod/exportDataJson.ts';
import { publicBaseUrl } from '../domain/interop/publishedCatalog.ts';

/** What a client may ask for, in order of preference when it accepts anything. */
const RDF_MEDIA_TYPES = ['application/ld+json', 'application/json', 'text/turtle'] as const;
type RdfMediaType = (typeof RDF_MEDIA_TYPES)[number];

const EXTENSIONS: Record<string, RdfMediaType> = {
  '.ttl': 'text/turtle',
  '.jsonld': 'application/ld+json',
};

/** The serialisation asked for by extension, or by Accept; undefined: nothing we offer. */
function chosenType(req: Request, extension: string | undefined): RdfMediaType | undefined {
  if (extension) return EXTENSIONS[extension];
  const accepted = req.accepts([...RDF_MEDIA_TYPES]);
  return accepted ? (accepted as RdfMediaType) : undefined;
}

function notAcceptable(req: Request, res: Response): void {
  sendProblem(res, {
    type: problemType('not-acceptable'),
    title: '无法提供所请求的格式',
    status: 406,
    detail: `可提供的格式：${RDF_MEDIA_TYPES.join('、')}`,
    instance: req.path,
  });
}

/**
 * Sends a body with a strong ETag of its bytes and answers a matching If-None-Match with 304.
 * The tag is taken from the body itself, so any change — an entry retired, a page shifted —
 * gives a new one (a Last-Modified from timestamps would miss withdrawals).
 */
function sendCacheable(req: Request, res: Response, type: string, body: string): void {
  res.setHeader('ETag', `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`);
  // what one sees depends on who asks and what format they want
  res.setHeader('Vary', 'Accept, Authorization, X-API-Key');
  res.setHeader('Cache-Control', 'no-cache');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.type(type).send(body);
}

async function sendGraph(
  req: Request,
  res: Response,
  graph: DcatGraph,
  type: RdfMediaType,
): Promise<void> {
  if (type === 'text/turtle') {
    sendCacheable(
      req,
      res,
      'text/turtle; charset=utf-8',
      await toTurtle(graph.quads, graph.prefixes),
    );
    return;
  }
  const body = JSON.stringify(await toJsonLd(graph.quads, graph.prefixes));
  sendCacheable(req, res, `${type}; charset=utf-8`, body);
}

function integer(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : Number(value);
}

/**
 * Interoperability exports of the published catalogue (docs/interop.md,
 * schemas/openapi/catalog-interop.yaml): DCAT-AP 3.0.1 in JSON-LD and Turtle, Hydra-paged, per
 * dataset and whole; our own vocabulary and concept schemes its IRIs point to; the OpenAPI
 * description of the open-data service it references; and the Project Open Data data.json.
 */
export function interopRouter({
  prisma,
  config,
}: {
  prisma: PrismaClient;
  config: CatalogConfig;
}): Router {
  const router = Router();

  /** `path` by content negotiation; `path.ttl` and `path.jsonld` in that form whatever Accept says. */
  const rdfDocument = (
    path: string,
    load: (req: Request, res: Response, extension: string) => Promise<DcatGraph>,
  ) => {
    for (const extension of ['', ...Object.keys(EXTENSIONS)]) {
      router.get(`${path}${extension}`, async (req, res) => {
        const type = chosenType(req, extension || undefined);
        if (!type) return notAcceptable(req, res);
        await sendGraph(req, res, await load(req, res, extension), type);
      });
    }
  };

  /** `path/{name}` by content negotiation; `{name}.ttl` and `{name}.jsonld` in that form. */
  const rdfDocumentByName = (
    path: string,
    load: (req: Request, res: Response, name: string) => Promise<DcatGraph>,
  ) => {
    router.get(`${path}/:file`, async (req, res) => {
      const file = req.params.file;
      const extension = Object.keys(EXTENSIONS).find((e) => file.endsWith(e));
      const type = chosenType(req, extension);
      if (!type) return notAcceptable(req, res);
      const name = extension ? file.slice(0, -extension.length) : file;
      await sendGraph(req, res, await load(req, res, name), type);
    });
  };

  rdfDocument('/dcat/catalog', (req, res, extension) => {
    const base = publicBaseUrl(req, config);
    return exportDcatCatalog({
      prisma,
      actor: actorOf(res),
      base,
      config,
      page: integer(req.query.page, 1),
      pageSize: integer(req.query.pageSize, DEFAULT_PAGE_SIZE),
      pageUrl: `${base}/dcat/catalog${extension}`,
    });
  });

  rdfDocumentByName('/dcat/datasets', (req, res, code) =>
    exportDcatDataset({
      prisma,
      actor: actorOf(res),
      base: publicBaseUrl(req, config),
      config,
      code,
    }),
  );

  // our own vocabulary, where the export's IRIs point (gx: properties, theme and code schemes)
  rdfDocument('/dcat/themes', (req) =>
    exportDcatThemes({ prisma, base: publicBaseUrl(req, config), config }),
  );
  rdfDocument('/dcat/vocab', (req) =>
    exportDcatVocabulary({ prisma, base: publicBaseUrl(req, config), config }),
  );
  rdfDocumentByName('/dcat/vocab', (req, _res, scheme) =>
    exportDcatConceptScheme({ prisma, base: publicBaseUrl(req, config), config, scheme }),
  );

  router.get('/dcat/open-data-api/openapi.json', async (_req, res) => {
    res.json(await openDataApiDescription(config.PUBLIC_EXCHANGE_URL));
  });

  router.get('/data.json', async (req, res) => {
    const body = await exportDataJson({
      prisma,
      actor: actorOf(res),
      base: publicBaseUrl(req, config),
      config,
    });
    sendCacheable(req, res, 'application/json; charset=utf-8', JSON.stringify(body));
  });

  return router;
}
