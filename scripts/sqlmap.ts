// `npm run security:sqlmap`: Debian's sqlmap (`apt-get install sqlmap`) against the query,
// search and filter endpoints of a running instance — catalog search `q`, the CKAN
// package_search `q` and `fq`, the open-data records API's `filter` (with a developer API key),
// and a grant's records query (`filter`, and the record key in the path) with a system token.
// Batch mode, level 3 / risk 2 (SQLMAP_LEVEL, SQLMAP_RISK), PostgreSQL payloads.
//
// Default: starts the system on its embedded defaults in `.data/sqlmap` (as `npm run soak`
// does); with EXCHANGE_URL, CATALOG_URL and OIDC_ISSUER it scans that instance (demo accounts
// needed: it publishes a test resource and grants it, as the departments would).
// Output: SQLMAP_OUT (default test-results/sqlmap/<time>): sqlmap's own folders, one log per
// target and summary.json. Exit status: 0 nothing injectable, 1 a finding, 2 could not scan.
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  http,
  namesRunningSystem,
  prepareScenario,
  runningSystem,
  startedSystem,
  Tokens,
  type System,
} from './systemUnderTest.ts';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => process.stdout.write(`[sqlmap] ${line}\n`);

interface Target {
  name: string;
  /** `*` marks an injection point inside a value (JSON filters, path segments) */
  url: string;
  /** parameters to test when no `*` marks one */
  parameters?: string[];
  headers: Record<string, string>;
}

interface Finding {
  target: string;
  injectable: boolean;
  /** sqlmap's "Parameter: … Type: …" blocks, when it found something */
  details: string[];
  /** "HTTP error codes detected during run" — a 5xx under hostile input is a finding too */
  httpErrors: string | undefined;
  exitCode: number;
  seconds: number;
}

/** JSON in a query value, URL-encoded except for sqlmap's `*` marker */
const jsonParam = (value: unknown) =>
  encodeURIComponent(JSON.stringify(value)).replaceAll('%2A', '*');

async function targets(system: System, tokens: Tokens): Promise<Target[]> {
  const scenario = await prepareScenario(system, tokens);
  const system_ = await tokens.system('hz-rsj-system');
  const list: Target[] = [
    {
      name: 'catalog-search-q',
      url: `${system.catalog}/v1/search?q=${encodeURIComponent('空气质量')}&page=1`,
      parameters: ['q'],
      headers: {},
    },
    {
      name: 'ckan-package-search',
      url: `${system.catalog}/api/3/action/package_search?q=${encodeURIComponent('空气')}&fq=tags:${encodeURIComponent('环境')}&rows=5`,
      parameters: ['q', 'fq'],
      headers: {},
    },
    {
      name: 'grant-records-filter',
      url: `${system.exchange}/v1/grants/${scenario.grantId}/records?limit=5&filter=${jsonParam({ field: 'district', op: '=', value: '西湖区*' })}`,
      headers: { Authorization: `Bearer ${system_}`, 'X-Purpose': 'SOCIAL_SECURITY' },
    },
    {
      name: 'grant-records-filter-field',
      url: `${system.exchange}/v1/grants/${scenario.grantId}/records?limit=5&filter=${jsonParam({ field: 'district*', op: 'prefix', value: '西' })}`,
      headers: { Authorization: `Bearer ${system_}`, 'X-Purpose': 'SOCIAL_SECURITY' },
    },
    {
      name: 'grant-records-key',
      url: `${system.exchange}/v1/grants/${scenario.grantId}/records/${scenario.keys[0]}*`,
      headers: { Authorization: `Bearer ${system_}`, 'X-Purpose': 'SOCIAL_SECURITY' },
    },
  ];
  if (scenario.openCode) {
    const key = await http('POST', `${system.exchange}/v1/api-keys`, {
      token: await tokens.person('developer'),
      body: { name: 'sqlmap 扫描', rateLimitPerSecond: 100, dailyQuota: 1_000_000 },
    });
    if (key.status !== 201) throw new Error(`api key: ${JSON.stringify(key.body)}`);
    const preview = await http(
      'GET',
      `${system.exchange}/v1/open/resources/${scenario.openCode}/preview?limit=1`,
    );
    const first = ((preview.body.items ?? []) as Record<string, unknown>[])[0] ?? {};
    const field = Object.keys(first).find((k) => typeof first[k] === 'string');
    if (field)
      list.push({
        name: 'open-records-filter',
        url: `${system.exchange}/v1/open/resources/${scenario.openCode}/records?limit=5&filter=${jsonParam({ field, op: '=', value: `${String(first[field])}*` })}`,
        headers: { 'X-API-Key': key.body.key as string },
      });
  } else say('no 无条件开放 resource found: the open-data records API is not scanned');
  return list;
}

