import { writeFileSync } from 'node:fs';
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

function summarise(latencies: number[], seconds: number): LatencySummary {
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** One GET over `agent`, settled once the response is read; a 4xx or 5xx answer fails it. */
function getOnce(
  target: string,
  agent: http.Agent,
  headers: http.OutgoingHttpHeaders | undefined,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    http
      .get(target, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 400)
            reject(new Error(`${target} answered ${res.statusCode}`));
          else resolve();
        });
      })
      .on('error', reject);
  });
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
  const one = async (n: number) => {
    const started = process.hrtime.bigint();
    await getOnce(urlOf(n), agent, options.headers);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  };
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
  return summarise(latencies, seconds);
}

export interface OpenLoopSummary extends LatencySummary {
  /** the rate requests were sent at */
  offeredPerSecond: number;
  /** most requests in flight at once */
  maxInFlight: number;
  /** the warm-up requests, not in the figures above (absent without a warm-up) */
  warmup?: { requests: number; p99Ms: number; maxMs: number };
}

export interface OpenLoopOptions extends MeasureOptions {
  /** seed of the arrival times, so that both sides of a benchmark get the same arrivals */
  seed?: number;
  /** connections the driver may open (default 512); a request beyond them waits for one */
  maxSockets?: number;
  /**
   * Arrivals sent first, at the same rate on the same connections, and summarised apart
   * (`warmup`): the start of a burst after an idle spell (new connections, a young generation the
   * memory reducer shrank) is then reported on its own instead of making the steady state's p99.
   */
  warmupRequests?: number;
}

/** mulberry32: a small seeded PRNG */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Open-loop load: `requests` requests arriving as a Poisson process at `perSecond`, whether or
 * not earlier ones have been answered, over keep-alive connections. A closed loop (`measure`)
 * drives a server to saturation, so its latency is mostly queueing behind the slower server's
 * own backlog; here both sides of a benchmark get the same arrivals, and a request's latency is
 * counted from when it was due to be sent (not from when the driver got round to it), so a
 * server that falls behind pays for every request it delays.
 */
export async function measureOpenLoop(
  url: string | ((n: number) => string),
  requests: number,
  perSecond: number,
  options: OpenLoopOptions = {},
): Promise<OpenLoopSummary> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 512 });
  const urlOf = typeof url === 'string' ? () => url : url;
  const random = seededRandom(options.seed ?? 1);
  const warmupRequests = options.warmupRequests ?? 0;
  const total = warmupRequests + requests;
  // arrival times in ns from the start, exponential gaps with mean 1/perSecond
  const due: number[] = [];
  let at = 0;
  for (let n = 0; n < total; n += 1) {
    at += (-Math.log(1 - random()) / perSecond) * 1e9;
    due.push(at);
  }
  const latencies: number[] = [];
  const warmupLatencies: number[] = [];
  /** `due ms,latency ms` per request, for BENCH_LATENCY_DUMP */
  const timeline: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failure: Error | undefined;
  const started = process.hrtime.bigint();
  const startedEpochMs = Date.now();
  const elapsed = () => Number(process.hrtime.bigint() - started);
  const send = async (n: number) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      // the warm-up's URLs come after the measured ones' (n = requests…), so that the measured
      // requests ask for the same things with and without a warm-up
      const measured = n >= warmupRequests;
      await getOnce(urlOf(measured ? n - warmupRequests : requests + n), agent, options.headers);
      const latencyMs = (elapsed() - due[n]!) / 1e6;
      (measured ? latencies : warmupLatencies).push(latencyMs);
      timeline.push(`${(due[n]! / 1e6).toFixed(1)},${latencyMs.toFixed(2)}`);
    } catch (error) {
      failure ??= error as Error;
    } finally {
      inFlight -= 1;
    }
  };
  const pending: Promise<void>[] = [];
  let next = 0;
  while (next < total) {
    const now = elapsed();
    while (next < total && due[next]! <= now) {
      pending.push(send(next));
      next += 1;
    }
    if (next < total) {
      // Sleep until the next arrival, at least one timer tick (≈ 1 ms): the driver must not spin
      // on a core the servers need. Requests that fell due meanwhile go out together, their
      // latency still counted from when they were due (at most a tick more, for both sides).
      const waitMs = (due[next]! - elapsed()) / 1e6;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, waitMs)));
    }
  }
  await Promise.all(pending);
  // the measured requests' span: from the first one's due time to the last answer
  const seconds = (elapsed() - (warmupRequests > 0 ? due[warmupRequests]! : 0)) / 1e9;
  agent.destroy();
  // For finding when in a round the slow requests were (a stall at the start, a periodic one):
  // BENCH_LATENCY_DUMP=/tmp/lat writes /tmp/lat-<rate>-<start, epoch ms>.csv per round (due
  // times from that start: they line up with the servers' BENCH_STALL_LOG).
  const dump = process.env.BENCH_LATENCY_DUMP;
  if (dump) writeFileSync(`${dump}-${perSecond}-${startedEpochMs}.csv`, `${timeline.join('\n')}\n`);
  if (failure) throw failure;
  const summary = { ...summarise(latencies, seconds), offeredPerSecond: perSecond, maxInFlight };
  if (warmupRequests === 0) return summary;
  warmupLatencies.sort((a, b) => a - b);
  return {
    ...summary,
    warmup: {
      requests: warmupRequests,
      p99Ms: percentile(warmupLatencies, 99),
      maxMs: warmupLatencies.at(-1) ?? Number.NaN,
    },
  };
}
