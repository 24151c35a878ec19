import path from 'node:path';
import { compactVerify, createRemoteJWKSet } from 'jose';
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createHttpApp,
  createIdentity,
  createMetrics,
  demoSystemSecret,
  DEMO_PASSWORD,
  seedDemo,
  type Actor,
  type Database,
  type ServiceConfig,
  type ServiceIdentity,
} from '@gx/platform';
import { API_AUDIENCE, createIdentityApp, PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import {
  captureLogs,
  clientCredentialsToken,
  createTestDatabase,
  expectResponseMatchesSpec,
  freePort,
  listen,
  passwordLogin,
  type Listening,
  type TestDatabase,
} from '@gx/platform/testing';
import { SCHEMAS_DIR } from '@gx/schemas';
import { createApiKey } from '../src/domain/apiKeys/createApiKey.ts';
import {
  EVIDENCE_RECEIPT_HEADER,
  evidenceHash,
  EvidenceLog,
  EvidenceWatch,
  requestHash,
  runEvidenceVerification,
  type EvidenceCheckpoint,
  type EvidenceInput,
  type EvidenceReceipt,
} from '../src/domain/evidence/index.ts';
import {
  EVIDENCE_COLUMNS,
  evidenceFromRow,
  type EvidenceRow,
} from '../src/domain/evidence/evidenceRow.ts';
import { evidenceRouter } from '../src/http/evidence.router.ts';

// The evidence path items, served as they are declared: exchange-api.yaml references the same
// path items from this file.
const SPEC = path.join(SCHEMAS_DIR, 'openapi', 'exchange-evidence.yaml');
const REDIRECT_URI = 'http://127.0.0.1:3000/auth/callback';
const RSJ_RESOURCE = '209001001-002489129-000001';
const GAJ_RESOURCE = '209002001-002489130-000007';
const RSJ_GRANT = '3b0c7b0e-2f59-4c4e-a7c5-1c0b9d6b8e11';

let testDb: TestDatabase;
let db: Database;
let identity: Listening;
let exchange: Listening;
let serviceIdentity: ServiceIdentity;
let evidence: EvidenceLog;
let issuer: string;
let apiKey: string;
const logs = captureLogs('evidence-http');
const receipts: Record<'rsjGet' | 'gajQuery' | 'rsjRefusal' | 'openData', EvidenceReceipt> =
  {} as never;
const tokens = new Map<string, Promise<string>>();

function login(username: string): Promise<string> {
  let token = tokens.get(username);
  if (!token) {
    token = passwordLogin({
      issuer,
      clientId: PORTAL_CLIENT_ID,
      redirectUri: REDIRECT_URI,
      username,
      password: DEMO_PASSWORD,
    }).then((t) => t.access_token);
    tokens.set(username, token);
  }
  return token;
}

async function systemToken(clientId: string): Promise<string> {
  return (await clientCredentialsToken(issuer, clientId, demoSystemSecret(clientId))).access_token;
}

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${exchange.base}${pathAndQuery}`, { headers });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function problem(res: Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { type: string; detail?: string };
  expect(body.type).toBe(`/problems/${type}`);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body;
}

/** The JWS with one character of its signature changed. */
function withAlteredSignature(jws: string): string {
  const [h, p, s] = jws.split('.') as [string, string, string];
  return `${h}.${p}.${s.slice(0, 3)}${s[3] === 'x' ? 'y' : 'x'}${s.slice(4)}`;
}

/** Run `fn` as the database owner would, with the append-only triggers out of the way. */
async function asOwner<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query('SET session_replication_role = replica');
    return await fn(client);
  } finally {
    await client.query('RESET session_replication_role');
    client.release();
  }
}

function entry(overrides: Partial<EvidenceInput>): EvidenceInput {
  return {
    actor: 'system:hz-rsj-system@hz-rsj',
    actorKind: 'system',
    department: 'hz-rsj',
    grantId: RSJ_GRANT,
    purpose: 'social-security-eligibility',
    resourceCode: RSJ_RESOURCE,
    operation: 'get',
    recordCount: 1,
    requestHash: requestHash({ method: 'GET', path: '/v1/records/x' }),
    ...overrides,
  };
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = createDatabase({ url: testDb.url, max: 10 });
  await seedDemo(db.pool);
  const identityPort = await freePort();
  issuer = `http://127.0.0.1:${identityPort}`;
  const { app: identityApp } = await createIdentityApp({
    issuer,
    portalUrl: 'http://127.0.0.1:3000',
    db,
    logger: logs.logger,
    metrics: createMetrics('identity'),
  });
  identity = await listen(identityApp, identityPort);
  const config: ServiceConfig = {
    PORT: 0,
    HOST: '127.0.0.1',
    DATABASE_URL: testDb.url,
    DB_POOL_MAX: 10,
    LOG_LEVEL: 'info',
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: API_AUDIENCE,
    IDENTITY_PROVIDER: 'embedded',
  };
  serviceIdentity = createIdentity(config, db.pool);
  evidence = new EvidenceLog({ pool: db.pool, logger: logs.logger });
  const metrics = createMetrics('exchange-api');
  const watch = new EvidenceWatch({
    pool: db.pool,
    evidence,
    logger: logs.logger,
    intervalSeconds: 300,
    fullEveryHours: 24,
  });
  watch.registerMetrics(metrics.registry);
  const app = createHttpApp({
    service: 'exchange-api',
    logger: logs.logger,
    metrics,
    readiness: [],
    openApiSpec: SPEC,
    routes(app) {
      app.use(serviceIdentity.authenticate);
      app.use(evidenceRouter({ evidence, pool: db.pool, watch }));
    },
  });
  exchange = await listen(app);

  const developer: Actor = {
    kind: 'developer',
    subject: 'developer-subject',
    username: 'developer',
    roles: ['developer'],
  };
  const created = await createApiKey({
    prisma: db.prisma,
    pool: db.pool,
    actor: developer,
    name: 'evidence test',
  });
  apiKey = created.key;

  receipts.rsjGet = await evidence.append(entry({ deliveredDigest: 'a'.repeat(64) }));
  receipts.gajQuery = await evidence.append(
    entry({
      actor: 'system:hz-gaj-system@hz-gaj',
      department: 'hz-gaj',
      grantId: null,
      resourceCode: GAJ_RESOURCE,
      operation: 'query',
      recordCount: 12,
    }),
  );
  receipts.rsjRefusal = await evidence.append(
    entry({ operation: 'refusal', recordCount: 0, details: { reason: 'purpose-not-granted' } }),
  );
  receipts.openData = await evidence.append(
    entry({
      actor: `api-key:${created.apiKey.keyId}`,
      actorKind: 'api-key',
      department: null,
      grantId: null,
      purpose: null,
      operation: 'open-data',
      recordCount: 30,
    }),
  );
  // enough for several pages
  await Promise.all(
    Array.from({ length: 25 }, (_, i) => evidence.append(entry({ recordCount: i + 2 }))),
  );
});

