// Shared by `npm run evidence:verify` and `npm run evidence:archive`: the database they work on
// (DATABASE_URL, or the embedded one under DATA_DIR: reused when `npm start` is running it,
// otherwise started for the purpose and stopped again by `close`) and checkpoint files.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { ConfigError, InputError } from '@gx/platform';
import { embeddedDataDir, loadBackupConfig, type BackupConfig } from './backupConfig.ts';
import { resolveDatabase } from './pgTools.ts';

export interface EvidenceDatabase {
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Connect to the evidence database, saying which one through `say`; a string says why it
 * cannot be used (no database, no evidence tables).
 */
async function openEvidenceDatabase(
  config: BackupConfig,
  say: (line: string) => void,
): Promise<EvidenceDatabase | string> {
  const target = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: embeddedDataDir(config),
    port: config.EMBEDDED_PG_PORT,
  });
  if (!target) return `no DATABASE_URL and no embedded database under ${config.DATA_DIR}`;
  say(`database: ${target.description}`);
  const { url, embedded } = target;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // a connection that breaks while idle must not end the command with an unhandled error
  pool.on('error', () => undefined);
  const close = async () => {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
  };
  try {
    const { rows } = await pool.query<{ present: boolean }>(
      `SELECT to_regclass('evidence_entries') IS NOT NULL AS present`,
    );
    if (rows[0]?.present) return { pool, close };
  } catch (error) {
    await close();
    throw error;
  }
  await close();
  return 'the database has no evidence log (run `npm run migrate`)';
}

/** Why a file could not be read, in words; Node's own message names the path a second time. */
const READ_PROBLEMS: Record<string, string> = {
  ENOENT: '文件不存在',
  EISDIR: '是目录，不是文件',
  EACCES: '没有读取权限',
  EPERM: '没有读取权限',
};

/**
 * A checkpoint file's JWS: GET /v1/evidence/checkpoint's JSON answer, or the compact JWS alone.
 * A file that cannot be read, or JSON without `jws`, throws `InputError` as `<file>: <problem>`,
 * the file named once, for the commands to print as it is.
 */
export async function readCheckpointJws(file: string): Promise<string> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new InputError(
      `${file}: ${READ_PROBLEMS[code] ?? `无法读取（${code || String(error)}）`}`,
    );
  }
  if (!text.startsWith('{')) return text;
  let parsed: { jws?: unknown } | null;
  try {
    parsed = JSON.parse(text) as { jws?: unknown } | null;
  } catch {
    throw new InputError(`${file}: 不是 JSON，也不是紧凑格式的 JWS`);
  }
  if (typeof parsed?.jws !== 'string') throw new InputError(`${file}: 没有 jws 字段`);
  return parsed.jws;
}

/**
 * Run `work` against the evidence database (`npm start`'s settings: DATABASE_URL, DATA_DIR,
 * EMBEDDED_PG_PORT) and close it after; bad settings or no database: said, and `failed`.
 */
export async function withEvidenceDatabase(
  command: string,
  failed: number,
  say: (line: string) => void,
  work: (pool: pg.Pool) => Promise<number>,
): Promise<number> {
  let config: BackupConfig;
  try {
    config = loadBackupConfig(command, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return failed;
  }
  const database = await openEvidenceDatabase(config, say);
  if (typeof database === 'string') {
    process.stderr.write(`${database}\n`);
    return failed;
  }
  try {
    return await work(database.pool);
  } finally {
    await database.close();
  }
}
