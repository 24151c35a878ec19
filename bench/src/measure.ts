import http from 'node:http';

export interface LatencySummary {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface MeasureOptions {
  /** sent with every request (e.g. `authorization`); send the same to a benchmark and its baseline */
  headers?: http.OutgoingHttpHeaders;
}

/**
 * Drive `url` (or, given a function, the URL it returns for the n-th request, e.g. rotating over
 * keys) with `concurrency` keep-alive connections for `requests` requests in total and
 * summarise latency. Plain node:http on both sides so that the client costs the same for the
 * benchmark and its baseline.
 */
export async function measure(
  url: string | ((n: number) => string),
  requests: number,
  concurrency: number,
  options: MeasureOptions = {},
): Promise<LatencySummary> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const urlOf = typeof url === 'string' ? () => url : url;
  const one = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const target = urlOf(n);
      const started = process.hrtime.bigint();
      http
        .get(target, { agent, headers: options.headers }, (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 400)
              reject(new Error(`${target} answered ${res.statusCode}`));
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            resolve();
          });
        })
        .on('error', reject);
    });
  const worker = async () => {
    while (next < requests) {
      const n = next;
      next += 1;
      await one(n);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
