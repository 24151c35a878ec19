import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import rdf from '@zazuko/env';
import jsonld from 'jsonld';
import { Parser, Writer, type Quad } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { seedDemoDirectory } from '@gx/platform';
import { call, download, startHarness, type Harness } from './harness.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHAPES_DIR = path.resolve(repoRoot, '../shared/standards/dcat-ap-3.0.1');

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_PROPERTY = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#Property';
const SH = 'http://www.w3.org/ns/shacl#';

let h: Harness;

/** A JSON-LD document must expand without the processor fetching anything. */
const offline = (url: string): never => {
  throw new Error(`JSON-LD processing tried to fetch ${url}`);
};

async function parseTurtle(text: string, baseIRI: string): Promise<Quad[]> {
  return new Parser({ baseIRI, format: 'text/turtle' }).parse(text);
}

async function parseJsonLd(doc: unknown): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(doc as object, {
    format: 'application/n-quads',
    documentLoader: offline as never,
  })) as unknown as string;
  return new Parser({ format: 'application/n-quads' }).parse(nquads);
}

/** The N-Triples lines of a graph, as a set: two graphs without blank nodes are equal iff these are. */
function tripleSet(quads: readonly Quad[]): Set<string> {
  const writer = new Writer({ format: 'N-Triples' });
  return new Set(quads.map((q) => writer.quadToString(q.subject, q.predicate, q.object)));
}

const objectsOf = (quads: readonly Quad[], subject: string | undefined, predicate: string) =>
  quads
    .filter(
      (q) =>
        (subject === undefined || q.subject.value === subject) && q.predicate.value === predicate,
    )
    .map((q) => q.object.value);

const subjectsOfType = (quads: readonly Quad[], type: string) =>
  new Set(
    quads
      .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === type)
      .map((q) => q.subject.value),
  );

interface Fetched {
  status: number;
  contentType: string;
  etag: string | null;
  text: string;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const res = await fetch(url, { headers });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    etag: res.headers.get('etag'),
    text: await res.text(),
  };
}

async function parseAnswer(answer: Fetched, url: string): Promise<Quad[]> {
  return answer.contentType.startsWith('text/turtle')
    ? parseTurtle(answer.text, url)
    : parseJsonLd(JSON.parse(answer.text));
}

/**
 * Walks the catalogue from its first page along hydra:next, as a harvester does; returns every
 * page's triples together and the number of pages.
 */
async function walkCatalog(
  first: string,
  headers: Record<string, string>,
): Promise<{ quads: Quad[]; pages: number; totalItems: number }> {
  const quads: Quad[] = [];
  let url: string | undefined = first;
  let pages = 0;
  let totalItems = -1;
  while (url) {
    const answer = await get(url, headers);
    expect(answer.status, url).toBe(200);
    const page = await parseAnswer(answer, url);
    quads.push(...page);
    pages++;
    const [view] = objectsOf(page, `${h.catalog.base}/dcat/catalog`, `${HYDRA}view`);
    expect(view, 'every page names its Hydra view').toBeTruthy();
    totalItems = Number(objectsOf(page, `${h.catalog.base}/dcat/catalog`, `${HYDRA}totalItems`)[0]);
    url = objectsOf(page, view, `${HYDRA}next`)[0];
    expect(pages, 'the walk ends').toBeLessThan(100);
  }
  return { quads, pages, totalItems };
}

async function loadShapes(file: string) {
  const text = await readFile(path.join(SHAPES_DIR, file), 'utf8');
  return rdf.dataset(new Parser({ format: 'text/turtle' }).parse(text));
}

interface ShaclResult {
  severity: string;
  path: string;
  focusNode: string;
  message: string;
}

async function validate(file: string, quads: readonly Quad[]): Promise<ShaclResult[]> {
  const validator = new SHACLValidator(await loadShapes(file), { factory: rdf });
  const report = await validator.validate(rdf.dataset([...quads]));
  return report.results.map((r) => ({
    severity: r.severity?.value.replace(SH, '') ?? '',
    path: r.path?.value ?? '',
    focusNode: r.focusNode?.value ?? '',
    message: r.message.map((m) => m.value).join(' '),
  }));
}

