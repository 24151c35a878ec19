import { portalConfig } from '../config.ts';
import { apiKeyActions, buildServiceDocs, type DocOperation, type DocService } from './apiDocs.ts';
import type { CodePlaceholders } from './codePlaceholders.ts';
import { asObject, loadOpenApiDocuments, type OpenApiResolver } from './openApiResolver.ts';

/** The public specs, in the order the documentation lists them. */
export const DOC_SERVICES = ['exchange-api', 'catalog', 'connectors'] as const;
export type DocServiceId = (typeof DOC_SERVICES)[number];

export const isDocService = (value: string): value is DocServiceId =>
  (DOC_SERVICES as readonly string[]).includes(value);

const specFile = (service: string) => `openapi/${service}.yaml`;

let cached: Promise<OpenApiResolver> | undefined;

/** Every spec and the side files and JSON Schemas they refer to, read once per process. */
async function loadDocuments(): Promise<OpenApiResolver> {
  cached ??= loadOpenApiDocuments(portalConfig().SCHEMAS_DIR, [
    ...DOC_SERVICES.map(specFile),
    'openapi/common.yaml',
  ]);
  try {
    return await cached;
  } catch (error) {
    cached = undefined;
    throw error;
  }
}

function apiKeyHeaderOf(resolver: OpenApiResolver): string {
  const schemes = asObject(
    asObject(resolver.document('openapi/common.yaml').components).securitySchemes,
  );
  const name = asObject(schemes.apiKey).name;
  return typeof name === 'string' ? name : 'X-API-Key';
}

/**
 * Where a developer reaches a service: its public address in the portal's settings, never the
 * spec's `servers` (those are the development defaults, wrong wherever the services run
 * elsewhere).
 */
export function publicBaseUrl(service: DocServiceId): string {
  const config = portalConfig();
  if (service === 'exchange-api') return config.PUBLIC_EXCHANGE_URL;
  return service === 'catalog' ? config.PUBLIC_CATALOG_URL : config.PUBLIC_CONNECTORS_URL;
}

/**
 * The open-data API's OpenAPI description as the catalog publishes it (DCAT's data service;
 * its servers name the exchange's public address): what openapi-typescript generates types from.
 */
export function openDataDescriptionUrl(): string {
  return `${portalConfig().PUBLIC_CATALOG_URL}/dcat/open-data-api/openapi.json`;
}

export interface OpenDataDocs {
  operations: DocOperation[];
  apiKeyHeader: string;
}

/** The open-data operations' documentation, or undefined when the specs cannot be read. */
export async function openDataDocs(
  placeholders: CodePlaceholders,
  exampleCode?: string,
): Promise<OpenDataDocs | undefined> {
  try {
    const resolver = await loadDocuments();
    const apiKeyHeader = apiKeyHeaderOf(resolver);
    const { operations } = buildServiceDocs({
      resolver,
      file: specFile('exchange-api'),
      baseUrl: publicBaseUrl('exchange-api'),
      apiKeyHeader,
      prefix: '/v1/open/',
      exampleCode,
      placeholders,
    });
    return { apiKeyHeader, operations };
  } catch {
    return undefined;
  }
}

/** One service's whole documentation, or undefined when its spec cannot be read. */
export async function serviceDocs(
  service: DocServiceId,
  placeholders: CodePlaceholders,
  exampleCode?: string,
): Promise<(DocService & { apiKeyHeader: string }) | undefined> {
  try {
    const resolver = await loadDocuments();
    const apiKeyHeader = apiKeyHeaderOf(resolver);
    const docs = buildServiceDocs({
      resolver,
      file: specFile(service),
      baseUrl: publicBaseUrl(service),
      apiKeyHeader,
      exampleCode,
      placeholders,
    });
    return { ...docs, apiKeyHeader };
  } catch {
    return undefined;
  }
}

/** Each service's title and how many operations it has, for the documentation's index. */
export async function serviceIndex(
  placeholders: CodePlaceholders,
): Promise<{ id: DocServiceId; title: string; description: string; count: number }[] | undefined> {
  const all = await Promise.all(DOC_SERVICES.map((id) => serviceDocs(id, placeholders)));
  if (all.some((docs) => !docs)) return undefined;
  return all.map((docs, i) => ({
    id: DOC_SERVICES[i]!,
    title: docs!.title,
    description: docs!.description,
    count: docs!.operations.length,
  }));
}

/** The actions a new key may have (read, download), from the contract; a safe default otherwise. */
export async function offeredApiKeyActions(): Promise<string[]> {
  try {
    const actions = apiKeyActions((await loadDocuments()).document(specFile('exchange-api')));
    return actions.length ? actions : ['read'];
  } catch {
    return ['read'];
  }
}

export async function apiKeyHeader(): Promise<string> {
  try {
    return apiKeyHeaderOf(await loadDocuments());
  } catch {
    return 'X-API-Key';
  }
}
