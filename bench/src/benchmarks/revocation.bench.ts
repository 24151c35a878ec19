/**
 * revocation: how long a grant revocation takes to bite (DESIGN §6: "grant revocation: effective
 * within 1 s on API and running streams"), on two real exchange API processes sharing one
 * database — the provider's approver revokes on process A, the consumer uses process B, so the
 * figure includes what crossing processes costs (B learns of the revocation only through
 * PostgreSQL).
 *
 * API phase (≥ 20 rounds, a new grant each): the consumer's system calls
 * `GET /v1/grants/{id}/records/{key}` on B in a tight sequential loop (keep-alive, purpose header);
 * the approver revokes on A. Latency = first 403 answer on B − the revoke's 200 answer; it is
 * negative when B refused before the revoker had its answer (the revocation commits, and B reads
 * the grant on every call, before A's answer has crossed the network), so the run also reports
 * revoke sent → first 403, never negative, an upper bound including the revoke call. Also
 * counted: 200 answers on B after the revoke's answer, split into calls already sent before it
 * (in flight) and calls sent after it (which should not exist).
 *
 * Stream phase (≥ 10 rounds, a new grant each): a Server-Sent Events subscription
 * (`GET /v1/grants/{id}/subscription`) on B receives records the provider's system pushes on A
 * every few milliseconds; the approver revokes on A. Latency = the stream's `revoked` event − the
 * revoke's answer; records delivered after the revoke's answer are counted.
 *
 * figure   = median API revocation latency (ms)
 * baseline = median round trip of one records call on B in the same run (ms)
 * ratio    = figure ÷ baseline (how many call times a revocation takes to bite)
 * `details.stream` holds the stream phase with its own baseline: the median time from a push's
 * answer to the record's arrival on the stream (the stream's delivery latency).
 */
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createResource, submitResource, approveResource } from '@gx/catalog';
import {
  createMetrics,
  createLogger,
  demoSystemSecret,
  DEMO_PASSWORD,
  type Actor,
  type Database,
  residentContactItems,
} from '@gx/platform';
import { createIdentityApp, PORTAL_CLIENT_ID } from '@gx/platform/identity-provider';
import {
  clientCredentialsToken,
  freePort,
  listen,
  passwordLogin,
  type Listening,
} from '@gx/platform/testing';
import { startChildServer, type ChildServer } from '../childServer.ts';
import { startFreshDatabase, stopFreshDatabase, type DatabaseParts } from '../freshDatabase.ts';
import { formatTable, median, reportResult, round, type BenchResult } from '../report.ts';

const NAME = 'revocation';
const API_ROUNDS = 30;
const STREAM_ROUNDS = 20;
/** successful calls on B before revoking, so the loop runs at its steady pace */
const API_WARM_CALLS = 30;
/** records delivered on the stream before revoking, so the stream is live */
const STREAM_WARM_RECORDS = 5;
/** pause between the provider's pushes during the stream phase */
const PUSH_PAUSE_MS = 10;
const PEOPLE = 50;
const PURPOSE = 'SOCIAL_SECURITY';
/** DESIGN §6: revocation effective within 1 s on API and running streams */
const BAR_MS = 1_000;
/** give up on a round when nothing happens for this long */
const GIVE_UP_MS = 15_000;

