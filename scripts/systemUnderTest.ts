// The system a load or security run drives: started here on its embedded defaults (`npm
// start`'s launcher on free ports, data in a folder of its own, portal off), or a running
// instance named by EXCHANGE_URL, CATALOG_URL and OIDC_ISSUER. Shared by `npm run soak` and
// `npm run security:sqlmap`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, readlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSystemSecret, DEMO_PASSWORD, residentContactItems } from '@gx/platform';
import { clientCredentialsToken, passwordLogin } from '../platform/src/testing/oidcClient.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface System {
  exchange: string;
  catalog: string;
  issuer: string;
  /** the processes whose memory is watched */
  processes: Map<string, number>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** pids listening on a TCP port (Linux /proc): the socket's inode, then who holds it */
export async function pidListeningOn(port: number): Promise<number | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // LISTEN
      if (parseInt(cols[1]!.split(':')[1]!, 16) === port) inodes.add(`socket:[${cols[9]}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) return pid;
    }
  }
  return undefined;
}

export async function runningSystem(env: NodeJS.ProcessEnv): Promise<System> {
  const exchange = env.EXCHANGE_URL!;
  const catalog = env.CATALOG_URL!;
  const issuer = env.OIDC_ISSUER!;
  const processes = new Map<string, number>();
  if (env.SOAK_PIDS) {
    for (const pair of env.SOAK_PIDS.split(',')) {
      const [name, pid] = pair.split('=');
      if (name && Number(pid)) processes.set(name, Number(pid));
    }
  } else {
    const urls: [string, string | undefined][] = [
      ['exchange-api', exchange],
      ['catalog', catalog],
      ['connectors', env.CONNECTORS_URL],
      ['identity', issuer],
    ];
    for (const [name, url] of urls) {
      if (!url) continue;
      const u = new URL(url);
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) continue;
      const pid = await pidListeningOn(Number(u.port || 80));
      if (pid) processes.set(name, pid);
    }
  }
  return { exchange, catalog, issuer, processes, stop: async () => {} };
}

/** `npm start`'s launcher on free ports and a data folder of its own, without the portal */
export async function startedSystem(options: {
  dataDir: string;
  say: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<System> {
  const [pg, identity, exchange, catalog, connectors] = (await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  )) as [number, number, number, number, number];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: options.dataDir,
    PORTAL: 'false',
    EMBEDDED_PG_PORT: String(pg),
    IDENTITY_PORT: String(identity),
    EXCHANGE_API_PORT: String(exchange),
    CATALOG_PORT: String(catalog),
    CONNECTORS_PORT: String(connectors),
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  for (const name of ['DATABASE_URL', 'OIDC_ISSUER', 'KAFKA_BROKERS']) delete env[name];
  options.say(`starting the system (embedded defaults, data in ${options.dataDir}, portal off)…`);
  const launcher: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(rootDir, 'scripts/start.ts')],
    { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 180 s:\n${output}`)), 180_000);
    launcher.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('all services are ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    launcher.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the launcher exited (${code}) before the services were ready:\n${output}`));
    });
  });
  launcher.stdout!.resume();
  const processes = new Map<string, number>();
  const ports: [string, number][] = [
    ['exchange-api', exchange],
    ['catalog', catalog],
    ['connectors', connectors],
    ['identity', identity],
  ];
  for (const [name, port] of ports) {
    const pid = await pidListeningOn(port);
    if (pid) processes.set(name, pid);
  }
  return {
    exchange: `http://127.0.0.1:${exchange}`,
    catalog: `http://127.0.0.1:${catalog}`,
    issuer: `http://127.0.0.1:${identity}`,
    processes,
    async stop() {
      if (launcher.exitCode !== null) return;
      const exited = new Promise((r) => launcher.once('exit', r));
      launcher.kill('SIGINT');
      await exited;
    },
  };
}

/** Demo accounts' and systems' tokens (system tokens cached, renewed before they expire). */
export class Tokens {
  readonly #cache = new Map<string, { token: string; at: number }>();
  constructor(private readonly issuer: string) {}

  /** tokens live 5 minutes by default: renew after 3 */
  async system(clientId: string): Promise<string> {
    const cached = this.#cache.get(clientId);
    if (cached && Date.now() - cached.at < 180_000) return cached.token;
    const { access_token } = await clientCredentialsToken(
      this.issuer,
      clientId,
      demoSystemSecret(clientId),
    );
    this.#cache.set(clientId, { token: access_token, at: Date.now() });
    return access_token;
  }

