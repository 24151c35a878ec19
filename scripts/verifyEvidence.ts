// `npm run evidence:verify`: walk the evidence chain (存证链) and name the first broken entry.
// Database: DATABASE_URL, or the embedded one under DATA_DIR (reused when `npm start` is
// running it, otherwise started for the purpose and stopped again).
// `--checkpoint <file>` (repeatable): a signed checkpoint an auditor kept (the JSON answer of
// GET /v1/evidence/checkpoint, or its `jws` alone); the chain must still hold its head, which
// finds a chain rewritten with recomputed hashes (docs/adr/0005-evidence-log.md).
// `--since <file>`: a signed checkpoint to walk on from (incremental): the chain must hold it,
// and only the entries after it are walked; a full walk (without it) still covers the rest.
// Exit status: 0 intact, 1 broken (the entry is named), 2 could not check (no database, no
// evidence tables, bad configuration, a checkpoint that is unreadable or not the platform's).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  ConfigError,
  EmbeddedPostgres,
  hasCluster,
  InputError,
  loadConfig,
  redactUrl,
} from '@gx/platform';
import {
  openCheckpoint,
  type CheckpointPayload,
} from '../exchange-api/src/domain/evidence/evidenceCheckpoint.ts';
import type { ReceiptPublicJwk } from '../exchange-api/src/domain/evidence/ReceiptSigner.ts';
import { verifyEvidenceChain } from '../exchange-api/src/domain/evidence/verifyEvidenceChain.ts';

interface VerifyConfig {
  DATABASE_URL?: string;
  DATA_DIR: string;
  EMBEDDED_PG_PORT: number;
}

const EXIT_BROKEN = 1;
const EXIT_UNCHECKED = 2;
const EMBEDDED_DATABASE = 'gov_exchange';
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line: string) => process.stdout.write(`${line}\n`);

function loadVerifyConfig(): VerifyConfig {
  return loadConfig<VerifyConfig>(
    'evidence:verify',
    {
      type: 'object',
      properties: {
        DATABASE_URL: {
          type: 'string',
          pattern: '^postgres(ql)?://',
          secret: true,
          description: 'PostgreSQL holding the evidence log; unset: the embedded database',
        },
        DATA_DIR: { type: 'string', default: '.data', minLength: 1, description: 'embedded data' },
        EMBEDDED_PG_PORT: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          default: 54329,
          description: 'port of the embedded PostgreSQL',
        },
      },
    },
    process.env,
  );
}

interface CheckpointFiles {
  /** `--checkpoint`, in order */
  checkpoints: string[];
  /** `--since` */
  since?: string;
}

/** The files named by `--checkpoint` and `--since`; throws for a flag without a file. */
function checkpointFiles(args: readonly string[]): CheckpointFiles {
  const files: CheckpointFiles = { checkpoints: [] };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (flag !== '--checkpoint' && flag !== '--since')
      throw new InputError(`未知参数 ${flag}（只接受 --checkpoint <文件> 与 --since <文件>）`);
    const file = args[i + 1];
    if (!file) throw new InputError(`${flag} 后须跟检查点文件`);
    if (flag === '--checkpoint') files.checkpoints.push(file);
    else if (files.since !== undefined) throw new InputError('--since 只能给一次');
    else files.since = file;
    i += 1;
  }
  return files;
}

/** A checkpoint file: GET /v1/evidence/checkpoint's JSON answer, or the compact JWS alone. */
async function readCheckpoint(file: string, keys: readonly ReceiptPublicJwk[]) {
  const text = (await readFile(file, 'utf8')).trim();
  let jws = text;
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { jws?: unknown };
    if (typeof parsed.jws !== 'string') throw new InputError(`${file}: 没有 jws 字段`);
    jws = parsed.jws;
  }
  return openCheckpoint(jws, keys);
}

