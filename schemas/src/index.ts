import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMAS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The HTTP services, each with `openapi/<name>.yaml` as its contract. */
export const SERVICES = ['exchange-api', 'catalog', 'connectors'] as const;
export type ServiceName = (typeof SERVICES)[number];

export function openApiSpecPath(service: ServiceName): string {
  return path.join(SCHEMAS_DIR, 'openapi', `${service}.yaml`);
}

export function generatedTypesPath(service: ServiceName): string {
  return path.join(SCHEMAS_DIR, 'generated', `${service}.ts`);
}

export function jsonSchemaPath(area: string, name: string): string {
  return path.join(SCHEMAS_DIR, 'json', area, `${name}.schema.json`);
}
