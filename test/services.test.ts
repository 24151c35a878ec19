import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  expectResponseMatchesSpec,
  freePort,
  type TestDatabase,
} from '@gx/platform/testing';
import { openApiSpecPath, SERVICES, type ServiceName } from '@gx/schemas';

const ROOT = path.resolve(import.meta.dirname, '..');
// health endpoints need no identity provider; nothing listens here
const UNUSED_ISSUER = 'http://127.0.0.1:9';

interface Started {
  base: string;
  stop(): Promise<void>;
}

async function startServiceProcess(
  service: ServiceName,
  env: Record<string, string>,
): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', `${service}/src/main.ts`], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      OIDC_ISSUER: UNUSED_ISSUER,
      ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${service} exited: ${stderr}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`${service} did not listen: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function runToExit(service: ServiceName, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', `${service}/src/main.ts`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, ...env },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe.each(SERVICES)('%s service', (service) => {
  const spec = openApiSpecPath(service);
  let migrated: TestDatabase;
  let empty: TestDatabase;
  let running: Started;

  beforeAll(async () => {
    migrated = await createTestDatabase('migrated');
    empty = await createTestDatabase('empty');
    running = await startServiceProcess(service, { DATABASE_URL: migrated.url });
  });

  afterAll(async () => {
    await running?.stop();
    await migrated?.drop();
    await empty?.drop();
  });

  it('is alive and ready, answering as its OpenAPI spec declares', async () => {
    const health = await fetch(`${running.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await expectResponseMatchesSpec(spec, 'GET', '/healthz', health)).toEqual({
      status: 'ok',
      service,
    });
    const ready = await fetch(`${running.base}/readyz`);
    expect(ready.status).toBe(200);
    await expectResponseMatchesSpec(spec, 'GET', '/readyz', ready);
    const metrics = await fetch(`${running.base}/metrics`);
    const text = (await expectResponseMatchesSpec(spec, 'GET', '/metrics', metrics)) as string;
    expect(text).toContain(`service="${service}"`);
    expect(text).toContain('db_pool_connections_total');
  });

  it('answers an unknown route and a wrong method with problem+json', async () => {
    const missing = await fetch(`${running.base}/no-such-thing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
    const wrongMethod = await fetch(`${running.base}/healthz`, { method: 'DELETE' });
    expect([404, 405]).toContain(wrongMethod.status);
    expect(wrongMethod.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('is alive but not ready while migrations are pending', async () => {
    const unmigrated = await startServiceProcess(service, { DATABASE_URL: empty.url });
    try {
      expect((await fetch(`${unmigrated.base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${unmigrated.base}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await expectResponseMatchesSpec(spec, 'GET', '/readyz', ready)) as {
        detail: string;
      };
      expect(body.detail).toMatch(/migration\(s\) not applied: 20261121000000_organisation/);
    } finally {
      await unmigrated.stop();
    }
  });

  it('stops at boot on a bad setting, naming the variable', async () => {
    const bad = await runToExit(service, {
      DATABASE_URL: migrated.url,
      OIDC_ISSUER: UNUSED_ISSUER,
      PORT: 'abc',
    });
    expect(bad.code).toBe(78);
    expect(bad.output).toContain('PORT must be integer, got "abc"');
    const missing = await runToExit(service, {});
    expect(missing.code).toBe(78);
    expect(missing.output).toContain('DATABASE_URL is required');
  });
});
