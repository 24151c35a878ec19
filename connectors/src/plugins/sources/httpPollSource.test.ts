import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../log/RecordLog.ts';
import type { SourceBatch, SourceTask } from '../../runtime/plugin.ts';
import { httpPollSource, nextLink, type HttpPollOptions } from './httpPollSource.ts';
import { optionsErrors, sourceTestContext } from './sourceTestContext.ts';

const signal = new AbortController().signal;
const TOKEN = 'Bearer s3cr3t-token-value';

let server: Server;
let base: string;
/** every request the server received: path and headers */
const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
/** the `/plain` list's content and version; tests change them */
let plain = { etag: '"v1"', items: [{ id: 1 }, { id: 2 }] as unknown[] };

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

const people = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, name: `人员${from + i}` }));

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url!, 'http://localhost');
    requests.push({ path: url.pathname + url.search, headers: request.headers });
    const page = Number(url.searchParams.get('page') ?? '1');
    switch (url.pathname) {
      case '/plain':
        if (request.headers['if-none-match'] === plain.etag) return send(response, 304, '');
        return send(response, 200, plain.items, { etag: plain.etag });
      case '/link':
        // pages 1..3, the next one given relative to the current page
        return send(response, 200, people(page * 10, page * 10 + 1), {
          ...(page < 3
            ? { link: `<link?page=${page + 1}>; rel="next", </link?page=1>; rel="first"` }
            : {}),
        });
      case '/pointer':
        return send(response, 200, {
          result: { rows: people(page * 10, page * 10 + 2) },
          next: page < 2 ? `/pointer?page=${page + 1}` : null,
        });
      case '/paged': {
        const size = Number(url.searchParams.get('size'));
        const all = people(1, 7);
        return send(response, 200, { items: all.slice((page - 1) * size, page * size) });
      }
      case '/mixed':
        return send(response, 200, [
          { id: 1 },
          'text',
          [1, 2],
          null,
          { name: '无主键' },
          { id: 6 },
        ]);
      case '/changes':
        return send(response, 200, [
          { id: 1, name: '甲', deleted: false },
          { id: 2, name: '乙', deleted: true },
          { id: 3, name: '丙' },
          { id: 4, deleted: 'true' },
        ]);
      case '/fail':
        return send(response, 500, { error: 'boom' });
      case '/not-json':
        return send(response, 200, '<html>维护中</html>');
      default:
        return send(response, 404, {});
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function createTask(options: HttpPollOptions, keyFields = ['id']): Promise<SourceTask> {
  return httpPollSource.create(options, sourceTestContext(keyFields, { API_TOKEN: TOKEN }));
}

async function drain(task: SourceTask, from: JsonValue | null, maxRecords = 100) {
  const batches: SourceBatch[] = [];
  let position = from;
  for (;;) {
    const batch = await task.poll(position, { maxRecords, signal });
    if (batch === null) return { batches, position };
    batches.push(batch);
    position = batch.position;
  }
}

const ids = (batches: SourceBatch[]) => batches.flatMap((b) => b.records.map((r) => r.key));

describe('http-poll options schema', () => {
  it('accepts each pagination kind and secret headers, and rejects unknown kinds', () => {
    const url = 'https://api.example.gov.cn/v1/items';
    for (const pagination of [
      { type: 'none' },
      { type: 'next-link' },
      { type: 'next-pointer', pointer: '/links/next' },
      { type: 'page', param: 'page', start: 0, sizeParam: 'size', size: 100 },
    ]) {
      expect(
        optionsErrors(httpPollSource, {
          url,
          pagination,
          headers: { Authorization: { secret: { env: 'API_TOKEN' } }, 'X-App': 'gx' },
        }),
      ).toEqual([]);
    }
    expect(optionsErrors(httpPollSource, { url, pagination: { type: 'cursor' } })).not.toEqual([]);
    expect(optionsErrors(httpPollSource, { url: 'ftp://x/y' })).not.toEqual([]);
    expect(optionsErrors(httpPollSource, { url, itemsPointer: 'data' })).not.toEqual([]);
  });
});

describe('http-poll source', () => {
  it('sends the secret header, and a 304 for the ETag of the last walk makes poll return null', async () => {
    plain = { etag: '"v1"', items: [{ id: 1 }, { id: 2 }] };
    const task = await createTask({
      url: `${base}/plain`,
      headers: { Authorization: { secret: { env: 'API_TOKEN' } } },
    });

    const first = await task.poll(null, { maxRecords: 100, signal });
    expect(first?.records).toEqual([
      { key: '1', value: { id: 1 } },
      { key: '2', value: { id: 2 } },
    ]);
    expect(requests.at(-1)?.headers.authorization).toBe(TOKEN);
    expect(requests.at(-1)?.headers['if-none-match']).toBeUndefined();

    // the poll right after a complete walk answers null without a request (the runtime then
    // waits its interval); the next one asks the server conditionally
    const before = requests.length;
    expect(await task.poll(first!.position, { maxRecords: 100, signal })).toBeNull();
    expect(requests.length).toBe(before);
    expect(await task.poll(first!.position, { maxRecords: 100, signal })).toBeNull();
    expect(requests.at(-1)?.headers['if-none-match']).toBe('"v1"');

    // the list changes: a new ETag, everything read again
    plain = { etag: '"v2"', items: [{ id: 1 }, { id: 2 }, { id: 3 }] };
    const second = await task.poll(first!.position, { maxRecords: 100, signal });
    expect(ids([second!])).toEqual(['1', '2', '3']);
    expect(second?.position).toEqual({ validators: { etag: '"v2"' } });
    await task.close();
  });

  it('follows Link rel="next" headers and resolves relative links against the page', async () => {
    const task = await createTask({ url: `${base}/link`, pagination: { type: 'next-link' } });
    const { batches, position } = await drain(task, null);
    expect(ids(batches)).toEqual(['10', '11', '20', '21', '30', '31']);
    expect(batches[0]?.records[0]?.value).toEqual({ id: 10, name: '人员10' });

    // no validators: after the interval the next walk reads everything again (sinks absorb it)
    const again = await drain(task, position);
    expect(ids(again.batches)).toEqual(['10', '11', '20', '21', '30', '31']);
  });

  it('follows a next URL found in the body, with items under a pointer', async () => {
    const task = await createTask({
      url: `${base}/pointer`,
      itemsPointer: '/result/rows',
      pagination: { type: 'next-pointer', pointer: '/next' },
    });
    const { batches } = await drain(task, null);
    expect(ids(batches)).toEqual(['10', '11', '12', '20', '21', '22']);
  });

  it('counts pages up to the first empty one, splitting pages longer than maxRecords', async () => {
    const task = await createTask({
      url: `${base}/paged`,
      itemsPointer: '/items',
      pagination: { type: 'page', param: 'page', start: 1, sizeParam: 'size', size: 3 },
    });
    const before = requests.length;
    const { batches } = await drain(task, null, 2);
    expect(ids(batches)).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(batches.every((b) => b.records.length <= 2)).toBe(true);
    // the parts of a page come from one request: pages 1, 2, 3 and the empty 4
    expect(requests.slice(before).map((r) => r.path)).toEqual([
      '/paged?page=1&size=3',
      '/paged?page=2&size=3',
      '/paged?page=3&size=3',
      '/paged?page=4&size=3',
    ]);

    // the walk ended on the empty page; the next one starts again at page 1
    const last = batches.at(-1)!;
    expect(last.position).toEqual({});
    await task.poll(last.position, { maxRecords: 2, signal });
    expect(requests.at(-1)?.path).toBe('/paged?page=1&size=3');
  });

  it('resumes an interrupted walk in a new task from the stored position', async () => {
    const options: HttpPollOptions = { url: `${base}/link`, pagination: { type: 'next-link' } };
    const first = await createTask(options);
    const batch = await first.poll(null, { maxRecords: 100, signal });
    await first.close();

    const before = requests.length;
    const second = await createTask(options);
    const { batches } = await drain(second, JSON.parse(JSON.stringify(batch!.position)));

    expect(ids(batches)).toEqual(['20', '21', '30', '31']);
    expect(requests[before]?.path).toBe('/link?page=2');
  });

  it('turns non-object items and items without a key into dead letters', async () => {
    const task = await createTask({ url: `${base}/mixed` });
    const batch = await task.poll(null, { maxRecords: 100, signal });
    expect(ids([batch!])).toEqual(['1', '6']);
    expect(
      batch?.deadLetters.map((d) => [d.reason, d.value, d.context?.index, d.context?.url]),
    ).toEqual([
      ['数据项不是 JSON 对象', 'text', '1', `${base}/mixed`],
      ['数据项不是 JSON 对象', [1, 2], '2', `${base}/mixed`],
      ['数据项不是 JSON 对象', null, '3', `${base}/mixed`],
      ['缺少主键字段 id', { name: '无主键' }, '4', `${base}/mixed`],
    ]);
  });

  it('reads items carrying the deletion marker as deletions, and drops the marker from every item', async () => {
    const task = await createTask({
      url: `${base}/changes`,
      deleteMarker: { field: 'deleted', values: [true] },
    });
    const batch = await task.poll(null, { maxRecords: 100, signal });
    expect(batch?.records).toEqual([
      { key: '1', value: { id: 1, name: '甲' } },
      { key: '2', value: { id: 2 }, deleted: true },
      { key: '3', value: { id: 3, name: '丙' } },
      // values compare as text: the string "true" is the marker true
      { key: '4', value: { id: 4 }, deleted: true },
    ]);

    // a page read in parts, its second part read again (storing it failed): still a deletion
    const parts = await createTask({
      url: `${base}/changes`,
      deleteMarker: { field: 'deleted', values: [true] },
    });
    const first = await parts.poll(null, { maxRecords: 2, signal });
    const second = await parts.poll(first!.position, { maxRecords: 2, signal });
    const again = await parts.poll(first!.position, { maxRecords: 2, signal });
    expect(again?.records).toEqual(second?.records);
    expect(again?.records.at(-1)).toEqual({ key: '4', value: { id: 4 }, deleted: true });
  });

  it('throws on a 500 and on a body that is not JSON, naming status and URL but never the secret', async () => {
    const headers = { Authorization: { secret: { env: 'API_TOKEN' } } };
    const failing = await createTask({ url: `${base}/fail`, headers });
    const error = await failing.poll(null, { maxRecords: 100, signal }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`接口返回 HTTP 500: GET ${base}/fail`);
    expect(requests.at(-1)?.headers.authorization).toBe(TOKEN);

    const notJson = await createTask({ url: `${base}/not-json`, headers });
    await expect(notJson.poll(null, { maxRecords: 100, signal })).rejects.toThrow(
      `接口返回的不是有效的 JSON（HTTP 200）: GET ${base}/not-json`,
    );

    const refused = await createTask({ url: 'http://127.0.0.1:1/x', headers });
    const network = await refused.poll(null, { maxRecords: 100, signal }).catch((e: Error) => e);
    expect((network as Error).message).toMatch(/^请求 http:\/\/127\.0\.0\.1:1\/x 失败/);

    for (const e of [error, network]) {
      expect(
        JSON.stringify({ message: (e as Error).message, stack: (e as Error).stack }),
      ).not.toContain('s3cr3t');
    }
  });

  it('parses RFC 8288 Link headers with several links, quoted commas and multiple rels', () => {
    expect(
      nextLink('<https://a/x?p=1,2>; rel="prev", <https://a/x?p=3>; title="a, b"; rel="last next"'),
    ).toBe('https://a/x?p=3');
    expect(nextLink('<https://a/1>; rel=next')).toBe('https://a/1');
    expect(nextLink('<https://a/1>; rel="prev"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