const violations = (results: readonly ShaclResult[]) =>
  results.filter((r) => r.severity === 'Violation');

/** counts by "<class of focus node> <path>" so the report says what is missing where */
function summarise(
  results: readonly ShaclResult[],
  quads: readonly Quad[],
): Record<string, number> {
  const classOf = new Map<string, string>();
  for (const q of quads) {
    if (
      q.predicate.value !== RDF_TYPE ||
      (!q.object.value.startsWith(DCAT) && !q.object.value.startsWith(DCT))
    )
      continue;
    if (!classOf.has(q.subject.value))
      classOf.set(q.subject.value, q.object.value.replace(DCAT, 'dcat:').replace(DCT, 'dct:'));
  }
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = `${classOf.get(r.focusNode) ?? '?'} ${r.path.replace(DCAT, 'dcat:').replace(DCT, 'dct:') || '(node)'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  h = await startHarness();
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
});

afterAll(async () => {
  await h?.close();
});

describe('the whole demo catalogue as DCAT-AP 3.0.1, walked page by page like a harvester', () => {
  let turtle: Awaited<ReturnType<typeof walkCatalog>>;
  let jsonLd: Awaited<ReturnType<typeof walkCatalog>>;
  let openCodes: string[];

  beforeAll(async () => {
    openCodes = (
      await h.db.prisma.resource.findMany({
        where: { status: 'published', openType: { in: ['open', 'conditional'] } },
        select: { code: true },
        orderBy: { code: 'asc' },
      })
    ).map((r) => r.code);
    turtle = await walkCatalog(`${h.catalog.base}/dcat/catalog`, { accept: 'text/turtle' });
    jsonLd = await walkCatalog(`${h.catalog.base}/dcat/catalog`, { accept: 'application/ld+json' });
  });

  it('lists exactly the published open entries to an anonymous caller, over several pages', () => {
    expect(openCodes.length).toBeGreaterThan(100);
    expect(turtle.pages).toBe(Math.ceil(openCodes.length / 100));
    expect(turtle.totalItems).toBe(openCodes.length);
    const datasets = [...subjectsOfType(turtle.quads, `${DCAT}Dataset`)].sort();
    expect(datasets).toEqual(openCodes.map((c) => `${h.catalog.base}/dcat/datasets/${c}`).sort());
    expect(
      objectsOf(turtle.quads, `${h.catalog.base}/dcat/catalog`, `${DCAT}dataset`),
    ).toHaveLength(openCodes.length);
    expect(objectsOf(turtle.quads, `${h.catalog.base}/dcat/catalog`, `${DCT}title`)).toContain(
      '杭州市公共数据目录',
    );
  });

  it('gives the same graph in Turtle and in JSON-LD', () => {
    const a = tripleSet(turtle.quads);
    const b = tripleSet(jsonLd.quads);
    expect(a.size).toBeGreaterThan(10_000);
    expect([...a].filter((t) => !b.has(t))).toEqual([]);
    expect([...b].filter((t) => !a.has(t))).toEqual([]);
  });

  it('has zero violations of shapes.ttl and range.ttl; the recommended warnings are counted', async () => {
    const quads = turtle.quads;
    const started = performance.now();
    const base = await validate('shapes.ttl', quads);
    const range = await validate('range.ttl', quads);
    const recommended = await validate('shapes_recommended.ttl', quads);
    const vocabularies = await validate('mdr-vocabularies.shape.ttl', quads);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `DCAT-AP SHACL over ${tripleSet(quads).size} triples, ${turtle.totalItems} datasets (${seconds} s for four shape files):\n` +
        `  shapes.ttl: ${violations(base).length} violations\n` +
        `  range.ttl: ${violations(range).length} violations\n` +
        `  shapes_recommended.ttl: ${recommended.length} warnings ${JSON.stringify(summarise(recommended, quads), null, 1)}\n` +
        `  mdr-vocabularies.shape.ttl: ${violations(vocabularies).length} violations, ` +
        `${vocabularies.length - violations(vocabularies).length} warnings ${JSON.stringify(summarise(vocabularies, quads), null, 1)}\n`,
    );
    expect(violations(base)).toEqual([]);
    expect(violations(range)).toEqual([]);
    expect(violations(vocabularies)).toEqual([]);
    // recommendations are warnings, never violations, and there is a count to report
    expect(recommended.every((r) => r.severity === 'Warning')).toBe(true);
    expect(Number.isInteger(recommended.length)).toBe(true);
  });

  it('describes an open dataset with distributions people can download and the API service', () => {
    const code = openCodes[0]!;
    const dataset = `${h.catalog.base}/dcat/datasets/${code}`;
    const distributions = objectsOf(turtle.quads, dataset, `${DCAT}distribution`);
    expect(distributions).toHaveLength(4);
    const downloads = distributions.flatMap((d) =>
      objectsOf(turtle.quads, d, `${DCAT}downloadURL`),
    );
    expect(downloads.sort()).toEqual(
      ['csv', 'json', 'xlsx'].map(
        (f) => `${h.exchange.base}/v1/open/resources/${code}/download?format=${f}`,
      ),
    );
    const services = distributions.flatMap((d) =>
      objectsOf(turtle.quads, d, `${DCAT}accessService`),
    );
    expect(services).toHaveLength(1);
    expect(objectsOf(turtle.quads, services[0], `${DCAT}servesDataset`)).toContain(dataset);
    expect(objectsOf(turtle.quads, dataset, `${DCT}accessRights`)[0]).toMatch(
      /access-right\/(PUBLIC|RESTRICTED)$/,
    );
  });
});

describe('our own vocabulary and concept schemes dereference', () => {
  const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
  const SKOS = 'http://www.w3.org/2004/02/skos/core#';
  const LABELS = [`${SKOS}prefLabel`, `${RDFS}label`, `${DCT}title`];
  let exported: Quad[];
  let ours: (iri: string) => boolean;

  beforeAll(async () => {
    const base = h.catalog.base;
    ours = (iri) => iri.startsWith(`${base}/dcat/vocab`) || iri.startsWith(`${base}/dcat/themes`);
    // department staff see every published entry, so every sharing and open type is used
    const token = await h.token('hz-gaj.steward');
    exported = (
      await walkCatalog(`${base}/dcat/catalog.ttl?pageSize=1000`, {
        authorization: `Bearer ${token}`,
      })
    ).quads;
  });

  it('answers every IRI of ours in the catalogue with a graph that labels it', async () => {
    const iris = new Set(
      exported
        .flatMap((q) => [q.subject, q.predicate, q.object])
        .filter((t) => t.termType === 'NamedNode' && ours(t.value))
        .map((t) => t.value),
    );
    const documents = new Map<string, string[]>();
    for (const iri of iris) {
      const url = iri.split('#')[0]!;
      documents.set(url, [...(documents.get(url) ?? []), iri]);
    }
    // the property namespace, the theme scheme and the three code schemes
    expect([...documents.keys()].sort()).toEqual(
      ['themes', 'vocab', 'vocab/open-types', 'vocab/resource-formats', 'vocab/sharing-types']
        .map((p) => `${h.catalog.base}/dcat/${p}`)
        .sort(),
    );
    for (const [url, wanted] of documents) {
      for (const accept of ['text/turtle', 'application/ld+json']) {
        const answer = await get(url, { accept });
        expect(answer.status, `${accept} ${url}`).toBe(200);
        const graph = await parseAnswer(answer, url);
        for (const iri of wanted) {
          const labelled = graph.some(
            (q) => q.subject.value === iri && LABELS.includes(q.predicate.value),
          );
          expect(labelled, `${url} labels ${iri}`).toBe(true);
        }
      }
    }
  });

  it('defines every gx: property the catalogue uses in /dcat/vocab', async () => {
    const ns = `${h.catalog.base}/dcat/vocab#`;
    const used = new Set(
      exported.filter((q) => q.predicate.value.startsWith(ns)).map((q) => q.predicate.value),
    );
    expect(used.size).toBeGreaterThanOrEqual(7);
    const answer = await get(`${h.catalog.base}/dcat/vocab`, { accept: 'text/turtle' });
    expect(answer.status).toBe(200);
    const vocab = await parseAnswer(answer, `${h.catalog.base}/dcat/vocab`);
    const properties = subjectsOfType(vocab, RDF_PROPERTY);
    for (const property of used) {
      expect(properties.has(property), property).toBe(true);
      expect(
        vocab.some(
          (q) =>
            q.subject.value === property &&
            q.predicate.value === `${RDFS}label` &&
            q.object.termType === 'Literal' &&
            q.object.language === 'zh',
        ),
        `${property} has a Chinese rdfs:label`,
      ).toBe(true);
      expect(objectsOf(vocab, property, `${RDFS}comment`).length, property).toBeGreaterThan(0);
    }
  });

  it('lists every theme of the directory in the theme scheme, with its code', async () => {
    const themes = await h.db.prisma.theme.findMany({ orderBy: { position: 'asc' } });
    const url = `${h.catalog.base}/dcat/themes`;
    const graph = await parseAnswer(await get(`${url}.ttl`), url);
    const concepts = [...subjectsOfType(graph, `${SKOS}Concept`)].filter((c) => c.startsWith(url));
    expect(concepts.sort()).toEqual(themes.map((t) => `${url}#${t.code}`).sort());
    for (const t of themes) {
      expect(objectsOf(graph, `${url}#${t.code}`, `${SKOS}prefLabel`)).toEqual([t.name]);
      expect(objectsOf(graph, `${url}#${t.code}`, `${SKOS}notation`)).toEqual([t.code]);
      expect(objectsOf(graph, `${url}#${t.code}`, `${SKOS}inScheme`)).toEqual([url]);
    }
    expect(subjectsOfType(graph, `${SKOS}ConceptScheme`).has(url)).toBe(true);
  });

  it('serves each code scheme in both forms and answers 404 problem+json for an unknown one', async () => {
    const url = `${h.catalog.base}/dcat/vocab/sharing-types`;
    const ttl = await parseAnswer(await get(`${url}.ttl`), url);
    const ld = await parseAnswer(await get(`${url}.jsonld`), url);
    expect(tripleSet(ttl)).toEqual(tripleSet(ld));
    expect(objectsOf(ttl, `${url}#conditional`, `${SKOS}prefLabel`)).toEqual(['有条件共享']);
    expect([...subjectsOfType(ttl, `${SKOS}Concept`)].sort(), 'every code, used or not').toEqual(
      ['conditional', 'none', 'unconditional'].map((c) => `${url}#${c}`),
    );
    const unknown = await call(h.catalog.base, 'GET', '/dcat/vocab/update-cycles');
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/^application\/problem\+json/);
    const refused = await call(h.catalog.base, 'GET', '/dcat/vocab', {
      headers: { accept: 'text/html' },
    });
    expect(refused.status).toBe(406);
  });
});