afterAll(async () => {
  await Promise.all([exchange, identity].map((s) => s?.close()));
  serviceIdentity?.stop();
  await evidence?.close();
  await db?.close();
  await testDb?.drop();
});

describe('GET /.well-known/evidence-keys.json', () => {
  it('publishes the public receipt keys to anyone; a receipt verifies against them', async () => {
    const res = await get('/.well-known/evidence-keys.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/public/);
    const jwks = (await expectResponseMatchesSpec(
      SPEC,
      'GET',
      '/.well-known/evidence-keys.json',
      res,
    )) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const keySet = createRemoteJWKSet(new URL(`${exchange.base}/.well-known/evidence-keys.json`));
    const { payload, protectedHeader } = await compactVerify(receipts.rsjGet.jws, keySet);
    expect(protectedHeader.kid).toBe(jwks.keys[0]!.kid);
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({
      entryId: receipts.rsjGet.entryId,
      seq: receipts.rsjGet.seq,
      hash: receipts.rsjGet.hash,
      resourceCode: RSJ_RESOURCE,
      grantId: RSJ_GRANT,
      deliveredDigest: 'a'.repeat(64),
    });
    await expect(compactVerify(withAlteredSignature(receipts.rsjGet.jws), keySet)).rejects.toThrow(
      /signature/i,
    );
  });
});

describe('GET /v1/evidence/receipts/{entryId}', () => {
  const receiptPath = (id: string) => `/v1/evidence/receipts/${id}`;

  it('gives an auditor any receipt, the same JWS the caller got, in the body and the header', async () => {
    const res = await get(receiptPath(receipts.gajQuery.entryId), bearer(await login('auditor')));
    expect(res.status).toBe(200);
    expect(res.headers.get(EVIDENCE_RECEIPT_HEADER)).toBe(receipts.gajQuery.jws);
    const body = await expectResponseMatchesSpec(
      SPEC,
      'GET',
      '/v1/evidence/receipts/{entryId}',
      res,
    );
    expect(body).toMatchObject({
      ...receipts.gajQuery,
      payload: { operation: 'query', department: 'hz-gaj', recordCount: 12 },
    });
  });

  it("gives the acting department's staff and systems their own receipts, nobody else's", async () => {
    const steward = bearer(await login('hz-rsj.steward'));
    const system = bearer(await systemToken('hz-rsj-system'));
    for (const headers of [steward, system]) {
      for (const own of [receipts.rsjGet, receipts.rsjRefusal]) {
        const res = await get(receiptPath(own.entryId), headers);
        expect(res.status).toBe(200);
        expect(((await res.json()) as EvidenceReceipt).jws).toBe(own.jws);
      }
      await problem(await get(receiptPath(receipts.gajQuery.entryId), headers), 404, 'not-found');
      await problem(await get(receiptPath(receipts.openData.entryId), headers), 404, 'not-found');
    }
    const otherSteward = bearer(await login('hz-gaj.steward'));
    await problem(await get(receiptPath(receipts.rsjGet.entryId), otherSteward), 404, 'not-found');
  });

  it('gives an API key the receipts of its own open-data calls', async () => {
    const res = await get(receiptPath(receipts.openData.entryId), { 'x-api-key': apiKey });
    expect(res.status).toBe(200);
    expect(((await res.json()) as EvidenceReceipt).jws).toBe(receipts.openData.jws);
    await problem(
      await get(receiptPath(receipts.rsjGet.entryId), { 'x-api-key': apiKey }),
      404,
      'not-found',
    );
  });

  it('answers anonymous callers 401, unknown entries 404 and malformed ids 400', async () => {
    const res = await get(receiptPath(receipts.rsjGet.entryId));
    await problem(res, 401, 'unauthenticated');
    const auditor = bearer(await login('auditor'));
    await problem(
      await get(receiptPath('00000000-0000-4000-8000-000000000000'), auditor),
      404,
      'not-found',
    );
    for (const bad of ['nope', "1' OR '1'='1", '%00']) {
      const answer = await get(receiptPath(encodeURIComponent(bad)), auditor);
      expect(answer.status).toBe(400);
      await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/receipts/{entryId}', answer);
    }
  });
});

describe('GET /v1/evidence', () => {
  interface Page {
    items: { seq: string; id: string; operation: string; department: string | null }[];
    nextCursor: string | null;
  }

  async function list(query: string, token: string): Promise<Page> {
    const res = await get(`/v1/evidence${query}`, bearer(token));
    expect(res.status, await res.clone().text()).toBe(200);
    return (await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence', res)) as Page;
  }

  it('pages an auditor through the whole log, newest first, without repeats', async () => {
    const token = await login('auditor');
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page = await list(`?limit=7${cursor ? `&cursor=${cursor}` : ''}`, token);
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((i) => i.seq));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 29 }, (_, i) => String(29 - i)));
  });

  it('filters by resource, grant, operation, department, outcome and time', async () => {
    const token = await login('admin');
    const ids = async (query: string) => (await list(query, token)).items.map((i) => i.id);
    expect(await ids(`?resource=${GAJ_RESOURCE}`)).toEqual([receipts.gajQuery.entryId]);
    expect(await ids('?department=hz-gaj')).toEqual([receipts.gajQuery.entryId]);
    expect(await ids('?operation=refusal')).toEqual([receipts.rsjRefusal.entryId]);
    expect(await ids('?outcome=refused')).toEqual([receipts.rsjRefusal.entryId]);
    expect(await ids('?operation=open-data')).toEqual([receipts.openData.entryId]);
    expect(await ids(`?grant=${RSJ_GRANT}&operation=get&limit=200`)).toHaveLength(26);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect(await ids(`?from=${encodeURIComponent(future)}`)).toEqual([]);
    expect(await ids(`?to=${encodeURIComponent(future)}&limit=200`)).toHaveLength(29);
    expect(await ids(`?to=${encodeURIComponent('2020-01-01T00:00:00Z')}`)).toEqual([]);
  });

  it('refuses malformed filters with 400 problem+json, never 5xx', async () => {
    const auditor = bearer(await login('auditor'));
    for (const query of [
      '?operation=erase',
      '?limit=1000',
      '?limit=0',
      '?limit=abc',
      '?department=Not%20A%20Code',
      '?cursor=abc',
      '?cursor=99999999999999999999',
      '?from=yesterday',
      `?resource=${'x'.repeat(101)}`,
      '?unknown=1',
      "?resource=' OR 1=1 --",
    ]) {
      const res = await get(`/v1/evidence${query}`, auditor);
      if (query.startsWith("?resource='")) {
        // a well-formed value that matches nothing
        expect(res.status).toBe(200);
        expect(((await res.json()) as Page).items).toEqual([]);
        continue;
      }
      expect(res.status, query).toBe(400);
      await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence', res);
    }
  });
});

