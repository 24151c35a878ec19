import $RefParser from '@apidevtools/json-schema-ref-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Request } from 'express';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (
  ajv: Ajv,
  options: { mode: 'fast' | 'full' },
) => Ajv;

/**
 * Decides, for one request, whether express-openapi-validator would certainly accept it.
 * `accepts` answering false says nothing: the validator then decides as usual.
 */
export interface OpenApiFastPath {
  accepts(req: Request): boolean;
  /** settles once the spec is read (until then `accepts` answers false) */
  ready: Promise<void>;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
  content?: unknown;
  style?: string;
  allowEmptyValue?: boolean;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: unknown;
}
type PathItem = Record<string, unknown> & { parameters?: Parameter[] };
interface OpenApiDocument {
  servers?: { url: string }[];
  paths?: Record<string, PathItem>;
}

/** An operation whose inputs the fast path can check on its own. */
interface CheckedOperation {
  /** validators of the path parameters, in template order */
  path: ValidateFunction[];
  headers: { name: string; required: boolean; validate: ValidateFunction }[];
}

interface Template {
  pattern: RegExp;
  /** by lower-case method; absent: the validator decides */
  operations: Map<string, CheckedOperation>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Schema keywords whose meaning for a string is plain and the same in every ajv setup. */
const STRING_KEYWORDS = new Set([
  'type',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'enum',
  'const',
  'description',
  'title',
  'example',
  'examples',
  'deprecated',
]);
/** formats the validator defines differently from ajv-formats (its own `byte`, `binary`, …) */
const FORMATS_OF_THE_VALIDATOR = new Set(['byte', 'binary', 'password', 'int32', 'int64']);
/** what path-to-regexp 8 reads in a route as a parameter name or as plain text */
const PARAMETER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const PLAIN_TEXT = /^[A-Za-z0-9\-._~/]*$/;

/** a template and a path are grouped by their segments, an optional trailing slash aside */
const withoutTrailingSlash = (path: string) =>
  path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The regular expression express-openapi-validator builds for a path template (through
 * path-to-regexp 8, case-insensitive, an optional trailing slash), or undefined for a template
 * whose reading by path-to-regexp is not plain.
 */
function templatePattern(template: string): RegExp | undefined {
  let source = '';
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{');
    const literal = open < 0 ? rest : rest.slice(0, open);
    if (!PLAIN_TEXT.test(literal)) return undefined;
    source += escapeRegExp(literal);
    if (open < 0) break;
    const close = rest.indexOf('}', open);
    if (close < 0 || !PARAMETER_NAME.test(rest.slice(open + 1, close))) return undefined;
    source += '([^\\/]+)';
    rest = rest.slice(close + 1);
  }
  return new RegExp(`^(?:${source})(?:\\/$)?$`, 'i');
}

function isPlainString(schema: Record<string, unknown> | undefined): boolean {
  if (!schema || schema.type !== 'string') return false;
  if (typeof schema.format === 'string' && FORMATS_OF_THE_VALIDATOR.has(schema.format))
    return false;
  return Object.keys(schema).every((k) => STRING_KEYWORDS.has(k) || k.startsWith('x-'));
}

/** Path-item parameters, replaced by operation parameters of the same name and place. */
function parametersOf(pathItem: PathItem, operation: Operation): Parameter[] {
  const own = operation.parameters ?? [];
  const inherited = (pathItem.parameters ?? []).filter(
    (p) => !own.some((o) => o.name === p.name && o.in === p.in),
  );
  return [...own, ...inherited];
}

function checkedOperation(
  ajv: Ajv,
  template: string,
  pathItem: PathItem,
  operation: Operation,
): CheckedOperation | undefined {
  if (operation.requestBody !== undefined) return undefined;
  const parameters = parametersOf(pathItem, operation);
  const headers: CheckedOperation['headers'] = [];
  const byName = new Map<string, ValidateFunction>();
  for (const p of parameters) {
    if (
      p.content !== undefined ||
      (p.style !== undefined && p.style !== 'simple' && p.in !== 'query')
    )
      return undefined;
    if (p.in === 'query') {
      // fast-path requests carry no query string: only an optional one without a default can
      // be left out without the validator saying something or filling something in
      if (p.required || !p.schema || 'default' in p.schema) return undefined;
      continue;
    }
    if ((p.in !== 'path' && p.in !== 'header') || !isPlainString(p.schema)) return undefined;
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(p.schema!);
    } catch {
      return undefined; // e.g. a pattern this ajv does not take: the validator decides
    }
    if (p.in === 'path') byName.set(p.name, validate);
    else headers.push({ name: p.name.toLowerCase(), required: p.required === true, validate });
  }
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  if (names.some((n) => !byName.has(n)) || byName.size !== names.length) return undefined;
  return { path: names.map((n) => byName.get(n)!), headers };
}

