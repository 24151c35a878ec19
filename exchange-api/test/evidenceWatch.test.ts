import type pg from 'pg';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs, type TestDatabase } from '@gx/platform/testing';
import { EvidenceWatch, type EvidenceLog } from '../src/domain/evidence/index.ts';
import {
  asOwner,
  closeEvidenceDatabase,
  evidenceInput,
  openEvidenceDatabase,
} from './evidenceTesting.ts';

let testDb: TestDatabase;
let pool: pg.Pool;
let evidence: EvidenceLog;
const logs = captureLogs('evidence-watch');

const watchWith = (fullEveryHours = 24, intervalSeconds = 300) =>
  new EvidenceWatch({ pool, evidence, logger: logs.logger, intervalSeconds, fullEveryHours });

async function append(count: number) {
  for (let i = 0; i < count; i += 1) await evidence.append(evidenceInput({ recordCount: i }));
}

async function metricsOf(watch: EvidenceWatch): Promise<string> {
  const registry = new Registry();
  watch.registerMetrics(registry);
  return registry.metrics();
}

beforeAll(async () => {
  ({ testDb, pool, evidence } = await openEvidenceDatabase());
});

afterAll(() => closeEvidenceDatabase({ testDb, pool, evidence }));

describe('EvidenceWatch', () => {
  it('walks the chain in full first, then only what was appended since the last intact pass', async () => {
    await append(20);
    const watch = watchWith();
    expect(await metricsOf(watch)).not.toMatch(/^gx_evidence_chain_intact\b/m);

    const first = await watch.pass();
    expect(first).toMatchObject({
      kind: 'full',
      ok: true,
      entries: 20,
      since: null,
      head: { seq: '20' },
      firstBroken: null,
    });

    await append(5);
    const second = await watch.pass();
    expect(second).toMatchObject({ kind: 'incremental', ok: true, since: '20', entries: 5 });
    expect(second.head.seq).toBe('25');
    expect(await watch.status()).toMatchObject({
      latest: { kind: 'incremental', head: { seq: '25' } },
      lastFull: { kind: 'full', head: { seq: '20' } },
    });
    const metrics = await metricsOf(watch);
    expect(metrics).toMatch(/^gx_evidence_chain_intact\{kind="incremental"\} 1$/m);
    expect(metrics).toMatch(/^gx_evidence_verified_head_seq\{kind="incremental"\} 25$/m);
    const at = Number(
      /^gx_evidence_last_verification_timestamp_seconds\{kind="incremental"\} (\S+)$/m.exec(
        metrics,
      )![1],
    );
    expect(Math.abs(at - Date.parse(second.checkedAt) / 1_000)).toBeLessThan(0.01);
  });

  it('reports a change after the last intact pass until it is repaired; the daily full walk finds one before it', async () => {
    const watch = watchWith();
    await append(3); // entries 26-28
    await asOwner(pool, 'UPDATE evidence_entries SET record_count = 99 WHERE seq = 27');
    try {
      const broken = await watch.pass();
      expect(broken).toMatchObject({
        kind: 'incremental',
        ok: false,
        since: '25',
        firstBroken: { seq: '27', problem: 'altered' },
      });
      expect(await metricsOf(watch)).toMatch(/^gx_evidence_chain_intact\{kind="incremental"\} 0$/m);
      expect(logs.text()).toContain('evidence chain BROKEN');
      // still broken on the next pass: it starts from the last intact one again
      expect(await watch.pass()).toMatchObject({ ok: false, since: '25' });
    } finally {
      await asOwner(pool, 'UPDATE evidence_entries SET record_count = 1 WHERE seq = 27');
    }
    expect(await watch.pass()).toMatchObject({ ok: true, since: '25', entries: 3 });

    // before the last intact pass: incremental passes do not look there, a full walk does
    await asOwner(pool, 'UPDATE evidence_entries SET record_count = 99 WHERE seq = 3');
    try {
      expect(await watch.pass()).toMatchObject({ kind: 'incremental', ok: true, entries: 0 });
      expect(await watchWith(0).pass()).toMatchObject({
        kind: 'full',
        ok: false,
        firstBroken: { seq: '3', problem: 'altered' },
      });
    } finally {
      await asOwner(pool, 'UPDATE evidence_entries SET record_count = 2 WHERE seq = 3');
    }
    expect(await watchWith(0).pass()).toMatchObject({ kind: 'full', ok: true, entries: 28 });
  });

  it('runs a pass for a reader when the latest is too old, and shares one pass between processes', async () => {
    const watch = watchWith(24, 1);
    const before = await watch.status();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const current = await watch.current();
    expect(Date.parse(current.latest!.checkedAt)).toBeGreaterThan(
      Date.parse(before.latest!.checkedAt),
    );
    // fresh enough: answered as it is
    expect((await watch.current()).latest).toEqual(current.latest);

    // two processes (two watches) asking at once: one pass waits for the other and reuses it
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM evidence_verifications',
    );
    const [a, b] = await Promise.all([watchWith().pass(), watchWith().pass()]);
    expect(a).toEqual(b);
    const after = await pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM evidence_verifications',
    );
    expect(Number(after.rows[0]!.n)).toBe(Number(rows[0]!.n) + 1);
  });

  it('runs passes on its schedule, the first at once, and stops', async () => {
    const watch = watchWith(24, 1);
    const count = async () =>
      Number(
        (await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM evidence_verifications'))
          .rows[0]!.n,
      );
    const before = await count();
    watch.start();
    await expect.poll(count, { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 2);
    await watch.stop();
    const stopped = await count();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await count()).toBe(stopped);
  });
});