function runSqlmap(target: Target, outDir: string, logFile: string): Promise<number> {
  const args = [
    '-u',
    target.url,
    '--batch',
    `--level=${process.env.SQLMAP_LEVEL ?? '3'}`,
    `--risk=${process.env.SQLMAP_RISK ?? '2'}`,
    '--dbms=PostgreSQL',
    `--output-dir=${outDir}`,
    '--flush-session',
    '--disable-coloring',
    // the "WAF" sqlmap detects is the OpenAPI validator refusing its probe's unknown parameter
    '--skip-waf',
    '--timeout=15',
    '--retries=1',
    '--time-sec=3',
    ...(target.parameters ? ['-p', target.parameters.join(',')] : []),
    ...Object.entries(target.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('sqlmap', args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'dumb' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('exit', (code) => {
      // tokens and keys are the scan's own, but still not written into a log someone may share
      const text = Buffer.concat(chunks)
        .toString('utf8')
        .replace(/\x1b(\[[0-9;?]*[A-Za-z]|[()][A-Z0-9]|[>=])/g, '')
        .replace(/Bearer [A-Za-z0-9._-]+/g, 'Bearer ***')
        .replace(/gx_[A-Za-z0-9_-]+/g, 'gx_***');
      void writeFile(logFile, text).then(() => resolve(code ?? 2), reject);
    });
  });
}

async function findingOf(
  target: Target,
  logFile: string,
  outDir: string,
): Promise<Omit<Finding, 'exitCode' | 'seconds'>> {
  const text = await readFile(logFile, 'utf8');
  // sqlmap keeps what it confirmed in <output>/<host>/log
  let confirmed = '';
  for (const host of await readdir(outDir).catch(() => [] as string[])) {
    confirmed += await readFile(path.join(outDir, host, 'log'), 'utf8').catch(() => '');
  }
  const details = confirmed
    .split(/\n---\n/)
    .filter((block) => /Parameter: /.test(block))
    .map((block) => block.trim());
  const injectable =
    details.length > 0 || /sqlmap identified the following injection point/.test(text);
  return {
    target: target.name,
    injectable,
    details,
    httpErrors: /HTTP error codes detected during run:\s*\n?(.*)/.exec(text)?.[1]?.trim(),
  };
}

async function main(): Promise<number> {
  const external = namesRunningSystem(process.env);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.resolve(rootDir, process.env.SQLMAP_OUT ?? `test-results/sqlmap/${stamp}`);
  await mkdir(out, { recursive: true });
  const system = external
    ? await runningSystem(process.env)
    : await startedSystem({
        dataDir: '.data/sqlmap',
        say,
        // one scan of a target takes longer than the default 5-minute token
        env: { ACCESS_TOKEN_TTL_SECONDS: '7200' },
      });
  try {
    const tokens = new Tokens(system.issuer);
    const list = await targets(system, tokens);
    const only = process.env.SQLMAP_TARGETS?.split(',');
    const findings: Finding[] = [];
    for (const target of list.filter((t) => !only || only.includes(t.name))) {
      say(`${target.name}: ${target.url.replace(/\?.*/, '?…')}`);
      const started = Date.now();
      const dir = path.join(out, target.name);
      const log = path.join(out, `${target.name}.txt`);
      const exitCode = await runSqlmap(target, dir, log);
      const finding = {
        ...(await findingOf(target, log, dir)),
        exitCode,
        seconds: Math.round((Date.now() - started) / 1000),
      };
      findings.push(finding);
      say(
        `${target.name}: ${finding.injectable ? 'INJECTABLE' : 'not injectable'}${finding.httpErrors ? `; HTTP errors: ${finding.httpErrors}` : ''} (${finding.seconds} s)`,
      );
    }
    await writeFile(path.join(out, 'summary.json'), `${JSON.stringify(findings, null, 2)}\n`);
    say(`output: ${path.relative(rootDir, out)}`);
    const bad = findings.filter((f) => f.injectable || /\b5\d\d\b/.test(f.httpErrors ?? ''));
    return bad.length > 0 ? 1 : 0;
  } finally {
    await system.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `security:sqlmap failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
