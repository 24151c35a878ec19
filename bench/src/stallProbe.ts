import { appendFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** garbage collections and event-loop stalls at least this long are written down */
const THRESHOLD_MS = 5;
/** how often the loop checks its own lag */
const TICK_MS = 2;

/**
 * Stall probe of a benchmark server, for finding what makes a latency tail: with
 * `BENCH_STALL_LOG=<prefix>` the process appends to `<prefix>-<label>-<pid>.csv` one line
 * `epoch ms,kind,ms[,detail]` per garbage collection (`gc`, with its kind) and per event-loop
 * stall (`lag`: a 2 ms timer that fired that much late) of at least 5 ms, and `timed(...)` per
 * query the caller times. Epoch milliseconds, so that the lines line up with the load driver's
 * `BENCH_LATENCY_DUMP` timelines. Without the variable it does nothing.
 */
export function startStallProbe(label: string): { timed(kind: string, ms: number): void } {
  const prefix = process.env.BENCH_STALL_LOG;
  if (!prefix) return { timed() {} };
  const file = `${prefix}-${label}-${process.pid}.csv`;
  const write = (epochMs: number, kind: string, ms: number, detail = '') =>
    appendFileSync(file, `${epochMs.toFixed(1)},${kind},${ms.toFixed(2)},${detail}\n`);
  const gcKinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration < THRESHOLD_MS) continue;
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      write(
        performance.timeOrigin + entry.startTime,
        'gc',
        entry.duration,
        gcKinds[kind] ?? `${kind}`,
      );
    }
  }).observe({ entryTypes: ['gc'] });
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const lag = now - last - TICK_MS;
    if (lag >= THRESHOLD_MS) write(performance.timeOrigin + last, 'lag', lag);
    last = now;
  }, TICK_MS).unref();
  return {
    timed(kind, ms) {
      if (ms >= THRESHOLD_MS) write(Date.now() - ms, kind, ms);
    },
  };
}