/** Read and check the checkpoint files against the database's keys; undefined (said) if one is bad. */
async function openCheckpointFiles(
  client: pg.Client,
  files: CheckpointFiles,
): Promise<{ checkpoints: CheckpointPayload[]; since?: CheckpointPayload } | undefined> {
  if (files.checkpoints.length === 0 && files.since === undefined) return { checkpoints: [] };
  const { rows } = await client.query<{ public_jwk: ReceiptPublicJwk }>(
    'SELECT public_jwk FROM evidence_keys',
  );
  const keys = rows.map((k) => k.public_jwk);
  const open = async (file: string) => {
    try {
      return await readCheckpoint(file, keys);
    } catch (error) {
      process.stderr.write(`${file}: ${error instanceof Error ? error.message : String(error)}\n`);
      return undefined;
    }
  };
  const checkpoints: CheckpointPayload[] = [];
  for (const file of files.checkpoints) {
    const checkpoint = await open(file);
    if (!checkpoint) return undefined;
    checkpoints.push(checkpoint);
  }
  if (files.since === undefined) return { checkpoints };
  const since = await open(files.since);
  return since && { checkpoints, since };
}

/** The embedded server `npm start` may be running right now: use it rather than stop it. */
async function runningEmbeddedUrl(dataDir: string, port: number): Promise<string | undefined> {
  const credentials = await readFile(path.join(dataDir, 'credentials.json'), 'utf8').then(
    (text) => JSON.parse(text) as { user: string; password: string },
    () => undefined,
  );
  if (!credentials) return undefined;
  const url = `postgresql://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  let config: VerifyConfig;
  let files: CheckpointFiles;
  try {
    config = loadVerifyConfig();
    files = checkpointFiles(process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InputError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_UNCHECKED;
    }
    throw error;
  }

  let url = config.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (url) say(`database: ${redactUrl(url)}`);
  else {
    const dataDir = path.join(path.resolve(rootDir, config.DATA_DIR), 'postgres');
    url = await runningEmbeddedUrl(dataDir, config.EMBEDDED_PG_PORT);
    if (url) say(`database: the running embedded PostgreSQL (${dataDir})`);
    else if (await hasCluster(dataDir)) {
      embedded = new EmbeddedPostgres({
        dataDir,
        port: config.EMBEDDED_PG_PORT,
        database: EMBEDDED_DATABASE,
      });
      url = await embedded.start();
      say(`database: the embedded PostgreSQL (${dataDir}), started for this check`);
    } else {
      process.stderr.write(`no DATABASE_URL and no embedded database under ${dataDir}\n`);
      return EXIT_UNCHECKED;
    }
  }

  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ present: boolean }>(
      `SELECT to_regclass('evidence_entries') IS NOT NULL AS present`,
    );
    if (!rows[0]?.present) {
      process.stderr.write('the database has no evidence log (run `npm run migrate`)\n');
      return EXIT_UNCHECKED;
    }
    const opened = await openCheckpointFiles(client, files);
    if (!opened) return EXIT_UNCHECKED;
    const { checkpoints, since } = opened;
    const started = Date.now();
    const result = await verifyEvidenceChain(client, { checkpoints, since });
    const held = (result.checkpoints ?? 0) > 0;
    const against = held ? `, holds ${result.checkpoints} signed checkpoint(s)` : '';
    const walked = since ? ` after seq ${since.seq} (incremental, from --since)` : '';
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      say(
        `evidence chain intact: ${result.entries} entries${walked}, head seq ${result.head.seq} ` +
          `hash ${result.head.hash}${against} (${seconds} s)`,
      );
      return 0;
    }
    const broken = result.firstBroken;
    say(
      `evidence chain BROKEN at seq ${broken.seq}${broken.id ? ` (id ${broken.id})` : ''}: ` +
        `${broken.problem}: ${broken.reason}`,
    );
    say(
      `${result.entries} entries${walked} before it are intact; chain head seq ${result.head.seq} (${seconds} s)`,
    );
    return EXIT_BROKEN;
  } finally {
    await client.end().catch(() => undefined);
    await embedded?.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `evidence:verify failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = EXIT_UNCHECKED;
  },
);
