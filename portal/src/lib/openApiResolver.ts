import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * `$ref`s across the OpenAPI documents of schemas/openapi, followed lazily. The specs split each
 * service over side files (exchange-api.yaml refers to exchange-open.yaml's path items, which
 * refer to common.yaml's responses), and a `$ref` inside a side file is relative to that side
 * file. Dereferencing the whole set up front would expand every schema at every use (and loop
 * on recursive schemas); the documentation needs only a few levels, so each lookup resolves one
 * node and says which file the node came from, for the refs inside it.
 */

export type Json = Record<string, unknown>;

/** A node and the document its own relative `$ref`s are resolved against. */
export interface Located {
  node: Json;
  file: string;
}

export const asObject = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};

/** JSON Pointer (RFC 6901) segments of a `$ref`'s fragment. */
function pointerSegments(fragment: string): string[] {
  return fragment
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The file a `$ref` names, relative to the referring file; the same file for `#/…`. */
export function refTarget(ref: string, from: string): { file: string; pointer: string[] } {
  const hash = ref.indexOf('#');
  const filePart = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? '' : ref.slice(hash + 1);
  // an absolute URI (a JSON Schema `$id`) is kept as it is: it names no file here
  const file = !filePart
    ? from
    : /^[a-z][a-z0-9+.-]*:/i.test(filePart)
      ? filePart
      : path.posix.join(path.posix.dirname(from), filePart);
  return { file, pointer: pointerSegments(fragment) };
}

/** How many `$ref`s a chain may follow before it is taken for a cycle. */
const MAX_HOPS = 32;

export class OpenApiResolver {
  constructor(private readonly documents: ReadonlyMap<string, unknown>) {}

  /** The documents loaded, by file name relative to the schemas folder (`openapi/catalog.yaml`). */
  files(): string[] {
    return [...this.documents.keys()];
  }

  /** A whole document; an empty object when it was not loaded. */
  document(file: string): Json {
    return asObject(this.documents.get(file));
  }

  /**
   * The node `value` stands for: itself, or what its `$ref` chain ends at (an empty object when
   * the chain is broken or loops), with the file that node belongs to. OpenAPI 3.1 lets a
   * reference carry `summary`/`description` that override the target's; they are kept.
   */
  resolve(value: unknown, file: string): Located {
    let node = asObject(value);
    let current = file;
    const overrides: Json = {};
    for (let hops = 0; typeof node.$ref === 'string'; hops++) {
      if (hops === MAX_HOPS) return { node: {}, file: current };
      for (const key of ['summary', 'description'] as const)
        if (typeof node[key] === 'string' && !(key in overrides)) overrides[key] = node[key];
      const target = refTarget(node.$ref, current);
      let next: unknown = this.documents.get(target.file);
      for (const segment of target.pointer) next = asObject(next)[segment];
      node = asObject(next);
      current = target.file;
    }
    return { node: { ...node, ...overrides }, file: current };
  }

  /** The name a `$ref` gives its target (the pointer's last segment), for display. */
  static refName(value: unknown): string | undefined {
    const ref = asObject(value).$ref;
    if (typeof ref !== 'string') return undefined;
    return pointerSegments(ref.slice(ref.indexOf('#') + 1)).at(-1);
  }
}

/** Every `$ref` string anywhere in a parsed document. */
function refsIn(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.add(child);
      else refsIn(child, found);
    }
  }
  return found;
}

/**
 * Reads the entry documents and every document they refer to, transitively, from `dir` (the
 * schemas folder: the OpenAPI files refer to JSON Schemas in `json/`). References outside `dir`
 * and absolute URIs are not followed: the portal reads only the project's own contracts.
 */
export async function loadOpenApiDocuments(
  dir: string,
  entries: readonly string[],
): Promise<OpenApiResolver> {
  const documents = new Map<string, unknown>();
  const pending = [...entries];
  while (pending.length) {
    const file = pending.shift()!;
    if (documents.has(file)) continue;
    if (file.startsWith('..') || path.posix.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file))
      continue;
    const parsed: unknown = parse(await readFile(path.join(dir, file), 'utf8'));
    documents.set(file, parsed);
    for (const ref of refsIn(parsed)) {
      const target = refTarget(ref, file).file;
      if (!documents.has(target)) pending.push(target);
    }
  }
  return new OpenApiResolver(documents);
}
