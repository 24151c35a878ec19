import type { StewardText } from '../../i18n/console/steward.ts';
import { positionText } from './positionText.ts';

/** a connector's name, as the connectors API's path parameter takes it */
export const CONNECTOR_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** a plugin type, as the connectors API's path parameter takes it */
export const PLUGIN_TYPE = /^[a-z][a-z0-9-]{0,39}$/;
/** far more than any plugin's options need; a sealed form carries up to 4 000 characters */
export const MAX_CONFIG_CHARS = 4000;
const SECRET_REF = /secret-ref\.schema\.json$/;

/** What is wrong with the form before the connectors API is asked. */
export type ConnectorFormProblem =
  | { input: 'name'; code: 'nameInvalid' }
  | { input: 'config'; code: 'configTooLong' }
  | { input: 'config'; code: 'configNotJson'; line: number; column: number }
  | { input: 'config'; code: 'configNotObject' }
  | { input: 'config'; code: 'typeMissing' };

export interface ConnectorForm {
  name: string;
  /** the plugin type: the form's own, else the configuration's */
  type: string;
  configText: string;
  /** the configuration as an object, its `type` filled in from the form when left out */
  config: Record<string, unknown> | undefined;
  problems: ConnectorFormProblem[];
}

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

/**
 * The connector form (新建连接器 or 修改配置) as the API takes it: the name (checked only when
 * `withName`), the plugin type and the configuration parsed from the textarea. Problems name
 * the input they are about; a JSON syntax error says where (line and column), never quoting
 * the text, which may hold a secret typed where a reference belongs.
 */
export function connectorFromForm(form: FormData, { withName = true } = {}): ConnectorForm {
  const name = text(form, 'name').trim();
  const configText = text(form, 'config');
  const problems: ConnectorFormProblem[] = [];
  if (withName && !CONNECTOR_NAME.test(name)) problems.push({ input: 'name', code: 'nameInvalid' });
  let type = text(form, 'type').trim();
  let config: Record<string, unknown> | undefined;
  if (configText.length > MAX_CONFIG_CHARS) {
    problems.push({ input: 'config', code: 'configTooLong' });
  } else {
    const parsed = parseConfigText(configText);
    if ('where' in parsed) {
      problems.push({ input: 'config', code: 'configNotJson', ...parsed.where });
    } else if (!isObject(parsed.value)) {
      problems.push({ input: 'config', code: 'configNotObject' });
    } else {
      config = parsed.value;
      const given = config.type;
      if (!type && typeof given === 'string') type = given;
      if (given === undefined && type) config = { type, ...config };
    }
  }
  if (config && !PLUGIN_TYPE.test(type)) problems.push({ input: 'config', code: 'typeMissing' });
  return { name, type, configText, config, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * JSON.parse, with a syntax error's place as line and column (1-based). The engine's message is
 * not passed on: V8 quotes the text around the error.
 */
export function parseConfigText(
  source: string,
): { value: unknown } | { where: { line: number; column: number } } {
  try {
    return { value: JSON.parse(source) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    if (lineColumn)
      return { where: { line: Number(lineColumn[1]), column: Number(lineColumn[2]) } };
    const position = /position (\d+)/.exec(message);
    // no position: the text ended too soon (or is empty)
    const at = position ? Number(position[1]) : source.length;
    const before = source.slice(0, at).split('\n');
    return { where: { line: before.length, column: before.at(-1)!.length + 1 } };
  }
}

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  minItems?: number;
  items?: JsonSchema;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/**
 * A value of the shape `schema` asks for, to be filled in: a secret as a reference to an
 * environment variable whose name is left blank, text blank, a default where there is one, an
 * object with its required properties only.
 */
function placeholder(schema: JsonSchema | undefined): unknown {
  if (!schema) return '';
  if (schema.$ref && SECRET_REF.test(schema.$ref)) return { secret: { env: '' } };
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const choice = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (choice) return placeholder(choice);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object':
      return skeletonOf(schema);
    case 'array':
      return (schema.minItems ?? 0) > 0 ? [placeholder(schema.items)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return schema.properties ? skeletonOf(schema) : '';
  }
}

function skeletonOf(schema: JsonSchema): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of schema.required ?? []) object[key] = placeholder(schema.properties?.[key]);
  return object;
}

/**
 * The configuration a new connector of `plugin`'s type starts from: the department, the resource
 * (a source) or the grant (a sink) to fill in, and the options the plugin's schema requires. A
 * sink starts with `initialLoad` on: a consumer setting up its system wants the records it is
 * granted, not only the changes from now on (the API's default is off; the line shows, so it
 * can be turned off before saving).
 */
export function configSkeleton(
  plugin: { type: string; kind: 'source' | 'sink'; optionsSchema: object },
  department: string,
): Record<string, unknown> {
  return {
    type: plugin.type,
    department,
    ...(plugin.kind === 'source' ? { resource: '' } : { grant: '', initialLoad: true }),
    options: skeletonOf(plugin.optionsSchema as JsonSchema),
  };
}

/** A configuration as the textarea shows it. */
export function configText(config: unknown): string {
  return JSON.stringify(config, null, 2);
}

/** A form problem in the person's words (steward.ts's formProblem and configNotJson). */
export function formProblemText(
  problem: ConnectorFormProblem,
  t: Pick<StewardText, 'formProblem' | 'configNotJson'>,
): string {
  return problem.code === 'configNotJson'
    ? t.configNotJson(problem.line, problem.column)
    : t.formProblem[problem.code];
}

/**
 * Where a connector resumes, a line each: a source's stored position in words (`positionText`:
 * its plugin's own sentence, else its `positionSchema`'s titles; a position is a bookmark such as
 * a file and line, never a secret), or none; a sink's committed offset, end and lag per
 * partition of its delivery stream.
 */
export function offsetsText(
  offsets:
    | { kind: 'source'; position?: unknown }
    | {
        kind: 'sink';
        partitions: { partition: number; offset: number | null; end: number; lag: number }[];
      },
  t: Pick<StewardText, 'noPosition' | 'noPartitions' | 'partitionOffset' | 'position'>,
  source: { type: string; positionSchema?: object } = { type: '' },
): string[] {
  if (offsets.kind === 'source') {
    if (offsets.position === null || offsets.position === undefined) return [t.noPosition];
    return positionText(source.type, offsets.position, source.positionSchema, t.position);
  }
  if (offsets.partitions.length === 0) return [t.noPartitions];
  return offsets.partitions.map((p) => t.partitionOffset(p.partition, p.offset, p.end, p.lag));
}
