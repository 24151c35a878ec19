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
  /** an HTTP port that browsers and `fetch` connect to: the Fetch standard's bad ports are refused */
  httpPort?: boolean;
}

/**
 * The ports that browsers and Node's `fetch` refuse to connect to (the Fetch standard's "bad
 * port" list: X11, IRC, mail, …). A service listening on one starts, but nothing reaches it:
 * the launcher's readiness check fails with "bad port" and download links break, so the
 * configuration is refused up front.
 */
export const FETCH_BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

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
  const problems = validate(input)
    ? []
    : (validate.errors ?? []).map((error) => describe(error, schema, env));
  for (const [name, property] of Object.entries(schema.properties)) {
    if (property.httpPort && FETCH_BAD_PORTS.has(input[name] as number))
      problems.push(
        `${name} ${String(input[name])} is a port browsers and fetch refuse to connect to ` +
          `(the Fetch standard's bad ports: X11, IRC, mail…); choose another (${property.description})`,
      );
  }
  if (problems.length > 0) throw new ConfigError(service, [...new Set(problems)]);
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
