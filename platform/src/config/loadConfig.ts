import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * The JSON Schema of a service's configuration: one property per environment variable,
 * named exactly as the variable. Values arrive as strings and are coerced to the declared type.
 */
export interface ConfigSchema {
  type: 'object';
  properties: Record<string, ConfigPropertySchema>;
  required?: string[];
  additionalProperties?: boolean;
}

export interface ConfigPropertySchema {
  type: 'string' | 'integer' | 'number' | 'boolean';
  description: string;
  default?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  enum?: readonly (string | number)[];
  format?: string;
  pattern?: string;
  minLength?: number;
  /** never print the value, not even in an error message */
  secret?: boolean;
}

/** A configuration value is missing or invalid; the service must not start. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(service: string, problems: readonly string[]) {
    super(`配置无效 / invalid configuration for ${service}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const ajv = new Ajv({ coerceTypes: true, useDefaults: true, allErrors: true, strict: false });
addFormats(ajv);

/**
 * Read the variables a schema declares from `env`, coerce and validate them. Unknown variables
 * are ignored (the environment holds many things); every problem is reported at once, naming
 * the variable, so an operator fixes the whole configuration in one go.
 */
export function loadConfig<T>(
  service: string,
  schema: ConfigSchema,
  env: Readonly<Record<string, string | undefined>>,
): T {
  const input: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') input[name] = raw;
  }
  const validate = ajv.compile({ ...schema, additionalProperties: false });
  if (!validate(input)) {
    const problems = (validate.errors ?? []).map((error) => describe(error, schema, env));
    throw new ConfigError(service, [...new Set(problems)]);
  }
  return input as T;
}

function describe(
  error: ErrorObject,
  schema: ConfigSchema,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const name =
    error.keyword === 'required'
      ? String((error.params as { missingProperty: string }).missingProperty)
      : error.instancePath.replace(/^\//, '');
  const property = schema.properties[name];
  if (error.keyword === 'required') {
    return `${name} is required (${property?.description ?? 'no description'})`;
  }
  const raw = env[name];
  const shown = property?.secret ? '(hidden)' : JSON.stringify(raw);
  return `${name} ${error.message ?? 'is invalid'}, got ${shown} (${property?.description ?? ''})`;
}
