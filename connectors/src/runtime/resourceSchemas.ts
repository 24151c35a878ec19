import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Pool } from 'pg';
import type { FieldType } from '@gx/exchange-api';
import { problemsFromAjv } from '@gx/platform';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The record schema of a resource at one version, compiled once. */
export interface ResourceSchema {
  resourceId: string;
  resourceCode: string;
  providerCode: string;
  version: number;
  keyFields: string[];
  /** each field's type: the JSON type, or `date` / `datetime` for those string formats */
  fieldTypes: Record<string, FieldType>;
  validate: ValidateFunction;
}

const FORMAT_TYPES: Readonly<Record<string, FieldType>> = { date: 'date', 'date-time': 'datetime' };

/** the field types of a record schema's properties (catalog's `generateRecordSchema`) */
export function fieldTypesOf(json: Record<string, unknown>): Record<string, FieldType> {
  const properties = (json.properties ?? {}) as Record<string, { type?: string; format?: string }>;
  const types: Record<string, FieldType> = {};
  for (const [field, property] of Object.entries(properties)) {
    const type = (property.format && FORMAT_TYPES[property.format]) ?? property.type;
    if (type) types[field] = type as FieldType;
  }
  return types;
}

/** How long the latest version number is trusted before it is looked up again. */
const VERSION_TTL_MS = 1_000;

/**
 * Record schemas for enforcement. A published schema version never changes, so each one is
 * compiled once per process; which version is the latest is looked up at most once a second,
 * so a new version applies to the records that arrive after it is published.
 */
export class ResourceSchemas {
  readonly #pool: Pool;
  readonly #ajv = new Ajv2020({ allErrors: true, strict: false });
  readonly #compiled = new Map<string, ResourceSchema>();
  readonly #latest = new Map<string, { at: number; schema: ResourceSchema | undefined }>();

  constructor(pool: Pool) {
    this.#pool = pool;
    addFormats(this.#ajv);
  }

  /** the latest published schema of the resource with this code; undefined when none */
  async latest(resourceCode: string): Promise<ResourceSchema | undefined> {
    const cached = this.#latest.get(resourceCode);
    if (cached && Date.now() - cached.at < VERSION_TTL_MS) return cached.schema;
    const { rows } = await this.#pool.query<{
      resource_id: string;
      provider_code: string;
      version: number | null;
    }>(
      `SELECT r.id AS resource_id, d.code AS provider_code,
              (SELECT max(v.version) FROM resource_schema_versions v WHERE v.resource_id = r.id) AS version
         FROM resources r JOIN departments d ON d.id = r.provider_id
        WHERE r.code = $1`,
      [resourceCode],
    );
    const row = rows[0];
    let schema: ResourceSchema | undefined;
    if (row && row.version !== null) {
      const cacheKey = `${row.resource_id}:${row.version}`;
      schema = this.#compiled.get(cacheKey);
      if (!schema) {
        const { rows: versions } = await this.#pool.query<{ json_schema: Record<string, unknown> }>(
          `SELECT json_schema FROM resource_schema_versions WHERE resource_id = $1 AND version = $2`,
          [row.resource_id, row.version],
        );
        const json = versions[0]!.json_schema;
        // ajv keys schemas by $id, so a schema already compiled under its id is reused
        const id = typeof json.$id === 'string' ? json.$id : undefined;
        schema = {
          resourceId: row.resource_id,
          resourceCode,
          providerCode: row.provider_code,
          version: row.version,
          keyFields: (json['x-key'] as string[] | undefined) ?? [],
          fieldTypes: fieldTypesOf(json),
          validate: (id && this.#ajv.getSchema(id)) || this.#ajv.compile(json),
        };
        this.#compiled.set(cacheKey, schema);
      }
    }
    this.#latest.set(resourceCode, { at: Date.now(), schema });
    return schema;
  }
}

/** ajv's errors as one line in Chinese for a dead letter's reason (at most five of them). */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const parts = problemsFromAjv(errors)
    .slice(0, 5)
    .map((p) => `${p.path} ${p.message}`);
  return `不符合资源记录结构: ${parts.join('; ')}`;
}