describe('GET /v1/evidence/verify', () => {
  it('reports an intact chain to an auditor, and names the entry once a row is tampered with', async () => {
    const auditor = bearer(await login('auditor'));
    const intact = await get('/v1/evidence/verify', auditor);
    expect(
      await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/verify', intact),
    ).toMatchObject({ ok: true, entries: 29, head: { seq: '29' } });

    const client = await db.pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query('UPDATE evidence_entries SET record_count = 13 WHERE seq = 2');
      const broken = await get('/v1/evidence/verify', auditor);
      expect(
        await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/verify', broken),
      ).toMatchObject({
        ok: false,
        entries: 1,
        firstBroken: { seq: '2', id: receipts.gajQuery.entryId, problem: 'altered' },
      });
    } finally {
      await client.query('UPDATE evidence_entries SET record_count = 12 WHERE seq = 2');
      await client.query('RESET session_replication_role');
      client.release();
    }
    const again = await get('/v1/evidence/verify', bearer(await login('admin')));
    expect(((await again.json()) as { ok: boolean }).ok).toBe(true);
  });
});

describe('GET /v1/evidence/verification', () => {
  it('answers the latest scheduled pass (running one when there is none) and /metrics reports it', async () => {
    const auditor = bearer(await login('auditor'));
    const res = await get('/v1/evidence/verification', auditor);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const status = (await expectResponseMatchesSpec(
      SPEC,
      'GET',
      '/v1/evidence/verification',
      res,
    )) as { latest: { ok: boolean; kind: string; head: { seq: string } } };
    const head = (
      await db.pool.query<{ seq: string }>('SELECT seq::text AS seq FROM evidence_chain_head')
    ).rows[0]!;
    expect(status).toMatchObject({
      latest: { ok: true, kind: 'full', head: { seq: head.seq } },
      lastFull: { ok: true, kind: 'full', head: { seq: head.seq } },
    });
    // fresh: the same pass again, nothing walked
    expect(await (await get('/v1/evidence/verification', auditor)).json()).toEqual(status);

    const metrics = await (await fetch(`${exchange.base}/metrics`)).text();
    expect(metrics).toMatch(/^gx_evidence_chain_intact\{kind="full",service="exchange-api"\} 1$/m);
  });
});

