/**
 * authOverhead: what bearer-token verification (`authenticate` + `TokenVerifier`, RS256 against
 * the issuer's JWKS) and `authorize` add to a request, against the same platform HTTP stack
 * without them, measured in the same run with the same load driver.
 *
 * figure   = subject p99 − baseline p99 (ms, medians over the rounds)
 * baseline = baseline p99 (ms)
 * ratio    = subject req/s ÷ baseline req/s
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startChildServer, type ChildServer } from '../childServer.ts';
import { measure, type LatencySummary } from '../measure.ts';
import { formatTable, median, reportResult, round, type BenchResult } from '../report.ts';

const NAME = 'authOverhead';
const AUDIENCE = 'gov-exchange-api';
const DEPARTMENT = 'hz-gaj';
const WARMUP_REQUESTS = 2_000;
const REQUESTS = 20_000;
const CONCURRENCY = 32;
const ROUNDS = 7;
/** DESIGN §6, records API: p99 ≤ 5 ms more than the same query served by a bare handler */
const P99_BUDGET_MS = 5;

const serverScript = fileURLToPath(new URL('../servers/authOverheadServer.ts', import.meta.url));

interface Issuer {
  issuer: string;
  token: string;
  close(): Promise<void>;
}

/** A Keycloak-shaped issuer: discovery document and JWKS on 127.0.0.1, one RS256 key. */
async function startIssuer(): Promise<Issuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const realmPath = '/realms/gov-exchange';
  let issuer = '';
  let jwksFetches = 0;
  const server = http.createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `${realmPath}/.well-known/openid-configuration`) {
      send({
        issuer,
        jwks_uri: `${issuer}/protocol/openid-connect/certs`,
        authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${issuer}/protocol/openid-connect/token`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    } else if (req.url === `${realmPath}/protocol/openid-connect/certs`) {
      jwksFetches += 1;
      send({ keys: [jwk] });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('issuer has no TCP address');
  issuer = `http://127.0.0.1:${address.port}${realmPath}`;

  // an access token as Keycloak issues it to a user of the portal client
  const sessionId = randomUUID();
  const token = await new SignJWT({
    typ: 'Bearer',
    azp: 'gov-exchange-portal',
    sid: sessionId,
    session_state: sessionId,
    acr: '1',
    scope: 'openid profile email',
    email_verified: true,
    name: '王芳',
    preferred_username: 'steward.hz-gaj',
    given_name: '芳',
    family_name: '王',
    email: 'steward.hz-gaj@example.gov.cn',
    realm_access: { roles: ['steward', 'offline_access', 'uma_authorization'] },
    resource_access: { account: { roles: ['manage-account', 'view-profile'] } },
    department: DEPARTMENT,
    region: '330100000000',
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .setIssuer(issuer)
    .setSubject(randomUUID())
    .setAudience(AUDIENCE)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

  return {
    issuer,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        process.stdout.write(`issuer served its JWKS ${jwksFetches} time(s)\n`);
      }),
  };
}

async function expectStatus(url: string, headers: Record<string, string>, status: number) {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (res.status !== status) throw new Error(`${url} answered ${res.status}, expected ${status}`);
}

function ms(value: number): string {
  return value.toFixed(2);
}

async function main(): Promise<BenchResult> {
  const started = Date.now();
  const loadBefore = os.loadavg()[0]!;
  const issuer = await startIssuer();
  const servers: ChildServer[] = [];
  try {
    const baseline = await startChildServer(serverScript, ['baseline']);
    servers.push(baseline);
    const subject = await startChildServer(serverScript, ['subject', issuer.issuer]);
    servers.push(subject);

    const path = `/v1/bench/${DEPARTMENT}`;
    // both sides get the same request bytes; the baseline ignores the header
    const headers = { authorization: `Bearer ${issuer.token}` };

    // the subject really checks: no token → 401, another department → 403, own → 200
    await expectStatus(`${subject.base}${path}`, {}, 401);
    await expectStatus(`${subject.base}/v1/bench/hz-jyj`, headers, 403);
    await expectStatus(`${subject.base}${path}`, headers, 200);
    await expectStatus(`${baseline.base}${path}`, headers, 200);

    const sides = { baseline, subject } as const;
    for (const server of Object.values(sides)) {
      await measure(`${server.base}${path}`, WARMUP_REQUESTS, CONCURRENCY, { headers });
    }

    const rounds: Record<keyof typeof sides, LatencySummary[]> = { baseline: [], subject: [] };
    const rows: string[][] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const side of ['baseline', 'subject'] as const) {
        const summary = await measure(`${sides[side].base}${path}`, REQUESTS, CONCURRENCY, {
          headers,
        });
        rounds[side].push(summary);
        rows.push([
          `${round}`,
          side,
          ms(summary.p50Ms),
          ms(summary.p99Ms),
          summary.perSecond.toFixed(0),
          summary.seconds.toFixed(2),
        ]);
      }
    }

    const med = (side: keyof typeof sides) => ({
      p50Ms: median(rounds[side].map((r) => r.p50Ms)),
      p99Ms: median(rounds[side].map((r) => r.p99Ms)),
      perSecond: median(rounds[side].map((r) => r.perSecond)),
    });
    const b = med('baseline');
    const s = med('subject');
    const p99DiffMs = s.p99Ms - b.p99Ms;
    // each round's subject against the baseline measured just before it: shows the noise
    const pairedP99DiffMs = rounds.subject.map((r, i) => r.p99Ms - rounds.baseline[i]!.p99Ms);
    const loadAfter = os.loadavg()[0]!;
    const throughputRatio = s.perSecond / b.perSecond;
    const withinBar = p99DiffMs <= P99_BUDGET_MS;
    // closed loop at saturation: latency ≈ concurrency ÷ throughput (Little's law), so the
    // latency difference is mostly queueing; the server's added work per request is this
    const addedServiceUs = (1 / s.perSecond - 1 / b.perSecond) * 1e6;

    process.stdout.write(
      `\n${NAME}: GET ${path}, ${REQUESTS} requests × ${ROUNDS} rounds per side, ` +
        `concurrency ${CONCURRENCY}, keep-alive; servers in child processes ` +
        `(${os.availableParallelism()} cores, Node ${process.version})\n\n`,
    );
    process.stdout.write(
      formatTable(['round', 'side', 'p50 ms', 'p99 ms', 'req/s', 'seconds'], rows),
    );
    process.stdout.write('\nmedians of the rounds\n');
    process.stdout.write(
      formatTable(
        ['side', 'p50 ms', 'p99 ms', 'req/s'],
        [
          ['baseline (bare handler)', ms(b.p50Ms), ms(b.p99Ms), b.perSecond.toFixed(0)],
          ['subject (authenticate + authorize)', ms(s.p50Ms), ms(s.p99Ms), s.perSecond.toFixed(0)],
        ],
      ),
    );
    process.stdout.write(
      `\np99 overhead ${ms(p99DiffMs)} ms (p50 overhead ${ms(s.p50Ms - b.p50Ms)} ms); ` +
        `throughput ratio ${throughputRatio.toFixed(3)}; ` +
        `added server time ≈ ${addedServiceUs.toFixed(0)} µs per request ` +
        `(from 1/req/s; a lower bound if the client limits the baseline)\n` +
        `DESIGN §6 bar (records API p99 ≤ ${P99_BUDGET_MS} ms over a bare handler): ` +
        `${withinBar ? 'this component FITS within it' : 'this component alone EXCEEDS it'} ` +
        `(${ms(p99DiffMs)} of ${P99_BUDGET_MS} ms)\n` +
        `p99 difference per round: ${pairedP99DiffMs.map(ms).join(', ')} ms ` +
        `(median ${ms(median(pairedP99DiffMs))})\n` +
        `load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after; ` +
        `took ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`,
    );

    return {
      name: NAME,
      figure: round(p99DiffMs, 3),
      baseline: round(b.p99Ms, 3),
      ratio: round(throughputRatio, 4),
      unit: 'ms p99 overhead',
      details: {
        requestsPerRound: REQUESTS,
        rounds: ROUNDS,
        concurrency: CONCURRENCY,
        warmupRequests: WARMUP_REQUESTS,
        baselineMedian: {
          p50Ms: round(b.p50Ms, 3),
          p99Ms: round(b.p99Ms, 3),
          perSecond: round(b.perSecond, 0),
        },
        subjectMedian: {
          p50Ms: round(s.p50Ms, 3),
          p99Ms: round(s.p99Ms, 3),
          perSecond: round(s.perSecond, 0),
        },
        p50DiffMs: round(s.p50Ms - b.p50Ms, 3),
        addedServiceUs: round(addedServiceUs, 1),
        p99BudgetMs: P99_BUDGET_MS,
        withinBar,
        pairedP99DiffMs: pairedP99DiffMs.map((d) => round(d, 3)),
        loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
        serversInChildProcesses: true,
        cores: os.availableParallelism(),
        node: process.version,
      },
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await issuer.close();
  }
}

main().then(reportResult, (error: unknown) => {
  process.stderr.write(`${NAME} failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
