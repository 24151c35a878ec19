import { InputError } from '@gx/platform';
import type { JsonValue } from '../../log/RecordLog.ts';
import { defineSource, type SourceBatch, type SourceTask } from '../../runtime/plugin.ts';
import { isSecretRef, type SecretRef } from '../../runtime/secrets.ts';
import { BatchCollector, isJsonObject, type DeleteMarker } from './BatchCollector.ts';
import { loadOptionsSchema } from './loadOptionsSchema.ts';

export type HttpPagination =
  | { type: 'none' }
  | { type: 'next-link' }
  | { type: 'next-pointer'; pointer: string }
  | { type: 'page'; param: string; start?: number; sizeParam?: string; size?: number };

/** A type alias (not an interface) so that it is assignable to the registry's plain options. */
export type HttpPollOptions = {
  url: string;
  headers?: Record<string, string | SecretRef>;
  /** JSON Pointer to the items array; `''` (default): the body is the array */
  itemsPointer?: string;
  pagination?: HttpPagination;
  /** send If-None-Match / If-Modified-Since; default true */
  conditional?: boolean;
  timeoutMs?: number;
  /** an item whose `field` holds one of `values` deletes the record with its key */
  deleteMarker?: DeleteMarker;
};

interface Validators {
  etag?: string;
  lastModified?: string;
}

/**
 * Where the polling stands. `page` and `skip`: a walk through the pages is under way and
 * continues with that page, whose first `skip` items were already returned (a page longer than
 * `maxRecords` is returned in parts). `walk`: the validators of that walk's first page, which
 * become `validators` once it completes. `validators`: those of the last complete walk, sent
 * with the next walk's first request.
 */
interface HttpPollPosition {
  page?: string;
  skip?: number;
  walk?: Validators;
  validators?: Validators;
}

interface Page {
  url: string;
  items: unknown[];
  next: string | undefined;
  validators: Validators;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The URL without user info, for messages (a URL may carry `user:password@`). */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(无效地址)';
  }
}