describe('GET /v1/evidence/archives', () => {
  it('lists the archives (none here)', async () => {
    const res = await get('/v1/evidence/archives', bearer(await login('auditor')));
    expect(await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/archives', res)).toEqual({
      items: [],
    });
  });
});

describe('GET /v1/evidence/checkpoint', () => {
  const AUDITOR: Actor = {
    kind: 'user',
    subject: 'auditor-subject',
    username: 'auditor',
    roles: ['auditor'],
  };
  interface Stored {
    seq: string;
    record_count: string;
    prev_hash: string;
    hash: string;
  }

  /**
   * What someone with write access to the database can do: change entry `from` and recompute
   * the hash of every entry after it and of the chain head, so that the chain is consistent in
   * itself. Returns what was there, for `restore`.
   */
  function rewriteFrom(from: number): Promise<{ rows: Stored[]; headHash: string }> {
    return asOwner(async (client) => {
      const { rows } = await client.query<EvidenceRow>(
        `SELECT ${EVIDENCE_COLUMNS} FROM evidence_entries WHERE seq >= $1 ORDER BY evidence_entries.seq`,
        [from],
      );
      const saved = rows.map(({ seq, record_count, prev_hash, hash }) => ({
        seq,
        record_count,
        prev_hash,
        hash,
      }));
      const headHash = (
        await client.query<{ hash: string }>('SELECT hash FROM evidence_chain_head')
      ).rows[0]!.hash;
      let prevHash = evidenceFromRow(rows[0]!).prevHash;
      for (const [i, row] of rows.entries()) {
        const { hash: _old, ...entry } = evidenceFromRow(row);
        const changed = { ...entry, prevHash, recordCount: entry.recordCount + (i === 0 ? 1 : 0) };
        prevHash = evidenceHash(changed);
        await client.query(
          'UPDATE evidence_entries SET record_count = $2, prev_hash = $3, hash = $4 WHERE seq = $1',
          [row.seq, changed.recordCount, changed.prevHash, prevHash],
        );
      }
      await client.query('UPDATE evidence_chain_head SET hash = $1', [prevHash]);
      return { rows: saved, headHash };
    });
  }

  function restore({ rows, headHash }: { rows: Stored[]; headHash: string }) {
    return asOwner(async (client) => {
      for (const row of rows) {
        await client.query(
          'UPDATE evidence_entries SET record_count = $2, prev_hash = $3, hash = $4 WHERE seq = $1',
          [row.seq, row.record_count, row.prev_hash, row.hash],
        );
      }
      await client.query('UPDATE evidence_chain_head SET hash = $1', [headHash]);
    });
  }

  /**
   * The verification of a chain cut back, head and all, to the entry before `seq` (inside a
   * transaction that is rolled back, so the chain is left as it was).
   */
  async function verifyCutBefore(seq: number, given: { checkpoint?: string; since?: string }) {
    const cut = await db.pool.connect();
    try {
      await cut.query('BEGIN');
      await cut.query('SET LOCAL session_replication_role = replica');
      await cut.query('DELETE FROM evidence_entries WHERE seq >= $1', [seq]);
      await cut.query(
        `UPDATE evidence_chain_head SET seq = e.seq, hash = e.hash
           FROM evidence_entries e WHERE e.seq = $1`,
        [seq - 1],
      );
      return await runEvidenceVerification({
        pool: { query: cut.query.bind(cut) } as never,
        actor: AUDITOR,
        evidence,
        ...given,
      });
    } finally {
      await cut.query('ROLLBACK');
      cut.release();
    }
  }

  const verifyWith = async (jws: string, headers: Record<string, string>) =>
    get(`/v1/evidence/verify?checkpoint=${encodeURIComponent(jws)}`, headers);

  it('signs the chain head; a later verification given it finds a rewrite the chain alone does not show', async () => {
    const auditor = bearer(await login('auditor'));
    const res = await get('/v1/evidence/checkpoint', auditor);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const checkpoint = (await expectResponseMatchesSpec(
      SPEC,
      'GET',
      '/v1/evidence/checkpoint',
      res,
    )) as EvidenceCheckpoint;
    const head = (
      await db.pool.query<{ seq: string; hash: string }>(
        'SELECT seq::text AS seq, hash FROM evidence_chain_head',
      )
    ).rows[0]!;
    expect(checkpoint).toMatchObject({ seq: head.seq, hash: head.hash });

    // an independent JOSE implementation verifies it against the published keys
    const keySet = createRemoteJWKSet(new URL(`${exchange.base}/.well-known/evidence-keys.json`));
    const { payload, protectedHeader } = await compactVerify(checkpoint.jws, keySet);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'evidence-checkpoint+jws' });
    const { jws: _jws, ...signed } = checkpoint;
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(signed);

    // the log goes on; the checkpoint still holds
    await evidence.append(entry({}));
    await evidence.append(entry({ operation: 'query', recordCount: 3 }));
    const intact = await verifyWith(checkpoint.jws, auditor);
    expect(
      await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/verify', intact),
    ).toMatchObject({ ok: true, checkpoints: 1, entries: Number(head.seq) + 2 });

    const saved = await rewriteFrom(2);
    try {
      // consistent in itself: the chain alone cannot tell
      const alone = await get('/v1/evidence/verify', auditor);
      expect(await alone.json()).toMatchObject({ ok: true });
      const caught = await verifyWith(checkpoint.jws, auditor);
      expect(
        await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/verify', caught),
      ).toMatchObject({
        ok: false,
        checkpoints: 1,
        entries: Number(head.seq) - 1,
        firstBroken: { seq: head.seq, problem: 'checkpoint' },
      });
    } finally {
      await restore(saved);
    }
    expect(await (await verifyWith(checkpoint.jws, auditor)).json()).toMatchObject({ ok: true });

    // a chain cut back, head and all, to before the checkpoint
    expect(await verifyCutBefore(Number(head.seq), { checkpoint: checkpoint.jws })).toMatchObject({
      ok: false,
      firstBroken: { seq: head.seq, id: null, problem: 'checkpoint' },
    });
  });

  it('walks on from a `since` checkpoint: only the entries after it, which must link to its head', async () => {
    const auditor = bearer(await login('auditor'));
    const checkpoint = (await (
      await get('/v1/evidence/checkpoint', auditor)
    ).json()) as EvidenceCheckpoint;
    const anchor = Number(checkpoint.seq);
    for (let i = 0; i < 3; i += 1) await evidence.append(entry({ recordCount: 10 + i }));
    const since = (jws = checkpoint.jws) =>
      get(`/v1/evidence/verify?since=${encodeURIComponent(jws)}`, auditor);

    const walked = await since();
    expect(
      await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/verify', walked),
    ).toMatchObject({
      ok: true,
      since: checkpoint.seq,
      checkpoints: 1,
      entries: 3,
      head: { seq: String(anchor + 3) },
    });
    expect(await (await get('/v1/evidence/verify', auditor)).json()).toMatchObject({
      ok: true,
      entries: anchor + 3,
    });

    // an entry after the anchor changed in place
    await asOwner((c) =>
      c.query('UPDATE evidence_entries SET record_count = 99 WHERE seq = $1', [anchor + 2]),
    );
    try {
      expect(await (await since()).json()).toMatchObject({
        ok: false,
        since: checkpoint.seq,
        entries: 1,
        firstBroken: { seq: String(anchor + 2), problem: 'altered' },
      });
    } finally {
      await asOwner((c) =>
        c.query('UPDATE evidence_entries SET record_count = 11 WHERE seq = $1', [anchor + 2]),
      );
    }

    // the anchor itself rewritten with the whole suffix, hashes recomputed
    const saved = await rewriteFrom(anchor - 1);
    try {
      expect(await (await get('/v1/evidence/verify', auditor)).json()).toMatchObject({ ok: true });
      expect(await (await since()).json()).toMatchObject({
        ok: false,
        entries: 0,
        firstBroken: { seq: checkpoint.seq, problem: 'checkpoint' },
      });
    } finally {
      await restore(saved);
    }

    // entries before the anchor are the full walk's: it finds what the incremental one skips
    await asOwner((c) => c.query('UPDATE evidence_entries SET record_count = 13 WHERE seq = 2'));
    try {
      expect(await (await since()).json()).toMatchObject({ ok: true, entries: 3 });
      expect(await (await get('/v1/evidence/verify', auditor)).json()).toMatchObject({
        ok: false,
        firstBroken: { seq: '2', problem: 'altered' },
      });
    } finally {
      await asOwner((c) => c.query('UPDATE evidence_entries SET record_count = 12 WHERE seq = 2'));
    }

    // a chain cut back, head and all, to before the anchor
    expect(await verifyCutBefore(anchor, { since: checkpoint.jws })).toMatchObject({
      ok: false,
      entries: 0,
      firstBroken: { seq: checkpoint.seq, id: null, problem: 'checkpoint' },
    });

    const refused = await problem(await since('not-a-jws'), 400, 'input');
    expect(refused).toMatchObject({ errors: [{ path: '/since' }] });
  });

  it('refuses what is not a checkpoint signed by the platform with 400 problem+json', async () => {
    const auditor = bearer(await login('auditor'));
    const { jws } = (await (await get('/v1/evidence/checkpoint', auditor)).json()) as {
      jws: string;
    };
    for (const bad of ['not-a-jws', receipts.rsjGet.jws, withAlteredSignature(jws)]) {
      const body = await problem(await verifyWith(bad, auditor), 400, 'input');
      expect(body.detail).toMatch(/^存证检查点无效/);
    }
  });
});

