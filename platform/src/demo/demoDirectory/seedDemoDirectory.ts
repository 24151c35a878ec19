import type { PrismaClient } from '@gx/migrations';
import type pg from 'pg';
import { createDatabase } from '../../db/createDatabase.ts';
import type { Actor } from '../../identity/Actor.ts';
import { recordKeyOrder } from '../../records/recordKey.ts';
import { DATA_AUTHORITY_CODE, DEMO_DEPARTMENTS } from '../demoOrganisation.ts';
import {
  DEMO_DIRECTORY_SEED,
  generateDemoDirectory,
  type DemoDirectoryResource,
} from './generateDemoDirectory.ts';

interface StepOptions {
  prisma: PrismaClient;
  actor: Actor;
  code: string;
  comment?: string;
}

/**
 * The catalog's workflow use cases (`@gx/catalog`), passed in because the platform does not
 * depend on the catalog: `seedDemoDirectory({ …, workflow: await import('@gx/catalog') })`.
 * Every demo entry goes through them, exactly as a steward and an approver would.
 */
export interface DirectoryWorkflow {
  createResource(options: { prisma: PrismaClient; actor: Actor; input: unknown }): Promise<{
    code: string;
  }>;
  submitResource(options: StepOptions): Promise<unknown>;
  approveResource(options: StepOptions): Promise<unknown>;
  rejectResource(options: StepOptions): Promise<unknown>;
  retireResource(options: StepOptions): Promise<unknown>;
}

export type SeedDemoDirectoryOptions = (
  { url: string } | { prisma: PrismaClient; pool: pg.Pool }
) & {
  workflow: DirectoryWorkflow;
  seed?: number;
  /** the generator's "now" (default: the start of the current hour) */
  asOf?: Date;
  /** departments catalogued at the same time (each department's entries go in order) */
  concurrency?: number;
  log?: (message: string) => void;
};

export interface SeedDemoDirectorySummary {
  departments: number;
  functions: number;
  resources: number;
  published: number;
  records: number;
  milliseconds: number;
}

/** Advisory lock key: two launchers on one database seed once. */
const LOCK_KEY = 4_861_302_117;
const RECORD_BATCH = 1000;

const steward = (departmentCode: string): Actor => ({
  kind: 'user',
  subject: 'seed',
  username: `${departmentCode}.steward`,
  departmentCode,
  roles: ['steward'],
});
const APPROVER: Actor = {
  kind: 'user',
  subject: 'seed',
  username: `${DATA_AUTHORITY_CODE}.approver`,
  departmentCode: DATA_AUTHORITY_CODE,
  roles: ['approver'],
};

/** how long the seed's queries and transactions may wait on a busy machine */
export const SEED_PATIENCE_MS = 60_000;

/** Run `fn` over `items`, `limit` at a time; after a failure start nothing new, let the
 * running ones finish (so that cleanup does not race them), then throw the first error. */
async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** Run one entry through the workflow to where the generator leaves it; returns its code. */
async function catalogue(
  prisma: PrismaClient,
  workflow: DirectoryWorkflow,
  entry: DemoDirectoryResource,
  created: (code: string) => void,
): Promise<string> {
  const actor = steward(entry.input.providerCode);
  const { code } = await workflow.createResource({ prisma, actor, input: entry.input });
  created(code);
  if (entry.status === 'draft' && !entry.rejectionComment) return code;
  await workflow.submitResource({ prisma, actor, code });
  if (entry.status === 'in_review') return code;
  if (entry.rejectionComment) {
    await workflow.rejectResource({
      prisma,
      actor: APPROVER,
      code,
      comment: entry.rejectionComment,
    });
    return code;
  }
  await workflow.approveResource({ prisma, actor: APPROVER, code, comment: '同意发布' });
  if (entry.status === 'retired') {
    await workflow.retireResource({
      prisma,
      actor: APPROVER,
      code,
      comment: '数据已停止更新，资源下线',
    });
  }
  return code;
}

async function insertRecords(pool: pg.Pool, resourceCode: string, entry: DemoDirectoryResource) {
  const { records } = entry;
  const keyFields = entry.input.items.filter((i) => i.isKey).map((i) => i.name);
  for (let i = 0; i < records.length; i += RECORD_BATCH) {
    const batch = records.slice(i, i + RECORD_BATCH);
    await pool.query(
      `INSERT INTO records (resource_id, record_key, key_order, data, schema_version)
       SELECT r.id, t.key, t.key_order, t.data, r.schema_version
         FROM resources r, unnest($2::text[], $3::jsonb[], $4::jsonb[]) AS t(key, key_order, data)
        WHERE r.code = $1`,
      [
        resourceCode,
        batch.map((r) => r.key),
        batch.map((r) => JSON.stringify(recordKeyOrder(r.data, keyFields))),
        batch.map((r) => JSON.stringify(r.data)),
      ],
    );
  }
}

