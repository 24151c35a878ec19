import { readFileSync } from 'node:fs';
import { jsonSchemaPath } from '@gx/schemas';

/** A source's options schema, read once at import from `schemas/json/connectors/<type>.schema.json`. */
export function loadOptionsSchema(type: string): object {
  return JSON.parse(readFileSync(jsonSchemaPath('connectors', type), 'utf8')) as object;
}
