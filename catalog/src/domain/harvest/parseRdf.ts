import jsonld from 'jsonld';
import { Parser, Store } from 'n3';
import { HarvestFetchError, displayUrl, type RemoteDocument } from './fetchRemote.ts';

const JSON_LD_TYPES = new Set(['application/ld+json', 'application/json']);
const N3_FORMATS: Record<string, string> = {
  'text/turtle': 'Turtle',
  'application/x-turtle': 'Turtle',
  'application/n-triples': 'N-Triples',
  'application/n-quads': 'N-Quads',
  'application/trig': 'TriG',
  'text/n3': 'N3',
};

/**
 * JSON-LD contexts are never fetched: a harvested document could make this process request any
 * address (and wait on it). A document must carry its context inline.
 */
const refuseRemoteContext = (url: string): Promise<never> =>
  Promise.reject(
    new HarvestFetchError(`JSON-LD 文档引用了远程上下文 ${displayUrl(url)}，出于安全不予读取`),
  );

/** A document from a harvested catalogue as a graph: Turtle, N-Triples, TriG or JSON-LD. */
export async function parseRdf(doc: RemoteDocument): Promise<Store> {
  const looksJson = /^\s*[{[]/.test(doc.body);
  if (JSON_LD_TYPES.has(doc.contentType) || (!N3_FORMATS[doc.contentType] && looksJson)) {
    let json: unknown;
    try {
      json = JSON.parse(doc.body);
    } catch {
      throw new HarvestFetchError(`来源返回的 JSON-LD 不是有效的 JSON：${displayUrl(doc.url)}`);
    }
    let nquads: unknown;
    try {
      nquads = await jsonld.toRDF(
        json as jsonld.JsonLdDocument,
        {
          format: 'application/n-quads',
          base: doc.url,
          documentLoader: refuseRemoteContext,
        } as jsonld.Options.ToRdf,
      );
    } catch (error) {
      if (error instanceof HarvestFetchError) throw error;
      const cause = (error as { details?: { cause?: unknown } }).details?.cause;
      if (cause instanceof HarvestFetchError) throw cause;
      throw new HarvestFetchError(`来源的 JSON-LD 无法解析：${displayUrl(doc.url)}`, {
        cause: error,
      });
    }
    return new Store(new Parser({ format: 'N-Quads' }).parse(String(nquads)));
  }
  if (doc.contentType === 'application/rdf+xml') {
    throw new HarvestFetchError(
      `来源只提供 RDF/XML，请改用 Turtle 或 JSON-LD 地址：${displayUrl(doc.url)}`,
    );
  }
  try {
    const format = N3_FORMATS[doc.contentType] ?? 'Turtle';
    return new Store(new Parser({ format, baseIRI: doc.url }).parse(doc.body));
  } catch (error) {
    throw new HarvestFetchError(
      `来源的 RDF 无法解析（${(error as Error).message.slice(0, 200)}）：${displayUrl(doc.url)}`,
      { cause: error },
    );
  }
}
