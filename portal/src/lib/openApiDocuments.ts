import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { portalConfig } from '../config.ts';
import type { OpenApiDocument } from './apiExamples.ts';

export interface OpenDataApiDescription {
  document: OpenApiDocument;
  apiKeyHeader: string;
}

let cached: Promise<OpenDataApiDescription> | undefined;

async function load(): Promise<OpenDataApiDescription> {
  const dir = path.join(portalConfig().SCHEMAS_DIR, 'openapi');
  const [open, common] = await Promise.all([
    readFile(path.join(dir, 'exchange-open.yaml'), 'utf8'),
    readFile(path.join(dir, 'common.yaml'), 'utf8'),
  ]);
  const scheme = (
    parse(common) as { components?: { securitySchemes?: { apiKey?: { name?: string } } } }
  ).components?.securitySchemes?.apiKey;
  return {
    document: parse(open) as OpenApiDocument,
    apiKeyHeader: scheme?.name ?? 'X-API-Key',
  };
}

/**
 * The open-data part of the exchange's contract, read once from schemas/openapi/ — the same
 * files the exchange validates its requests against. Undefined when they cannot be read: the
 * API tab then says so instead of failing the page.
 */
export async function openDataApiDescription(): Promise<OpenDataApiDescription | undefined> {
  cached ??= load();
  try {
    return await cached;
  } catch {
    cached = undefined;
    return undefined;
  }
}