  async person(username: string): Promise<string> {
    const { access_token } = await passwordLogin({
      issuer: this.issuer,
      clientId: 'gov-exchange-portal',
      redirectUri: process.env.PORTAL_URL
        ? `${process.env.PORTAL_URL}/auth/callback`
        : 'http://127.0.0.1:3000/auth/callback',
      username,
      password: DEMO_PASSWORD,
    });
    return access_token;
  }
}

/** EXCHANGE_URL, CATALOG_URL and OIDC_ISSUER name a running instance to drive */
export function namesRunningSystem(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.EXCHANGE_URL && env.CATALOG_URL && env.OIDC_ISSUER);
}

export interface Scenario {
  /** 公安局's conditional people resource, granted to 人社局's system */
  resourceCode: string;
  grantId: string;
  keys: string[];
  /** an open resource for anonymous previews */
  openCode: string | undefined;
}

type Json = Record<string, unknown>;

export async function http(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: Json = {};
  try {
    body = text ? (JSON.parse(text) as Json) : {};
  } catch {
    body = { text };
  }
  return { status: res.status, body };
}

export const DISTRICTS = ['西湖区', '上城区', '拱墅区', '滨江区'];
export function person(i: number, round = 0) {
  return {
    id_number: `3301061990${String(10_000_000 + i).slice(-8)}`,
    name: `压测${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`,
    mobile: `139${String(10_000_000 + ((i * 7919 + round) % 90_000_000)).slice(-8)}`,
    address: `浙江省杭州市${DISTRICTS[i % 4]}测试路${i}号`,
    district: DISTRICTS[i % 4]!,
  };
}

/** records of the people resource; load upserts the same keys again */
export const KEYS = 400;

/** What the load needs, made through the APIs as the departments would. */
export async function prepareScenario(system: System, tokens: Tokens): Promise<Scenario> {
  const steward = await tokens.person('hz-gaj.steward');
  const suffix = randomBytes(3).toString('hex');
  const created = await http('POST', `${system.catalog}/v1/resources`, {
    token: steward,
    body: {
      name: `居民联系方式（压测 ${suffix}）`,
      abstract: '压测用的居民联系电话与居住地址（虚构数据）',
      themeCode: 'population',
      format: 'database',
      sharingType: 'conditional',
      sharingConditions: '仅限依法履职所需',
      sharingMethods: ['api'],
      openType: 'none',
      updateCycle: 'daily',
      items: residentContactItems(),
    },
  });
  if (created.status !== 201) throw new Error(`create resource: ${JSON.stringify(created.body)}`);
  const resourceCode = created.body.code as string;
  await http('POST', `${system.catalog}/v1/resources/${resourceCode}/submit`, { token: steward });
  const approved = await http('POST', `${system.catalog}/v1/resources/${resourceCode}/approve`, {
    token: await tokens.person('hz-dsj.approver'),
  });
  if (approved.status !== 200) throw new Error(`publish: ${JSON.stringify(approved.body)}`);
  const people = Array.from({ length: KEYS }, (_, i) => person(i));
  const ingested = await http('POST', `${system.exchange}/v1/resources/${resourceCode}/records`, {
    token: await tokens.system('hz-gaj-system'),
    body: { records: people },
  });
  if (ingested.body.accepted !== KEYS) throw new Error(`ingest: ${JSON.stringify(ingested.body)}`);
  const requested = await http('POST', `${system.exchange}/v1/sharing-requests`, {
    token: await tokens.system('hz-rsj-system'),
    body: {
      resourceCode,
      fields: ['id_number', 'name', 'mobile', 'district'],
      purposeCodes: ['SOCIAL_SECURITY'],
      purposeText: '社会保险待遇资格认证（压测）',
      legalBasisText: '《社会保险法》第八条',
      deliveryModes: ['query', 'verify'],
    },
  });
  if (requested.status !== 201) throw new Error(`request: ${JSON.stringify(requested.body)}`);
  const decided = await http(
    'POST',
    `${system.exchange}/v1/sharing-requests/${requested.body.id as string}/approve`,
    {
      token: await tokens.person('hz-gaj.approver'),
      body: { masks: { mobile: { kind: 'keep_first_last', first: 3, last: 4 } } },
    },
  );
  if (decided.status !== 200) throw new Error(`approve: ${JSON.stringify(decided.body)}`);
  const search = await http(
    'GET',
    `${system.catalog}/v1/search?q=${encodeURIComponent('空气质量')}`,
  );
  const items = (search.body.items ?? []) as { code: string; openType?: string }[];
  return {
    resourceCode,
    grantId: decided.body.grantId as string,
    keys: people.map((p) => p.id_number),
    openCode: items.find((i) => i.openType === 'open')?.code,
  };
}
