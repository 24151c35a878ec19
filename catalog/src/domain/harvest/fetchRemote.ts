/**
 * Reading documents from a harvested catalogue: every request has a time limit, a body larger
 * than the limit is cut off unread, only http(s) is spoken, and failures become
 * HarvestFetchError with a Chinese message that names the address but never a credential.
 */

/** A remote document could not be read; the walk stops and the job withdraws nothing. */
export class HarvestFetchError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HarvestFetchError';
  }
}

export interface RemoteDocument {
  /** the final URL, after redirects */
  url: string;
  /** media type without parameters, lower-cased */
  contentType: string;
  body: string;
}

export interface RemoteFetcher {
  get(url: string, accept: string): Promise<RemoteDocument>;
}

export interface RemoteFetcherOptions {
  timeoutMs: number;
  maxBytes: number;
  /** aborts every request (the job is stopped) */
  signal?: AbortSignal;
}

/** The address without query or userinfo, for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(无效地址)';
  }
}

async function readLimited(res: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new HarvestFetchError(`来源文档超过 ${maxBytes} 字节上限：${displayUrl(url)}`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new HarvestFetchError(`来源文档超过 ${maxBytes} 字节上限：${displayUrl(url)}`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks, size));
}

export function createRemoteFetcher({
  timeoutMs,
  maxBytes,
  signal,
}: RemoteFetcherOptions): RemoteFetcher {
  return {
    async get(url, accept) {
      const protocol = new URL(url).protocol;
      if (protocol !== 'http:' && protocol !== 'https:') {
        throw new HarvestFetchError(`只能采集 http 或 https 地址：${displayUrl(url)}`);
      }
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let res: Response;
      try {
        res = await fetch(url, {
          headers: { accept, 'user-agent': 'gov-exchange-catalog-harvester/1' },
          redirect: 'follow',
          signal: combined,
        });
      } catch (error) {
        if (signal?.aborted) throw new HarvestFetchError('采集任务已停止', { cause: error });
        if (timeout.aborted) {
          throw new HarvestFetchError(
            `来源 ${Math.round(timeoutMs / 1000)} 秒内没有应答：${displayUrl(url)}`,
            { cause: error },
          );
        }
        throw new HarvestFetchError(`无法连接来源：${displayUrl(url)}`, { cause: error });
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new HarvestFetchError(`来源返回 HTTP ${res.status}：${displayUrl(url)}`);
      }
      try {
        const body = await readLimited(res, maxBytes, url);
        const contentType = (res.headers.get('content-type') ?? '')
          .split(';')[0]!
          .trim()
          .toLowerCase();
        return { url: res.url || url, contentType, body };
      } catch (error) {
        if (error instanceof HarvestFetchError) throw error;
        if (timeout.aborted) {
          throw new HarvestFetchError(
            `来源 ${Math.round(timeoutMs / 1000)} 秒内没有传完文档：${displayUrl(url)}`,
            { cause: error },
          );
        }
        throw new HarvestFetchError(`读取来源文档失败：${displayUrl(url)}`, { cause: error });
      }
    },
  };
}