/** RFC 6901: the value at `pointer`, or undefined */
export function resolvePointer(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  let current = document;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
      current = current[Number(token)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * RFC 8288: the target of the first link whose `rel` includes `next`, or undefined. Splits on
 * commas outside `<…>` and quoted strings (a URL or a title may contain commas).
 */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  const links: string[] = [];
  let current = '';
  let inUrl = false;
  let inQuotes = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (inQuotes && c === '\\') {
      current += c + (header[++i] ?? '');
      continue;
    }
    if (c === '"' && !inUrl) inQuotes = !inQuotes;
    else if (c === '<' && !inQuotes) inUrl = true;
    else if (c === '>' && !inQuotes) inUrl = false;
    if (c === ',' && !inUrl && !inQuotes) {
      links.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  links.push(current);
  for (const link of links) {
    const match = /^\s*<([^>]*)>(.*)$/s.exec(link);
    if (!match) continue;
    for (const param of match[2]!.split(';')) {
      const [name, ...rest] = param.split('=');
      if (name?.trim().toLowerCase() !== 'rel') continue;
      const value = rest
        .join('=')
        .trim()
        .replace(/^"(.*)"$/s, '$1');
      if (value.toLowerCase().split(/\s+/).includes('next')) return match[1];
    }
  }
  return undefined;
}

function withParams(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(params)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

function isPosition(value: JsonValue | null): value is HttpPollPosition & JsonValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compact(validators: Validators): Validators | undefined {
  const result: Validators = {};
  if (validators.etag !== undefined) result.etag = validators.etag;
  if (validators.lastModified !== undefined) result.lastModified = validators.lastModified;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** a position without the undefined members (the runtime stores it as JSON) */
function positionJson(position: HttpPollPosition): JsonValue {
  return JSON.parse(JSON.stringify(position)) as JsonValue;
}

/**
 * Polls a JSON endpoint: each poll fetches one page (a walk through the pages spans several
 * polls, resumable from the stored position), the first page of a walk conditionally. Without
 * validators from the server every walk returns everything again; sinks absorb it.
 */
class HttpPollTask implements SourceTask {
  private readonly options: HttpPollOptions;
  private readonly headers: Record<string, string>;
  private readonly keyFields: readonly string[];
  private readonly pagination: HttpPagination;
  private readonly timeoutMs: number;
  /** the last page fetched, reused while its items are returned in parts */
  private cached: Page | undefined;
  /**
   * The position returned with the batch that completed a walk. The runtime polls again at
   * once after a batch and waits its interval only after a null: answering that next poll with
   * null keeps a server without validators from being walked again and again without pause.
   */
  private completed: string | undefined;

  constructor(
    options: HttpPollOptions,
    headers: Record<string, string>,
    keyFields: readonly string[],
  ) {
    this.options = options;
    this.headers = headers;
    this.keyFields = keyFields;
    this.pagination = options.pagination ?? { type: 'none' };
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private firstPageUrl(): string {
    const p = this.pagination;
    if (p.type !== 'page') return this.options.url;
    const params: Record<string, string> = { [p.param]: String(p.start ?? 1) };
    if (p.sizeParam !== undefined && p.size !== undefined) params[p.sizeParam] = String(p.size);
    return withParams(this.options.url, params);
  }

  async poll(
    stored: JsonValue | null,
    { maxRecords, signal }: { maxRecords: number; signal: AbortSignal },
  ): Promise<SourceBatch | null> {
    const position: HttpPollPosition = isPosition(stored) ? stored : {};
    if (this.completed !== undefined && this.completed === JSON.stringify(stored)) {
      this.completed = undefined;
      return null;
    }
    this.completed = undefined;
    const isFirstPage = position.page === undefined;
    const url = position.page ?? this.firstPageUrl();
    const skip = position.skip ?? 0;
    let page: Page;
    if (skip > 0 && this.cached?.url === url) {
      page = this.cached;
    } else {
      const conditional =
        isFirstPage && this.options.conditional !== false ? position.validators : undefined;
      const fetched = await this.fetchPage(url, conditional, signal);
      if (fetched === 'not-modified') return null;
      page = fetched;
      this.cached = page;
    }
    const walk = isFirstPage ? compact(page.validators) : position.walk;

    const end = Math.min(page.items.length, skip + maxRecords);
    const batch = new BatchCollector(this.keyFields, this.options.deleteMarker);
    for (let index = skip; index < end; index++) {
      const item = page.items[index];
      const locate = () => ({
        key: `${displayUrl(page.url)}#${index}`,
        context: { url: displayUrl(page.url), index: String(index) },
      });
      if (isJsonObject(item)) {
        batch.add(item, locate);
      } else {
        const { key, context } = locate();
        batch.reject(key, (item ?? null) as JsonValue, '数据项不是 JSON 对象', context);
      }
    }

    let next: HttpPollPosition;
    if (end < page.items.length) {
      next = { page: page.url, skip: end, walk, validators: position.validators };
    } else if (page.next !== undefined) {
      next = { page: page.next, walk, validators: position.validators };
    } else {
      // the walk is complete: its first page's validators are what the next one sends
      next = { validators: walk };
    }
    const nextJson = positionJson(next);
    // an empty batch is still returned when the position moves (a walk that ends on an empty
    // page must not leave the position on that page)
    if (batch.size === 0 && JSON.stringify(nextJson) === JSON.stringify(stored ?? {})) return null;
    if (next.page === undefined) this.completed = JSON.stringify(nextJson);
    return { records: batch.records, deadLetters: batch.deadLetters, position: nextJson };
  }

  private async fetchPage(
    url: string,
    validators: Validators | undefined,
    signal: AbortSignal,
  ): Promise<Page | 'not-modified'> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.headers };
    if (validators?.etag !== undefined) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified !== undefined)
      headers['if-modified-since'] = validators.lastModified;
    const shown = displayUrl(url);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        headers,
        redirect: 'follow',
        signal: AbortSignal.any([signal, timeout]),
      });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new Error(`请求 ${shown} 超时（${this.timeoutMs} 毫秒）`);
      if (signal.aborted) throw signal.reason;
      // the cause says what failed (refused, DNS…); it holds no request header
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`请求 ${shown} 失败: ${cause?.code ?? cause?.message ?? '网络错误'}`);
    }
    if (response.status === 304) return 'not-modified';
    if (!response.ok) throw new Error(`接口返回 HTTP ${response.status}: GET ${shown}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`接口返回的不是有效的 JSON（HTTP ${response.status}）: GET ${shown}`);
    }
    const items = resolvePointer(body, this.options.itemsPointer ?? '');
    if (!Array.isArray(items)) {
      throw new Error(
        `接口响应中 ${JSON.stringify(this.options.itemsPointer ?? '')} 处不是数组: GET ${shown}`,
      );
    }
    // response.url is the page after redirects: relative links resolve against it
    const pageUrl = response.url || url;
    return {
      url,
      items,
      next: this.nextPage(url, pageUrl, response, body, items),
      validators: {
        etag: response.headers.get('etag') ?? undefined,
        lastModified: response.headers.get('last-modified') ?? undefined,
      },
    };
  }

  private nextPage(
    url: string,
    pageUrl: string,
    response: Response,
    body: unknown,
    items: unknown[],
  ): string | undefined {
    const p = this.pagination;
    let target: string | undefined;
    if (p.type === 'next-link') {
      target = nextLink(response.headers.get('link'));
    } else if (p.type === 'next-pointer') {
      const value = resolvePointer(body, p.pointer);
      target = typeof value === 'string' && value !== '' ? value : undefined;
    } else if (p.type === 'page') {
      if (items.length === 0) return undefined;
      const current = Number(new URL(url).searchParams.get(p.param) ?? p.start ?? 1);
      return withParams(url, { [p.param]: String(current + 1) });
    }
    if (target === undefined) return undefined;
    let resolved: string;
    try {
      resolved = new URL(target, pageUrl).toString();
    } catch {
      throw new Error(`下一页地址无效: GET ${displayUrl(url)}`);
    }
    // a server that links a page to itself would make the walk endless
    return resolved === url || resolved === pageUrl ? undefined : resolved;
  }

  async close(): Promise<void> {
    this.cached = undefined;
  }
}

export const httpPollSource = defineSource<HttpPollOptions>({
  kind: 'source',
  type: 'http-poll',
  title: 'HTTP 接口轮询',
  optionsSchema: loadOptionsSchema('http-poll'),
  positionSchema: {
    type: 'object',
    additionalProperties: false,
    $defs: {
      validators: {
        type: 'object',
        additionalProperties: false,
        properties: {
          etag: { title: 'ETag', type: 'string' },
          lastModified: { title: 'Last-Modified', type: 'string' },
        },
      },
    },
    properties: {
      page: { title: '正在读取的页地址', type: 'string', minLength: 1 },
      skip: { title: '该页已读条数', type: 'integer', minimum: 0 },
      walk: { title: '本轮首页的校验信息', $ref: '#/$defs/validators' },
      validators: { title: '上一轮首页的校验信息', $ref: '#/$defs/validators' },
    },
  },
  async create(options, context) {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      const resolved = isSecretRef(value) ? await context.secrets.resolve(value) : value;
      // fetch would reject it with a message that quotes the value, possibly a secret
      if (/[\r\n\0]/.test(resolved)) {
        throw new InputError(`请求头 ${name} 的取值含有换行或空字符`);
      }
      headers[name.toLowerCase()] = resolved;
    }
    return new HttpPollTask(options, headers, context.keyFields);
  },
});