/**
 * Seed the demo city's resource directory (platform/src/demo/demoDirectory/) into a database
 * that holds no resources: statutory functions, then every entry through the catalog's
 * workflow (create → submit → approve, some rejected, left in review or retired), then hosted
 * records and data refresh times. Does nothing, and returns undefined, when any resource exists;
 * on failure it removes what it wrote. Catalogues only the demo departments present in the
 * database (one seeded before the demo grew has fewer).
 */
export async function seedDemoDirectory(
  options: SeedDemoDirectoryOptions,
): Promise<SeedDemoDirectorySummary | undefined> {
  const started = Date.now();
  const concurrency = options.concurrency ?? 4;
  const owned =
    'url' in options
      ? createDatabase({
          url: options.url,
          max: concurrency + 2,
          // `npm start` seeds on first start, usually while the portal builds and the services
          // start: at load 15+ on two cores a workflow transaction failed to start within
          // Prisma's 2 s and the whole start failed. Waiting longer costs nothing here.
          connectionTimeoutMillis: SEED_PATIENCE_MS,
          transactionOptions: { maxWait: SEED_PATIENCE_MS, timeout: SEED_PATIENCE_MS },
        })
      : undefined;
  const prisma = owned?.prisma ?? (options as { prisma: PrismaClient }).prisma;
  const pool = owned?.pool ?? (options as { pool: pg.Pool }).pool;
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const { rowCount } = await lock.query('SELECT 1 FROM resources LIMIT 1');
    if (rowCount) return undefined;

    const { rows: present } = await lock.query<{ id: string; code: string }>(
      'SELECT id, code FROM departments WHERE code = ANY($1::text[])',
      [DEMO_DEPARTMENTS.map((d) => d.code)],
    );
    const departmentIds = new Map(present.map((d) => [d.code, d.id]));
    if (!departmentIds.has(DATA_AUTHORITY_CODE)) return undefined;
    const directory = generateDemoDirectory({
      seed: options.seed ?? DEMO_DIRECTORY_SEED,
      asOf: options.asOf,
      departments: DEMO_DEPARTMENTS.filter((d) => departmentIds.has(d.code)),
    });

    const functionRows = directory.functions.flatMap(({ departmentCode, functions }) =>
      functions.map((f) => ({ departmentId: departmentIds.get(departmentCode)!, ...f })),
    );
    const createdCodes: string[] = [];
    try {
      await pool.query(
        `INSERT INTO statutory_functions (department_id, code, name, description)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (department_id, code) DO NOTHING`,
        [
          functionRows.map((f) => f.departmentId),
          functionRows.map((f) => f.code),
          functionRows.map((f) => f.name),
          functionRows.map((f) => f.description),
        ],
      );

      const byDepartment = new Map<string, DemoDirectoryResource[]>();
      for (const entry of directory.resources) {
        const list = byDepartment.get(entry.input.providerCode) ?? [];
        list.push(entry);
        byDepartment.set(entry.input.providerCode, list);
      }
      const codes = new Map<DemoDirectoryResource, string>();
      // codes are assigned per provider under a row lock, so one department's entries go in
      // order while departments proceed side by side
      await mapLimit([...byDepartment.values()], concurrency, async (entries) => {
        for (const entry of entries) {
          codes.set(
            entry,
            await catalogue(prisma, options.workflow, entry, (code) => createdCodes.push(code)),
          );
        }
      });

      const refreshed = directory.resources.filter((e) => e.dataUpdatedAt);
      await pool.query(
        `UPDATE resources r SET data_updated_at = t.at
           FROM unnest($1::text[], $2::timestamptz[]) AS t(code, at) WHERE r.code = t.code`,
        [refreshed.map((e) => codes.get(e)!), refreshed.map((e) => e.dataUpdatedAt)],
      );
      let records = 0;
      await mapLimit(
        directory.resources.filter((e) => e.records.length > 0),
        concurrency,
        async (entry) => {
          await insertRecords(pool, codes.get(entry)!, entry);
          records += entry.records.length;
        },
      );
      const summary: SeedDemoDirectorySummary = {
        departments: directory.functions.length,
        functions: functionRows.length,
        resources: directory.resources.length,
        published: directory.resources.filter((e) => e.status === 'published').length,
        records,
        milliseconds: Date.now() - started,
      };
      options.log?.(
        `demo directory seeded: ${summary.resources} resources (${summary.published} published) ` +
          `of ${summary.departments} departments, ${summary.functions} statutory functions, ` +
          `${summary.records} records in ${(summary.milliseconds / 1000).toFixed(1)} s`,
      );
      return summary;
    } catch (error) {
      // leave the database as it was: an empty directory is seeded again on the next start
      await pool.query('DELETE FROM resources WHERE code = ANY($1::text[])', [createdCodes]);
      await pool.query(
        `DELETE FROM statutory_functions f USING unnest($1::uuid[], $2::text[]) AS t(d, c)
          WHERE f.department_id = t.d AND f.code = t.c
            AND NOT EXISTS (SELECT 1 FROM resources r WHERE r.function_id = f.id)`,
        [functionRows.map((f) => f.departmentId), functionRows.map((f) => f.code)],
      );
      throw error;
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    lock.release();
    await owned?.close();
  }
}