describe.each([
  '/v1/evidence',
  '/v1/evidence/verify',
  '/v1/evidence/verification',
  '/v1/evidence/archives',
  '/v1/evidence/checkpoint',
])('GET %s', (path) => {
  it('is for auditors and admins: every other caller 403, anonymous 401', async () => {
    await problem(await get(path), 401, 'unauthenticated');
    for (const token of [
      await login('hz-rsj.steward'),
      await login('hz-gaj.approver'),
      await login('developer'),
      await systemToken('hz-rsj-system'),
    ]) {
      await problem(await get(path, bearer(token)), 403, 'not-allowed');
    }
    await problem(await get(path, { 'x-api-key': apiKey }), 403, 'not-allowed');
    expect((await get(path, bearer(await login('admin')))).status).toBe(200);
  });
});

describe('GET /v1/evidence/department', () => {
  interface Page {
    items: { id: string; department: string | null; resourceCode: string | null }[];
    nextCursor: string | null;
  }
  let rsjOnGaj: EvidenceReceipt;

  async function list(query: string, token: string): Promise<Page> {
    const res = await get(`/v1/evidence/department${query}`, bearer(token));
    expect(res.status, await res.clone().text()).toBe(200);
    return (await expectResponseMatchesSpec(SPEC, 'GET', '/v1/evidence/department', res)) as Page;
  }
  const ids = (page: Page) => page.items.map((i) => i.id);

  beforeAll(async () => {
    // the two resources the entries name, provided by 公安局 and 人社局
    for (const [code, department] of [
      [GAJ_RESOURCE, 'hz-gaj'],
      [RSJ_RESOURCE, 'hz-rsj'],
    ] as const) {
      await db.pool.query(
        `INSERT INTO resources (code, name, abstract, provider_id, theme_code, format, sharing_type,
                                open_type, update_cycle, created_by)
         SELECT $1, '存证测试资源', '存证测试', d.id, 'population', 'database', 'conditional',
                'none', 'daily', 'test'
           FROM departments d WHERE d.code = $2`,
        [code, department],
      );
    }
    // 人社局's system reads 公安局's data
    rsjOnGaj = await evidence.append(entry({ resourceCode: GAJ_RESOURCE, operation: 'query' }));
  });

  it('shows a provider who used its data, and a department what it did itself', async () => {
    const gaj = await login('hz-gaj.steward');
    expect(ids(await list('', gaj))).toEqual([rsjOnGaj.entryId, receipts.gajQuery.entryId]);
    expect(ids(await list('?side=acted', gaj))).toEqual([receipts.gajQuery.entryId]);
    expect(ids(await list('?side=provided&operation=query&limit=1', gaj))).toEqual([
      rsjOnGaj.entryId,
    ]);

    const rsj = await login('hz-rsj.steward');
    const provided = await list('?limit=200', rsj);
    expect(provided.items.every((i) => i.resourceCode === RSJ_RESOURCE)).toBe(true);
    // every call on 人社局's own resource, the open-data one without a department included
    expect(ids(provided)).toContain(receipts.openData.entryId);
    const count = async (column: string, value: string) =>
      Number(
        (
          await db.pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM evidence_entries WHERE ${column} = $1`,
            [value],
          )
        ).rows[0]!.n,
      );
    expect(provided.items).toHaveLength(await count('resource_code', RSJ_RESOURCE));
    const acted = await list('?side=acted&limit=200', rsj);
    expect(acted.items.every((i) => i.department === 'hz-rsj')).toBe(true);
    expect(ids(acted)).toContain(rsjOnGaj.entryId);
    expect(ids(acted)).not.toContain(receipts.openData.entryId);
    expect(acted.items).toHaveLength(await count('department_code', 'hz-rsj'));
    // an approver of the department reads it too; pages are keyset-paged
    const first = await list('?limit=1', await login('hz-gaj.approver'));
    expect(ids(first)).toEqual([rsjOnGaj.entryId]);
    expect(first.nextCursor).not.toBeNull();
    const next = await list(`?limit=1&cursor=${first.nextCursor}`, gaj);
    expect(ids(next)).toEqual([receipts.gajQuery.entryId]);
    expect(next.nextCursor).toBeNull();
  });

  it('gives auditors any department they name; refuses other departments and callers', async () => {
    const auditor = await login('auditor');
    expect(ids(await list('?department=hz-gaj', auditor))).toEqual([
      rsjOnGaj.entryId,
      receipts.gajQuery.entryId,
    ]);
    // unnamed, the auditor's own department (the data authority, which did nothing here)
    expect(ids(await list('', auditor))).toEqual([]);
    await problem(
      await get('/v1/evidence/department?department=hz-rsj', bearer(await login('hz-gaj.steward'))),
      403,
      'not-allowed',
    );
    await problem(await get('/v1/evidence/department'), 401, 'unauthenticated');
    for (const token of [await login('developer'), await systemToken('hz-rsj-system')])
      await problem(await get('/v1/evidence/department', bearer(token)), 403, 'not-allowed');
    await problem(
      await get('/v1/evidence/department', { 'x-api-key': apiKey }),
      403,
      'not-allowed',
    );
    for (const query of ['?side=sideways', '?limit=0', '?cursor=abc', '?operation=erase'])
      expect(
        (await get(`/v1/evidence/department${query}`, bearer(await login('hz-gaj.steward'))))
          .status,
        query,
      ).toBe(400);
  });
});
