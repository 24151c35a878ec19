import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgresAdminUrl } from '@gx/platform/testing';
import { call, startHarness, type Harness } from '../harness.ts';
import { grantedPeopleResource, type GrantedResource } from '../fixtures.ts';

/**
 * Backup and restore as an operator runs them: `npm run backup` of a database with real exchange
 * activity, `npm run restore` into a database that did not exist, then `npm run evidence:verify`
 * on the restored copy. The scripts run as their own processes, exactly as the commands do.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
let h: Harness;
let granted: GrantedResource;
let dir: string;
const restoredNames: string[] = [];

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', script), ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function databaseUrl(name: string): string {
  const url = new URL(testPostgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function scalar(url: string, sql: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    const last = Array.isArray(result) ? result[result.length - 1]! : result;
    return String(Object.values(last.rows[0] as object)[0]);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  h = await startHarness();
  dir = await mkdtemp(path.join(tmpdir(), 'gx-backup-'));
  // real activity: publication, ingestion, a request and its grant, reads under the grant
  granted = await grantedPeopleResource(h);
  const system = await h.systemToken('hz-rsj-system');
  for (const person of granted.people.slice(0, 5)) {
    const read = await call(
      h.exchange.base,
      'GET',
      `/v1/grants/${granted.grantId}/records/${person.id_number}`,
      { token: system, headers: { 'x-purpose': 'SOCIAL_SECURITY' } },
    );
    expect(read.status).toBe(200);
  }
  const verified = await call(h.exchange.base, 'POST', `/v1/grants/${granted.grantId}/verify`, {
    token: system,
    headers: { 'x-purpose': 'SOCIAL_SECURITY' },
    body: { key: granted.people[0]!.id_number, claims: { name: granted.people[0]!.name } },
  });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
});

afterAll(async () => {
  for (const name of restoredNames) {
    const admin = new pg.Client({ connectionString: testPostgresAdminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  await h?.close();
});

describe('backup and restore', () => {
  it('restores a dump into a fresh database whose evidence chain verifies with the same head', async () => {
    const head = (
      await h.db.pool.query<{ seq: string; hash: string }>(
        'SELECT seq::text AS seq, hash FROM evidence_chain_head WHERE id = 1',
      )
    ).rows[0]!;
    // the activity above left reads, a verification and grant changes in the chain
    expect(Number(head.seq)).toBeGreaterThanOrEqual(7);

    const file = path.join(dir, 'gov-exchange.dump');
    const backup = await runScript('backup.ts', ['--out', file, '--database-url', h.testDb.url]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`evidence chain head at backup time: seq ${head.seq}`);
    expect((await stat(file)).size).toBeGreaterThan(0);
    // the password travels in PGPASSWORD, never on a command line or in the output
    const password = decodeURIComponent(new URL(h.testDb.url).password);
    expect(backup.stdout + backup.stderr).not.toContain(password);

    const name = `restored_${Date.now()}`;
    restoredNames.push(name);
    const restore = await runScript('restore.ts', [
      '--in',
      file,
      '--database-url',
      databaseUrl(name),
    ]);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toContain(`created database ${name}`);
    expect(restore.stdout).toContain(`evidence chain intact`);

    // `npm run evidence:verify`'s own code against the restored copy
    const verify = await runScript('verifyEvidence.ts', [], { DATABASE_URL: databaseUrl(name) });
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`evidence chain intact: ${head.seq} entries`);
    expect(verify.stdout).toContain(`head seq ${head.seq} hash ${head.hash}`);

    // `--checkpoint`: the one an auditor kept is held; a file that is not a checkpoint, or is
    // not there, is named once, with what is wrong with it
    const checkpoint = await call(h.exchange.base, 'GET', '/v1/evidence/checkpoint', {
      token: await h.token('auditor'),
    });
    expect(checkpoint.status, JSON.stringify(checkpoint.body)).toBe(200);
    const kept = path.join(dir, 'checkpoint.json');
    const notOne = path.join(dir, 'not-a-checkpoint.json');
    await writeFile(kept, JSON.stringify(checkpoint.body));
    await writeFile(notOne, JSON.stringify({ seq: head.seq }));
    const live = { DATABASE_URL: h.testDb.url };
    const held = await runScript('verifyEvidence.ts', ['--checkpoint', kept], live);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toContain('holds 1 signed checkpoint(s)');
    for (const [file, problem] of [
      [notOne, '没有 jws 字段'],
      [path.join(dir, 'missing.json'), '文件不存在'],
    ] as const) {
      const refused = await runScript('verifyEvidence.ts', ['--checkpoint', file], live);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trim()).toBe(`${file}: ${problem}`);
    }

    // the data the chain speaks of came along: the hosted records and the grant
    const restored = databaseUrl(name);
    expect(
      await scalar(
        restored,
        `SELECT count(*) FROM records r JOIN resources s ON s.id = r.resource_id WHERE s.code = '${granted.resourceCode}'`,
      ),
    ).toBe(String(granted.people.length));
    expect(
      await scalar(restored, `SELECT status FROM grants WHERE id = '${granted.grantId}'`),
    ).toBe(await scalar(h.testDb.url, `SELECT status FROM grants WHERE id = '${granted.grantId}'`));
  });

  it('refuses to restore over a database that holds data, and --replace replaces it', async () => {
    const file = path.join(dir, 'gov-exchange.dump');
    const name = restoredNames[0]!;
    const refused = await runScript('restore.ts', [
      '--in',
      file,
      '--database-url',
      databaseUrl(name),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');

    // the copy is damaged the way only its owner can (triggers off, an entry deleted); the
    // backup replaces it and the chain is whole again
    await scalar(
      databaseUrl(name),
      `ALTER TABLE evidence_entries DISABLE TRIGGER evidence_entries_no_update_delete;
       DELETE FROM evidence_entries WHERE seq = 3;
       ALTER TABLE evidence_entries ENABLE TRIGGER evidence_entries_no_update_delete;
       SELECT 1`,
    );
    const broken = await runScript('verifyEvidence.ts', [], { DATABASE_URL: databaseUrl(name) });
    expect(broken.code).toBe(1);
    const replaced = await runScript('restore.ts', [
      '--in',
      file,
      '--database-url',
      databaseUrl(name),
      '--replace',
    ]);
    expect(replaced.code, replaced.stderr + replaced.stdout).toBe(0);
    const verify = await runScript('verifyEvidence.ts', [], { DATABASE_URL: databaseUrl(name) });
    expect(verify.code, verify.stdout).toBe(0);
  });

  it('refuses while a connection stays open, and waits for one that is closing', async () => {
    const file = path.join(dir, 'gov-exchange.dump');
    const name = restoredNames[0]!;
    const args = ['--in', file, '--database-url', databaseUrl(name), '--replace'];
    const held = new pg.Client({ connectionString: databaseUrl(name) });
    await held.connect();
    const refused = await runScript('restore.ts', args);
    await held.end();
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`database ${name} has 1 open connection(s)`);

    // a client that disconnects while the restore looks (a service being stopped, a command that
    // has just exited: its backend is listed a moment longer): the restore waits, not refuses
    const closing = new pg.Client({ connectionString: databaseUrl(name) });
    await closing.connect();
    let finished = false;
    const restoring = runScript('restore.ts', args).finally(() => (finished = true));
    const watcher = new pg.Client({ connectionString: testPostgresAdminUrl() });
    await watcher.connect();
    try {
      for (let seen = 0; seen === 0 && !finished;) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const { rows } = await watcher.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = 'gx-restore'`,
        );
        seen = Number(rows[0]?.n);
      }
    } finally {
      await watcher.end();
    }
    // the restore has looked by now and seen the connection; it closes half a second later
    await new Promise((resolve) => setTimeout(resolve, 500));
    await closing.end();
    const restored = await restoring;
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    expect(restored.stdout).toContain(`dropping database ${name} (--replace)`);
  });

  it('fails cleanly without writing a file when the database cannot be reached', async () => {
    const file = path.join(dir, 'unreachable.dump');
    const url = new URL(databaseUrl('no_such_database_here'));
    const failed = await runScript('backup.ts', ['--out', file, '--database-url', url.toString()]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/backup failed/);
    await expect(stat(file)).rejects.toThrow();
  });
});
