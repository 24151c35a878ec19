import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { portalConfig } from '../../../config.ts';

/** The parts of a JSON Schema a field's title is found through. */
export interface TitledSchema {
  $id?: string;
  $ref?: string;
  title?: string;
  type?: string | string[];
  properties?: Record<string, TitledSchema>;
  additionalProperties?: boolean | TitledSchema;
  items?: TitledSchema;
  oneOf?: TitledSchema[];
  anyOf?: TitledSchema[];
  allOf?: TitledSchema[];
  $defs?: Record<string, TitledSchema>;
}

/**
 * The connectors' shared schemas (schemas/json/connectors/): the configuration's envelope
 * (connector.schema.json, whose `options` the plugin's own schema describes) and the schemas
 * plugins refer to by `$id` (a deletion marker, a secret reference).
 */
export interface ConnectorSchemas {
  envelope: TitledSchema;
  byId: ReadonlyMap<string, TitledSchema>;
}

/** Read the connectors' schemas from `dir` (schemas/json/connectors). */
export async function loadConnectorSchemas(dir: string): Promise<ConnectorSchemas> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.schema.json'));
  const schemas = await Promise.all(
    names.map(
      async (n) =>
        [n, JSON.parse(await readFile(path.join(dir, n), 'utf8')) as TitledSchema] as const,
    ),
  );
  const byId = new Map<string, TitledSchema>();
  for (const [, s] of schemas) if (s.$id) byId.set(s.$id, s);
  const envelope = schemas.find(([n]) => n === 'connector.schema.json')?.[1];
  if (!envelope) throw new Error(`no connector.schema.json in ${dir}`);
  return { envelope, byId };
}

let cached: Promise<ConnectorSchemas> | undefined;

/**
 * The connectors' schemas as this portal reads them: from the repository's schemas/ (the
 * files the connectors service compiles), read once. Undefined when they cannot be read: the
 * problems are then listed by JSON pointer, as before.
 */
export async function connectorSchemas(): Promise<ConnectorSchemas | undefined> {
  cached ??= loadConnectorSchemas(path.join(portalConfig().SCHEMAS_DIR, 'json', 'connectors'));
  try {
    return await cached;
  } catch {
    cached = undefined;
    return undefined;
  }
}

/** A JSON pointer's segments, unescaped (`~1` is `/`, `~0` is `~`). */
function segmentsOf(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A schema's own title: its Chinese part, where a title says "中文 / English". */
function titleOf(schema: TitledSchema | undefined): string | undefined {
  const title = schema?.title?.split(' / ')[0]?.trim();
  return title || undefined;
}

/** `schema` with its `$ref` followed: within `root` (`#/$defs/…`) or to a shared schema by `$id`. */
function resolve(
  schema: TitledSchema | undefined,
  root: TitledSchema,
  byId: ReadonlyMap<string, TitledSchema>,
): TitledSchema | undefined {
  let current = schema;
  for (let hops = 0; current?.$ref && hops < 8; hops++) {
    const ref = current.$ref;
    if (ref.startsWith('#/$defs/')) current = root.$defs?.[ref.slice('#/$defs/'.length)];
    else current = byId.get(ref);
  }
  return current;
}

/** The schema of `segment` inside `schema`: a property, an array's item, a map's value. */
function childOf(
  schema: TitledSchema | undefined,
  segment: string,
  root: TitledSchema,
  byId: ReadonlyMap<string, TitledSchema>,
): TitledSchema | undefined {
  const parent = resolve(schema, root, byId);
  if (!parent) return undefined;
  const property = parent.properties?.[segment];
  if (property) return property;
  if (parent.items && /^[0-9]+$/.test(segment)) return parent.items;
  for (const branch of [
    ...(parent.allOf ?? []),
    ...(parent.oneOf ?? []),
    ...(parent.anyOf ?? []),
  ]) {
    const found = childOf(branch, segment, root, byId);
    if (found) return found;
  }
  if (typeof parent.additionalProperties === 'object') return parent.additionalProperties;
  return undefined;
}

/**
 * A problem's field as the steward knows it: the `title` of each step of its JSON pointer into
 * the configuration, from the connector envelope's schema and, under `/options`, from the
 * plugin's options schema (e.g. `/options/directory` → 投递目录, `/options/deleteMarker/field`
 * → 删除标记 › 标记字段). A step without a title reads as its key (第 n 项 for an array's);
 * undefined when no step has a title, and the pointer itself is the best name there is.
 */
export function connectorFieldTitle(
  pointer: string,
  optionsSchema: object | undefined,
  schemas: ConnectorSchemas | undefined,
  itemLabel: (n: number) => string,
): string | undefined {
  const segments = segmentsOf(pointer);
  if (!schemas || segments.length === 0) return undefined;
  const { envelope, byId } = schemas;
  // the options' own fields are named from the plugin's schema, without 连接器参数 before them
  const [root, steps] =
    segments[0] === 'options' && segments.length > 1
      ? [optionsSchema as TitledSchema | undefined, segments.slice(1)]
      : [envelope, segments];
  if (!root) return undefined;
  const labels: string[] = [];
  let titled = false;
  let schema: TitledSchema | undefined = root;
  let parent: TitledSchema | undefined;
  for (const segment of steps) {
    parent = resolve(schema, root, byId);
    schema = schema && childOf(schema, segment, root, byId);
    const title = titleOf(schema) ?? titleOf(resolve(schema, root, byId));
    if (title) titled = true;
    labels.push(
      title ??
        (parent?.items && /^[0-9]+$/.test(segment) ? itemLabel(Number(segment) + 1) : segment),
    );
  }
  return titled ? labels.join(' › ') : undefined;
}

/** A configuration problem, with its field's title where the schemas give one. */
export interface TitledProblem {
  path: string;
  message: string;
  title?: string;
}

/** The API's problems with a configuration of a plugin, each with its field's title. */
export function withFieldTitles(
  problems: readonly { path: string; message: string }[],
  optionsSchema: object | undefined,
  schemas: ConnectorSchemas | undefined,
  itemLabel: (n: number) => string,
): TitledProblem[] {
  return problems.map((p) => {
    const title = connectorFieldTitle(p.path, optionsSchema, schemas, itemLabel);
    return title ? { ...p, title } : { ...p };
  });
}
