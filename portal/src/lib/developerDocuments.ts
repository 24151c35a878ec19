import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { portalConfig } from '../config.ts';
import { apiKeyActions, buildApiDocs, type DocOperation } from './apiDocs.ts';

interface Loaded {
  open: Record<string, unknown>;
  common: Record<string, unknown>;
  exchangeApi: Record<string, unknown>;
}

let cached: Promise<Loaded> | undefined;

async function loadDocuments(): Promise<Loaded> {
  cached ??= (async () => {
    const dir = path.join(portalConfig().SCHEMAS_DIR, 'openapi');
    const read = async (name: string) =>
      parse(await readFile(path.join(dir, name), 'utf8')) as Record<string, unknown>;
    const [open, common, exchangeApi] = await Promise.all([
      read('exchange-open.yaml'),
      read('common.yaml'),
      read('exchange-api.yaml'),
    ]);
    return { open, common, exchangeApi };
  })();
  try {
    return await cached;
  } catch (error) {
    cached = undefined;
    throw error;
  }
}

function apiKeyHeaderOf(common: Record<string, unknown>): string {
  const scheme = (common as { components?: { securitySchemes?: { apiKey?: { name?: string } } } })
    .components?.securitySchemes?.apiKey;
  return scheme?.name ?? 'X-API-Key';
}

export interface OpenDataDocs {
  operations: DocOperation[];
  apiKeyHeader: string;
}

/** The open-data operations' documentation, or undefined when the specs cannot be read. */
export async function openDataDocs(exampleCode?: string): Promise<OpenDataDocs | undefined> {
  try {
    const { open, common } = await loadDocuments();
    const apiKeyHeader = apiKeyHeaderOf(common);
    return {
      apiKeyHeader,
      operations: buildApiDocs({
        open,
        common,
        apiKeyHeader,
        baseUrl: portalConfig().PUBLIC_EXCHANGE_URL,
        prefix: '/v1/open/',
        exampleCode,
      }),
    };
  } catch {
    return undefined;
  }
}

/** The actions a new key may have (read, download), from the contract; a safe default otherwise. */
export async function offeredApiKeyActions(): Promise<string[]> {
  try {
    const actions = apiKeyActions((await loadDocuments()).exchangeApi);
    return actions.length ? actions : ['read'];
  } catch {
    return ['read'];
  }
}

export async function apiKeyHeader(): Promise<string> {
  try {
    return apiKeyHeaderOf((await loadDocuments()).common);
  } catch {
    return 'X-API-Key';
  }
}