describe('formats, content negotiation and single datasets', () => {
  let code: string;
  let closedCode: string;

  beforeAll(async () => {
    code = (
      await h.db.prisma.resource.findFirstOrThrow({
        where: { status: 'published', openType: 'open' },
        orderBy: { code: 'asc' },
      })
    ).code;
    closedCode = (
      await h.db.prisma.resource.findFirstOrThrow({
        where: { status: 'published', openType: 'none' },
        orderBy: { code: 'asc' },
      })
    ).code;
  });

  it('answers Turtle and JSON-LD by Accept and by extension, and 406 for other types', async () => {
    const url = `${h.catalog.base}/dcat/catalog?pageSize=5`;
    expect((await get(url, { accept: 'text/turtle' })).contentType).toMatch(/^text\/turtle/);
    expect((await get(url, { accept: 'application/ld+json' })).contentType).toMatch(
      /^application\/ld\+json/,
    );
    expect((await get(url, { accept: 'application/json' })).contentType).toMatch(
      /^application\/json/,
    );
    expect((await get(url)).contentType).toMatch(/^application\/ld\+json/);
    const ttl = await get(`${h.catalog.base}/dcat/catalog.ttl?pageSize=5`, {
      accept: 'application/json',
    });
    expect(ttl.contentType).toMatch(/^text\/turtle/);
    const ld = await get(`${h.catalog.base}/dcat/catalog.jsonld?pageSize=5`, {
      accept: 'text/turtle',
    });
    expect(ld.contentType).toMatch(/^application\/ld\+json/);
    // the extension forms are the same graph, with Hydra links that stay on the same form
    const fromTtl = await parseAnswer(ttl, `${h.catalog.base}/dcat/catalog.ttl`);
    const fromLd = await parseAnswer(ld, `${h.catalog.base}/dcat/catalog.jsonld`);
    expect(subjectsOfType(fromTtl, `${DCAT}Dataset`)).toEqual(
      subjectsOfType(fromLd, `${DCAT}Dataset`),
    );
    expect(subjectsOfType(fromTtl, `${DCAT}Dataset`).size).toBe(5);
    const nextTtl = objectsOf(fromTtl, undefined, `${HYDRA}next`)[0];
    expect(nextTtl).toBe(`${h.catalog.base}/dcat/catalog.ttl?page=2&pageSize=5`);
    const nextLd = objectsOf(fromLd, undefined, `${HYDRA}next`)[0];
    expect(nextLd).toBe(`${h.catalog.base}/dcat/catalog.jsonld?page=2&pageSize=5`);

    const refused = await call(h.catalog.base, 'GET', '/dcat/catalog', {
      headers: { accept: 'text/html' },
    });
    expect(refused.status).toBe(406);
    expect(refused.contentType).toMatch(/^application\/problem\+json/);
    expect(refused.body.type).toBe('/problems/not-acceptable');
  });

  it('pages: previous and last links, 404 after the last page, 400 for a page size over 1000', async () => {
    const page2 = await get(`${h.catalog.base}/dcat/catalog?page=2&pageSize=50`, {
      accept: 'text/turtle',
    });
    const quads = await parseAnswer(page2, `${h.catalog.base}/dcat/catalog`);
    const view = `${h.catalog.base}/dcat/catalog?page=2&pageSize=50`;
    expect(objectsOf(quads, view, `${HYDRA}previous`)).toEqual([
      `${h.catalog.base}/dcat/catalog?page=1&pageSize=50`,
    ]);
    expect(objectsOf(quads, view, `${HYDRA}first`)).toEqual([
      `${h.catalog.base}/dcat/catalog?page=1&pageSize=50`,
    ]);
    const last = objectsOf(quads, view, `${HYDRA}last`)[0]!;
    const lastPage = Number(new URL(last).searchParams.get('page'));
    expect((await get(last, { accept: 'text/turtle' })).status).toBe(200);
    const after = await call(
      h.catalog.base,
      'GET',
      `/dcat/catalog?page=${lastPage + 1}&pageSize=50`,
    );
    expect(after.status).toBe(404);
    expect((await call(h.catalog.base, 'GET', '/dcat/catalog?pageSize=1001')).status).toBe(400);
    expect((await call(h.catalog.base, 'GET', '/dcat/catalog?page=0')).status).toBe(400);
  });

  it('serves a dataset at its own IRI, in both forms, valid against the shapes', async () => {
    const iri = `${h.catalog.base}/dcat/datasets/${code}`;
    const ttl = await get(iri, { accept: 'text/turtle' });
    expect(ttl.status).toBe(200);
    const fromTtl = await parseAnswer(ttl, iri);
    expect([...subjectsOfType(fromTtl, `${DCAT}Dataset`)]).toEqual([iri]);
    const entry = await h.db.prisma.resource.findUniqueOrThrow({ where: { code } });
    expect(objectsOf(fromTtl, iri, `${DCT}title`)).toEqual([entry.name]);
    expect(objectsOf(fromTtl, iri, `${DCT}identifier`)).toEqual([code]);
    for (const form of ['.ttl', '.jsonld']) {
      const answer = await get(`${iri}${form}`);
      expect(answer.status).toBe(200);
      expect(tripleSet(await parseAnswer(answer, iri))).toEqual(tripleSet(fromTtl));
    }
    expect(violations(await validate('shapes.ttl', fromTtl))).toEqual([]);
    expect(violations(await validate('range.ttl', fromTtl))).toEqual([]);
    // a conditional GET of an unchanged document (node:http: fetch adds Cache-Control: no-cache
    // to conditional requests, which rightly disables 304)
    const again = await download(iri, { accept: 'text/turtle', 'if-none-match': ttl.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answers 404 problem+json for an unknown code and 400 for a malformed one', async () => {
    const unknown = await call(h.catalog.base, 'GET', '/dcat/datasets/101001001-000000000-999999');
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/^application\/problem\+json/);
    expect((await call(h.catalog.base, 'GET', '/dcat/datasets/not-a-code.ttl')).status).toBe(400);
  });

  it('hides a 不予开放 entry from an anonymous caller and shows it to department staff', async () => {
    const path = `/dcat/datasets/${closedCode}.ttl`;
    expect((await call(h.catalog.base, 'GET', path)).status).toBe(404);
    const token = await h.token('hz-gaj.steward');
    const seen = await call(h.catalog.base, 'GET', path, { token });
    expect(seen.status).toBe(200);
    const quads = await parseTurtle(seen.body as string, `${h.catalog.base}${path}`);
    const iri = `${h.catalog.base}/dcat/datasets/${closedCode}`;
    expect(objectsOf(quads, iri, `${DCAT}distribution`)).toEqual([]);
    expect(objectsOf(quads, iri, `${DCT}accessRights`)[0]).toMatch(
      /access-right\/(RESTRICTED|NON_PUBLIC)$/,
    );
    // the staff's catalogue counts every published entry, the public's only the open ones
    const published = await h.db.prisma.resource.count({ where: { status: 'published' } });
    const staffPage = await call(h.catalog.base, 'GET', '/dcat/catalog.ttl?pageSize=1', { token });
    const staffQuads = await parseTurtle(
      staffPage.body as string,
      `${h.catalog.base}/dcat/catalog.ttl`,
    );
    expect(
      Number(objectsOf(staffQuads, `${h.catalog.base}/dcat/catalog`, `${HYDRA}totalItems`)[0]),
    ).toBe(published);
  });

  it('drops a retired entry from the catalogue and its dataset page', async () => {
    const iri = `${h.catalog.base}/dcat/datasets/${code}`;
    const before = await get(`${h.catalog.base}/dcat/catalog.ttl?pageSize=1000`);
    const beforeQuads = await parseAnswer(before, `${h.catalog.base}/dcat/catalog.ttl`);
    expect(subjectsOfType(beforeQuads, `${DCAT}Dataset`).has(iri)).toBe(true);

    const unchanged = await download(`${h.catalog.base}/dcat/catalog.ttl?pageSize=1000`, {
      'if-none-match': before.etag!,
    });
    expect(unchanged.status, 'before the change, a conditional GET is answered 304').toBe(304);

    const retired = await call(h.catalog.base, 'POST', `/v1/resources/${code}/retire`, {
      token: await h.token('hz-dsj.approver'),
      body: { comment: '数据停止更新' },
    });
    expect(retired.status).toBe(200);

    const conditional = await download(`${h.catalog.base}/dcat/catalog.ttl?pageSize=1000`, {
      'if-none-match': before.etag!,
    });
    expect(conditional.status, 'the changed catalogue is not answered with 304').toBe(200);
    const after = await get(`${h.catalog.base}/dcat/catalog.ttl?pageSize=1000`);
    const afterQuads = await parseAnswer(after, `${h.catalog.base}/dcat/catalog.ttl`);
    expect(subjectsOfType(afterQuads, `${DCAT}Dataset`).has(iri)).toBe(false);
    expect(subjectsOfType(afterQuads, `${DCAT}Dataset`).size).toBe(
      subjectsOfType(beforeQuads, `${DCAT}Dataset`).size - 1,
    );
    expect((await get(iri)).status).toBe(404);
  });
});
