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
 * Drive `url` with `concurrency` keep-alive connections for `requests` requests in total and
 * summarise latency. Plain node:http on both sides so that the client costs the same for the
 * benchmark and its baseline.
 */
export async function measure(
  url: string,
  requests: number,
  concurrency: number,
  options: MeasureOptions = {},
): Promise<LatencySummary> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const started = process.hrtime.bigint();
      http
        .get(url, { agent, headers: options.headers }, (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 400)
              reject(new Error(`${url} answered ${res.statusCode}`));
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            resolve();
          });
        })
        .on('error', reject);
    });
  const worker = async () => {
    while (next < requests) {
      next += 1;
      await one();
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