function compile(doc: OpenApiDocument): Template[][] {
  // a base path in the servers' URLs prefixes every route: leave such specs to the validator
  if ((doc.servers ?? []).some((s) => !/^(?:[a-z]+:\/\/[^/]+)?\/?$/i.test(s.url))) return [];
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats(ajv, { mode: 'fast' });
  const bySegments: Template[][] = [];
  for (const [template, pathItem] of Object.entries(doc.paths ?? {})) {
    const pattern = templatePattern(template);
    // a template we cannot read as the validator does could match anything: no fast path at all
    if (!pattern) return [];
    const operations = new Map<string, CheckedOperation>();
    for (const method of METHODS) {
      const operation = pathItem[method] as Operation | undefined;
      if (!operation) continue;
      const checked = checkedOperation(ajv, template, pathItem, operation);
      if (checked) operations.set(method, checked);
    }
    const segments = withoutTrailingSlash(template).split('/').length;
    (bySegments[segments] ??= []).push({ pattern, operations });
  }
  return bySegments;
}

function accepts(bySegments: Template[][], req: Request): boolean {
  const url = req.originalUrl;
  if (url.includes('?') || req.app.enabled('case sensitive routing')) return false;
  const candidates = bySegments[withoutTrailingSlash(url).split('/').length];
  if (!candidates) return false;
  let match: RegExpExecArray | null = null;
  let found: Template | undefined;
  for (const template of candidates) {
    const m = template.pattern.exec(url);
    if (!m) continue;
    // the validator takes the first of several matching templates in its own order: let it
    if (found) return false;
    found = template;
    match = m;
  }
  const operation = found?.operations.get(req.method.toLowerCase());
  if (!operation || !match) return false;
  for (let i = 0; i < operation.path.length; i += 1) {
    let value: string;
    try {
      value = decodeURIComponent(match[i + 1]!);
    } catch {
      return false;
    }
    if (!operation.path[i]!(value)) return false;
  }
  for (const header of operation.headers) {
    const value = req.headers[header.name];
    if (value === undefined) {
      if (header.required) return false;
    } else if (typeof value !== 'string' || !header.validate(value)) return false;
  }
  return true;
}

/**
 * A precompiled fast path through the OpenAPI request validation for the commonest hot request:
 * an operation whose only inputs are plain string path and header parameters (get by key, one
 * receipt, one grant…), called without a query string. express-openapi-validator finds a
 * request's operation by turning every route template of the spec into a regular expression on
 * every request, which costs more than everything else such a request does before its query;
 * here the templates are compiled once.
 *
 * The fast path only ever accepts. Whatever it cannot vouch for — another kind of operation, a
 * query string, a parameter that does not validate, a path that more than one template matches,
 * a spec it does not read as the validator does — goes to express-openapi-validator as before,
 * which answers or refuses it as it always did, so problems and status codes are the
 * validator's. It must never accept what the validator would refuse; `openApiFastPath.test.ts`
 * compares the two. Until the spec is loaded, everything goes to the validator.
 */
export function openApiFastPath(specPath: string): OpenApiFastPath {
  let bySegments: Template[][] = [];
  const ready = ($RefParser.dereference(specPath) as Promise<unknown>).then(
    (doc) => {
      bySegments = compile(doc as OpenApiDocument);
    },
    // the validator loads the same file and reports what is wrong with it
    () => undefined,
  );
  return { accepts: (req) => accepts(bySegments, req), ready };
}