/** the exchange API as `npm start` builds it (access log silent), reused from recordsGetByKey */
const serverScript = fileURLToPath(new URL('../servers/recordsGetByKeyServer.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const dataDir = path.join(repoRoot, `.data/bench/revocation-${process.pid}`);

const DISTRICTS = ['西湖区', '上城区'];
/** fictitious people; `version` changes the address so that every push is a change */
const person = (i: number, version = 0) => ({
  id_number: `330106199002${String(i).padStart(6, '0')}`,
  name: `测试${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
  mobile: `139${String(10_000_000 + i).slice(-8)}`,
  address: `浙江省杭州市${DISTRICTS[i % DISTRICTS.length]}文二路${i}号#${version}`,
  district: DISTRICTS[i % DISTRICTS.length]!,
});

const user = (departmentCode: string, roles: ('steward' | 'approver')[]): Actor => ({
  kind: 'user',
  subject: `bench-${departmentCode}-${roles.join('-')}`,
  username: `${departmentCode}.${roles.join('-')}`,
  departmentCode,
  regionCode: '330100000000',
  roles,
});

interface Answer {
  status: number;
  text: string;
}

/** keep-alive agents: one for B's tight loop, one for everything else */
const loopAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const controlAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One request over `node:http`, settled with the whole answer. */
function request(
  base: string,
  method: string,
  urlPath: string,
  options: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    agent?: http.Agent;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      `${base}${urlPath}`,
      { method, headers, agent: options.agent ?? controlAgent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function expectStatus(label: string, answer: Promise<Answer>, status: number) {
  const res = await answer;
  if (res.status !== status)
    throw new Error(`${label}: answered ${res.status}, expected ${status}: ${res.text}`);
  return JSON.parse(res.text || 'null') as Record<string, unknown>;
}

/** Publish a conditional resource of hz-gaj through the catalog's use-cases. */
async function publishResource(db: Database): Promise<string> {
  const steward = user('hz-gaj', ['steward']);
  const { code } = await createResource({
    prisma: db.prisma,
    actor: steward,
    input: {
      name: '居民联系方式（撤销基准）',
      abstract: '本市户籍居民登记的联系电话与居住地址',
      themeCode: 'population',
      format: 'database',
      sharingType: 'conditional',
      sharingConditions: '仅限依法履职所需，须说明用途',
      sharingMethods: ['api'],
      openType: 'none',
      updateCycle: 'daily',
      items: residentContactItems(),
    },
  });
  await submitResource({ prisma: db.prisma, actor: steward, code });
  await approveResource({ prisma: db.prisma, actor: user('hz-dsj', ['approver']), code });
  return code;
}

interface Percentiles {
  median: number;
  p95: number;
  max: number;
}

function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { median: median(sorted), p95: at(0.95), max: sorted.at(-1)! };
}

const roundP = (p: Percentiles) => ({
  median: round(p.median, 1),
  p95: round(p.p95, 1),
  max: round(p.max, 1),
});

/** one call of B's loop: when it was sent and answered (performance.now()) and its status */
interface LoopCall {
  sentAt: number;
  answeredAt: number;
  status: number;
}

interface ApiRound {
  /** revoke's answer → B's first 403 answer; negative when B refused before the answer came */
  latencyMs: number;
  /** revoke sent → B's first 403 answer: an upper bound that includes the revoke's own call */
  fromSentMs: number;
  revokeMs: number;
  roundTripMs: number;
  /** 200 answers after the revoke's answer, of calls sent before it (in flight) */
  inFlightSuccesses: number;
  /** 200 answers to calls sent after the revoke's answer (should be none) */
  lateSuccesses: number;
  callsAfterRevoke: number;
  /** what the first refusal said */
  refusal: string;
}

interface StreamRound {
  latencyMs: number;
  fromSentMs: number;
  revokeMs: number;
  recordsBefore: number;
  recordsAfterRevoke: number;
  deliveryMs: number[];
  lastEvent: string;
}

interface SseEvent {
  event: string;
  data: string;
  at: number;
}

/** A minimal Server-Sent Events reader, as a consumer's system would write one. */
function openStream(
  base: string,
  urlPath: string,
  headers: Record<string, string>,
  onEvent: (event: SseEvent) => void,
): Promise<{ ended: Promise<number>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${urlPath}`, { headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => reject(new Error(`subscription answered ${res.statusCode}: ${text}`)));
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      let event = 'message';
      let data: string[] = [];
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          if (line === '') {
            if (data.length > 0) onEvent({ event, data: data.join('\n'), at });
            event = 'message';
            data = [];
          } else if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
      });
      const ended = new Promise<number>((done) => {
        res.on('end', () => done(performance.now()));
        res.on('close', () => done(performance.now()));
      });
      resolve({ ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + GIVE_UP_MS;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (performance.now() > deadline) reject(new Error(`gave up waiting for ${what}`));
      else setTimeout(tick, 2);
    };
    tick();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Cleanup extends DatabaseParts {
  servers: ChildServer[];
  identity?: Listening;
}

const cleanup: Cleanup = { servers: [] };
let cleaned: Promise<void> | undefined;

/** Stop the servers and the embedded PostgreSQL and remove its data directory (once). */
function cleanUp(): Promise<void> {
  cleaned ??= (async () => {
    loopAgent.destroy();
    controlAgent.destroy();
    await Promise.allSettled(cleanup.servers.map((server) => server.stop()));
    await cleanup.identity?.close().catch(() => undefined);
    await stopFreshDatabase(cleanup, dataDir);
  })();
  return cleaned;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(1));
  });
}

async function main(): Promise<BenchResult> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  try {
    // ---- database: fresh embedded PostgreSQL, migrated, demo organisation seeded -----------
    const { url, db } = await startFreshDatabase(cleanup, {
      dataDir,
      database: 'revocation_bench',
      max: 3,
    });
    const { rows: versionRows } = await db.pool.query<{ v: string }>(
      "SELECT current_setting('server_version') AS v",
    );
    const postgresVersion = versionRows[0]!.v;

    // ---- identity provider in this process; tokens valid 1 h so one token outlives the run ---
    const identityPort = await freePort();
    const issuer = `http://127.0.0.1:${identityPort}`;
    const { app: identityApp } = await createIdentityApp({
      issuer,
      portalUrl: 'http://127.0.0.1:3000',
      db,
      logger: createLogger({ service: 'identity', level: 'silent' }),
      metrics: createMetrics('identity'),
      accessTokenTtlSeconds: 3_600,
    });
    cleanup.identity = await listen(identityApp, identityPort);
    const systemToken = async (clientId: string) =>
      (await clientCredentialsToken(issuer, clientId, demoSystemSecret(clientId))).access_token;

    // ---- two exchange API processes on the same database --------------------------------------
    const [a, b] = await Promise.all([
      startChildServer(serverScript, ['subject', url, issuer]),
      startChildServer(serverScript, ['subject', url, issuer]),
    ]);
    cleanup.servers.push(a!, b!);
    const A = a!.base;
    const B = b!.base;

    const resourceCode = await publishResource(db);
    const provider = await systemToken('hz-gaj-system');
    const consumer = await systemToken('hz-rsj-system');
    const approver = (
      await passwordLogin({
        issuer,
        clientId: PORTAL_CLIENT_ID,
        redirectUri: 'http://127.0.0.1:3000/auth/callback',
        username: 'hz-gaj.approver',
        password: DEMO_PASSWORD,
      })
    ).access_token;
    let version = 0;
    const push = (records: ReturnType<typeof person>[]) =>
      expectStatus(
        'push records',
        request(A, 'POST', `/v1/resources/${resourceCode}/records`, {
          token: provider,
          body: { records },
        }),
        200,
      );
    await push(Array.from({ length: PEOPLE }, (_, i) => person(i, version)));

    /** hz-rsj's system asks on A, hz-gaj's approver grants on A: a fresh active grant */
    const newGrant = async (): Promise<string> => {
      const asked = await expectStatus(
        'sharing request',
        request(A, 'POST', '/v1/sharing-requests', {
          token: consumer,
          body: {
            resourceCode,
            fields: ['id_number', 'name', 'mobile', 'address', 'district'],
            purposeCodes: [PURPOSE],
            purposeText: '社会保险待遇资格认证，核对参保人联系方式',
            legalBasisText: '《社会保险法》第八条',
            deliveryModes: ['query', 'subscription'],
          },
        }),
        201,
      );
      const decided = await expectStatus(
        'approve',
        request(A, 'POST', `/v1/sharing-requests/${String(asked.id)}/approve`, {
          token: approver,
          body: { comment: '撤销基准' },
        }),
        200,
      );
      return String(decided.grantId);
    };
    const revoke = (grantId: string) =>
      expectStatus(
        'revoke',
        request(A, 'POST', `/v1/grants/${grantId}/revoke`, {
          token: approver,
          body: { reason: '用途已完成' },
        }),
        200,
      );
    const consumerHeaders = { authorization: `Bearer ${consumer}`, 'x-purpose': PURPOSE };

    // ---- API phase ---------------------------------------------------------------------------
    const apiRounds: ApiRound[] = [];
    const apiRows: string[][] = [];
    for (let r = 1; r <= API_ROUNDS; r += 1) {
      const grantId = await newGrant();
      const calls: LoopCall[] = [];
      let firstRefusal: { call: LoopCall; text: string } | undefined;
      let failure: Error | undefined;
      // B's tight loop: one call at a time, a different key each, until the first refusal
      const loop = (async () => {
        const deadline = performance.now() + GIVE_UP_MS * 2;
        for (let i = 0; !firstRefusal && performance.now() < deadline; i += 1) {
          const sentAt = performance.now();
          const res = await request(
            B,
            'GET',
            `/v1/grants/${grantId}/records/${person(i % PEOPLE).id_number}`,
            { headers: consumerHeaders, agent: loopAgent },
          );
          const call = { sentAt, answeredAt: performance.now(), status: res.status };
          calls.push(call);
          if (res.status === 403) firstRefusal = { call, text: res.text };
          else if (res.status !== 200) {
            failure = new Error(`records call on B answered ${res.status}: ${res.text}`);
            return;
          }
        }
      })();
      await waitFor(
        () => failure !== undefined || calls.length >= API_WARM_CALLS,
        'the loop to warm up',
      );
      if (failure) throw failure;
      const revokeSentAt = performance.now();
      await revoke(grantId);
      const revokedAt = performance.now();
      await loop;
      if (failure) throw failure;
      if (!firstRefusal) throw new Error(`round ${r}: B never refused after the revocation`);
      const refusal = firstRefusal as { call: LoopCall; text: string };
      const before = calls.filter((c) => c.answeredAt < revokedAt && c.status === 200);
      const after = calls.filter((c) => c.answeredAt >= revokedAt);
      const successesAfter = after.filter((c) => c.status === 200);
      const round_: ApiRound = {
        latencyMs: refusal.call.answeredAt - revokedAt,
        fromSentMs: refusal.call.answeredAt - revokeSentAt,
        revokeMs: revokedAt - revokeSentAt,
        roundTripMs: median(before.map((c) => c.answeredAt - c.sentAt)),
        inFlightSuccesses: successesAfter.filter((c) => c.sentAt < revokedAt).length,
        lateSuccesses: successesAfter.filter((c) => c.sentAt >= revokedAt).length,
        callsAfterRevoke: after.length,
        refusal: (JSON.parse(refusal.text) as { detail?: string }).detail ?? '',
      };
      apiRounds.push(round_);
      apiRows.push([
        `${r}`,
        round_.latencyMs.toFixed(1),
        round_.fromSentMs.toFixed(1),
        round_.revokeMs.toFixed(1),
        round_.roundTripMs.toFixed(2),
        `${round_.callsAfterRevoke}`,
        `${round_.inFlightSuccesses}`,
        `${round_.lateSuccesses}`,
        round_.refusal,
      ]);
    }

    // ---- stream phase ------------------------------------------------------------------------
    const streamRounds: StreamRound[] = [];
    const streamRows: string[][] = [];
    for (let r = 1; r <= STREAM_ROUNDS; r += 1) {
      const grantId = await newGrant();
      const events: SseEvent[] = [];
      /** address version → when its push was answered */
      const pushAnswered = new Map<string, number>();
      const deliveryMs: number[] = [];
      const stream = await openStream(
        B,
        `/v1/grants/${grantId}/subscription`,
        { ...consumerHeaders, accept: 'text/event-stream' },
        (event) => {
          events.push(event);
          if (event.event === 'record') {
            const address = (JSON.parse(event.data) as { record: { address: string } }).record
              .address;
            const answered = pushAnswered.get(address);
            if (answered !== undefined) deliveryMs.push(event.at - answered);
          }
        },
      );
      try {
        await waitFor(() => events.some((e) => e.event === 'ready'), 'the ready event');
        let pushing = true;
        const pusher = (async () => {
          while (pushing) {
            version += 1;
            const record = person(version % PEOPLE, version);
            await push([record]);
            pushAnswered.set(record.address, performance.now());
            await sleep(PUSH_PAUSE_MS);
          }
        })();
        try {
          await waitFor(
            () => events.filter((e) => e.event === 'record').length >= STREAM_WARM_RECORDS,
            'records on the stream',
          );
          const revokeSentAt = performance.now();
          await revoke(grantId);
          const revokedAt = performance.now();
          const endedAt = await Promise.race([stream.ended, sleep(GIVE_UP_MS).then(() => -1)]);
          if (endedAt < 0) throw new Error(`round ${r}: the stream did not end after revocation`);
          const last = events.at(-1);
          if (last?.event !== 'revoked')
            throw new Error(`round ${r}: the stream ended with ${JSON.stringify(last)}`);
          const records = events.filter((e) => e.event === 'record');
          const round_: StreamRound = {
            latencyMs: last.at - revokedAt,
            fromSentMs: last.at - revokeSentAt,
            revokeMs: revokedAt - revokeSentAt,
            recordsBefore: records.filter((e) => e.at < revokedAt).length,
            recordsAfterRevoke: records.filter((e) => e.at >= revokedAt).length,
            deliveryMs,
            lastEvent: last.event,
          };
          streamRounds.push(round_);
          streamRows.push([
            `${r}`,
            round_.latencyMs.toFixed(1),
            round_.fromSentMs.toFixed(1),
            round_.revokeMs.toFixed(1),
            median(deliveryMs).toFixed(1),
            `${round_.recordsBefore}`,
            `${round_.recordsAfterRevoke}`,
            round_.lastEvent,
          ]);
        } finally {
          pushing = false;
          await pusher;
        }
      } finally {
        stream.close();
      }
    }

    // ---- results -----------------------------------------------------------------------------
    const api = percentiles(apiRounds.map((x) => x.latencyMs));
    const roundTripMs = median(apiRounds.map((x) => x.roundTripMs));
    const streamP = percentiles(streamRounds.map((x) => x.latencyMs));
    const deliveryMs = median(streamRounds.flatMap((x) => x.deliveryMs));
    const apiFromSent = percentiles(apiRounds.map((x) => x.fromSentMs));
    const streamFromSent = percentiles(streamRounds.map((x) => x.fromSentMs));
    const revokeMs = median([...apiRounds, ...streamRounds].map((x) => x.revokeMs));
    const apiEarly = apiRounds.filter((x) => x.latencyMs < 0).length;
    const streamEarly = streamRounds.filter((x) => x.latencyMs < 0).length;
    const inFlight = apiRounds.reduce((n, x) => n + x.inFlightSuccesses, 0);
    const late = apiRounds.reduce((n, x) => n + x.lateSuccesses, 0);
    const recordsAfter = streamRounds.map((x) => x.recordsAfterRevoke);
    const apiWithinBar = api.max <= BAR_MS && late === 0;
    const streamWithinBar = streamP.max <= BAR_MS;
    const loadAfter = os.loadavg()[0]!;

    process.stdout.write(
      `\n${NAME}: revoke on exchange API process A, consumer on process B (same database); ` +
        `${os.availableParallelism()} cores, Node ${process.version}, PostgreSQL ${postgresVersion}\n\n` +
        `API: GET /v1/grants/{id}/records/{key} on B in a sequential loop, ${API_ROUNDS} rounds\n` +
        formatTable(
          [
            'round',
            'answer→403 ms',
            'sent→403 ms',
            'revoke ms',
            'call ms',
            'calls after',
            '200 in flight',
            '200 sent after',
            'refusal',
          ],
          apiRows,
        ) +
        `revoke→first 403 on B: median ${api.median.toFixed(1)} ms, p95 ${api.p95.toFixed(1)} ms, ` +
        `max ${api.max.toFixed(1)} ms; one records call ${roundTripMs.toFixed(2)} ms (median); ` +
        `ratio ${(api.median / roundTripMs).toFixed(2)} call times; in ${apiEarly} of ` +
        `${API_ROUNDS} rounds B refused before the revoker had its answer (negative)\n` +
        `revoke sent→first 403 on B (includes the revoke call, median ${revokeMs.toFixed(1)} ms): ` +
        `median ${apiFromSent.median.toFixed(1)} ms, p95 ${apiFromSent.p95.toFixed(1)} ms, max ` +
        `${apiFromSent.max.toFixed(1)} ms\n` +
        `200 answers after the revoke's answer: ${inFlight} already in flight, ${late} sent after it\n\n` +
        `stream: GET /v1/grants/{id}/subscription on B while A ingests a record every ` +
        `~${PUSH_PAUSE_MS} ms, ${STREAM_ROUNDS} rounds\n` +
        formatTable(
          [
            'round',
            'answer→revoked ms',
            'sent→revoked ms',
            'revoke ms',
            'delivery ms',
            'records before',
            'records after',
            'last event',
          ],
          streamRows,
        ) +
        `revoke→revoked event on B: median ${streamP.median.toFixed(1)} ms, p95 ` +
        `${streamP.p95.toFixed(1)} ms, max ${streamP.max.toFixed(1)} ms; push answer→record ` +
        `on the stream ${deliveryMs.toFixed(1)} ms (median); ${streamEarly} of ${STREAM_ROUNDS} ` +
        `streams ended before the revoker had its answer\n` +
        `revoke sent→revoked event: median ${streamFromSent.median.toFixed(1)} ms, p95 ` +
        `${streamFromSent.p95.toFixed(1)} ms, max ${streamFromSent.max.toFixed(1)} ms; records ` +
        `delivered after the revoke's answer: ${recordsAfter.reduce((n, x) => n + x, 0)}\n` +
        `DESIGN §6 bar (≤ ${BAR_MS} ms): API ${apiWithinBar ? 'MET' : 'MISSED'}, stream ` +
        `${streamWithinBar ? 'MET' : 'MISSED'} (worst cases ${api.max.toFixed(0)} and ` +
        `${streamP.max.toFixed(0)} ms)\n` +
        `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; took ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s\n\n`,
    );

    return {
      name: NAME,
      figure: round(api.median, 2),
      baseline: round(roundTripMs, 3),
      ratio: round(api.median / roundTripMs, 3),
      unit: 'ms revoke answer → first 403 on another process (median)',
      details: {
        barMs: BAR_MS,
        withinBar: apiWithinBar && streamWithinBar,
        api: {
          rounds: API_ROUNDS,
          latencyMs: roundP(api),
          fromRevokeSentMs: roundP(apiFromSent),
          refusedBeforeAnswer: apiEarly,
          perRoundMs: apiRounds.map((x) => round(x.latencyMs, 1)),
          roundTripMs: round(roundTripMs, 3),
          successesAfterRevokeInFlight: inFlight,
          successesAfterRevokeSentAfter: late,
          withinBar: apiWithinBar,
        },
        stream: {
          rounds: STREAM_ROUNDS,
          latencyMs: roundP(streamP),
          fromRevokeSentMs: roundP(streamFromSent),
          endedBeforeAnswer: streamEarly,
          perRoundMs: streamRounds.map((x) => round(x.latencyMs, 1)),
          deliveryMs: round(deliveryMs, 2),
          ratio: round(streamP.median / deliveryMs, 3),
          recordsAfterRevoke: recordsAfter,
          pushPauseMs: PUSH_PAUSE_MS,
          withinBar: streamWithinBar,
        },
        revokeCallMs: round(revokeMs, 2),
        loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
        cores: os.availableParallelism(),
        node: process.version,
        postgres: postgresVersion,
      },
    };
  } finally {
    await cleanUp();
  }
}

main().then(reportResult, (error: unknown) => {
  process.stderr.write(`${NAME} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
