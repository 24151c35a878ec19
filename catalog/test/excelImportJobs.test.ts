import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '@gx/platform';
import { expectResponseMatchesSpec } from '@gx/platform/testing';
import {
  InMemoryImportJobStore,
  STALE_JOB_DETAIL,
  type ImportJobStore,
  type ImportJobUpdate,
} from '../src/domain/excel/importJobs.ts';
import { ImportJobRunner } from '../src/domain/excel/ImportJobRunner.ts';
import { PostgresImportJobStore } from '../src/domain/excel/PostgresImportJobStore.ts';
import {
  EXCEL_SPEC,
  directoryCounts,
  fillTemplate,
  openDirectory,
  startExcelServer,
  steward,
  uploadInit,
  validItem,
  validRows,
  type Directory,
  type ExcelServer,
  type RowValues,
} from './fixtures/excelFixtures.ts';

/** Every update a store receives, in order: the progress a poller could have seen. */
class RecordingStore implements ImportJobStore {
  readonly updates: ImportJobUpdate[] = [];
  constructor(private readonly inner: ImportJobStore) {}
  create: ImportJobStore['create'] = (job) => this.inner.create(job);
  get: ImportJobStore['get'] = (id, owner) => this.inner.get(id, owner);
  update: ImportJobStore['update'] = async (id, update) => {
    this.updates.push(update);
    await this.inner.update(id, update);
  };
}

interface JobBody {
  id: string;
  status: string;
  phase: string | null;
  processedRows: number;
  totalRows: number | null;
  errors: { path: string; sheet: string; row: number; column: string; message: string }[];
  result: { created: number; items: number } | null;
  detail: string | null;
}

const stores = {
  postgres: (dir: Directory) => new PostgresImportJobStore(dir.prisma),
  'in-memory': () => new InMemoryImportJobStore(),
} as const;

describe.each(Object.keys(stores) as (keyof typeof stores)[])(
  'background Excel import with the %s job store',
  (kind) => {
    let dir: Directory;
    let server: ExcelServer;
    let store: RecordingStore;
    let template: Buffer;

    beforeAll(async () => {
      dir = await openDirectory();
      store = new RecordingStore(stores[kind](dir));
      server = await startExcelServer(dir.prisma, { jobs: store });
      server.actors.set('gaj', steward('hz-gaj'));
      server.actors.set('colleague', steward('hz-gaj', 'sub-another-steward'));
      template = Buffer.from(await (await fetch(`${server.base}/v1/excel/template`)).arrayBuffer());
    });

    afterAll(async () => {
      await server?.close();
      await dir?.close();
    });

    async function poll(location: string, actor = 'gaj'): Promise<JobBody> {
      for (;;) {
        const res = await fetch(`${server.base}${location}`, server.as(actor));
        const job = (await expectResponseMatchesSpec(
          EXCEL_SPEC,
          'GET',
          '/v1/excel/imports/{id}',
          res,
        )) as JobBody;
        if (job.status === 'succeeded' || job.status === 'failed') return job;
        await new Promise((r) => setTimeout(r, 20));
      }
    }

    it('answers 202 at once and reports progress until every row is written', async () => {
      const resources: RowValues[] = [];
      const items: RowValues[] = [];
      for (let seq = 1; seq <= 120; seq += 1) {
        resources.push(validRows(seq));
        items.push(
          validItem(seq),
          validItem(seq, { 字段名: 'title', 中文名称: '标题', 主键: null }),
        );
      }
      const file = await fillTemplate(template, resources, items);
      store.updates.length = 0;

      const res = await fetch(
        `${server.base}/v1/excel/imports`,
        server.as('gaj', uploadInit(file)),
      );
      expect(res.status).toBe(202);
      const location = res.headers.get('location')!;
      const accepted = (await expectResponseMatchesSpec(
        EXCEL_SPEC,
        'POST',
        '/v1/excel/imports',
        res,
      )) as JobBody;
      expect(location).toBe(`/v1/excel/imports/${accepted.id}`);
      expect(accepted).toMatchObject({ status: 'queued', processedRows: 0, errors: [] });

      const done = await poll(location);
      expect(done).toMatchObject({
        status: 'succeeded',
        processedRows: 360,
        totalRows: 360,
        result: { created: 120, items: 240 },
      });

      const writing = store.updates
        .filter((u) => u.phase === 'writing')
        .map((u) => u.processedRows!);
      // progress grew one resource (a row and its two items) at a time up to the total
      expect(writing.length).toBeGreaterThan(10);
      expect(writing).toEqual([...writing].sort((a, b) => a - b));
      expect(writing.at(-1)).toBe(360);
      expect(store.updates.map((u) => u.phase).filter(Boolean)).toEqual(
        expect.arrayContaining(['reading', 'validating', 'writing']),
      );
      expect(await dir.prisma.resource.count()).toBe(120);
    });

    it('a refused file ends the job failed with every problem; nothing is imported', async () => {
      const file = await fillTemplate(
        template,
        [validRows(1), validRows(2, { 更新周期: '每两天' })],
        [validItem(1, { 最大长度: '十八' }), validItem(2)],
      );
      const before = await directoryCounts(dir.prisma);
      const res = await fetch(
        `${server.base}/v1/excel/imports`,
        server.as('gaj', uploadInit(file)),
      );
      const done = await poll(res.headers.get('location')!);
      expect(done.status).toBe('failed');
      expect(done.result).toBeNull();
      expect(done.detail).toContain('未导入任何内容');
      expect(done.errors.map((e) => [e.sheet, e.row, e.message])).toEqual([
        ['信息资源', 3, expect.stringContaining('「每两天」不是有效的更新周期')],
        ['信息项', 2, '应为整数，实际是「十八」'],
      ]);
      expect(await directoryCounts(dir.prisma)).toEqual(before);
    });

    it('a job is visible to the person who started it only', async () => {
      // named apart from the first test's rows, which are in the directory now
      const file = await fillTemplate(
        template,
        [validRows(1, { 信息资源名称: '只有导入者能看到的任务' })],
        [validItem(1)],
      );
      const res = await fetch(
        `${server.base}/v1/excel/imports?dryRun=true`,
        server.as('gaj', uploadInit(file)),
      );
      const location = res.headers.get('location')!;
      expect((await poll(location)).result).toMatchObject({ dryRun: true, created: 1 });
      const colleague = await fetch(`${server.base}${location}`, server.as('colleague'));
      expect(colleague.status).toBe(404);
      expect((await fetch(`${server.base}${location}`)).status).toBe(401);
      const notUuid = await fetch(`${server.base}/v1/excel/imports/42`, server.as('gaj'));
      expect(notUuid.status).toBe(400);
      const anonymous = await fetch(`${server.base}/v1/excel/imports`, uploadInit(file));
      expect(anonymous.status).toBe(401);
    });

    it('a job whose process died is reported failed, not running forever', async () => {
      const staleStore =
        kind === 'postgres'
          ? new PostgresImportJobStore(dir.prisma, 50)
          : new InMemoryImportJobStore(50);
      const job = await staleStore.create({
        ownerSubject: 'sub-x',
        departmentCode: 'hz-gaj',
        fileSize: 1,
        dryRun: false,
      });
      await staleStore.update(job.id, { status: 'running', phase: 'writing' });
      await new Promise((r) => setTimeout(r, 120));
      expect(await staleStore.get(job.id, 'sub-x')).toMatchObject({
        status: 'failed',
        detail: STALE_JOB_DETAIL,
      });
    });
  },
);

describe('background imports across catalog processes (PostgreSQL job store)', () => {
  let dir: Directory;
  let other: Database;

  beforeAll(async () => {
    dir = await openDirectory();
    other = createDatabase({ url: dir.testDb.url, max: 2 });
  });

  afterAll(async () => {
    await other?.close();
    await dir?.close();
  });

  it('a poll answered by another process sees the job the first one runs', async () => {
    const server = await startExcelServer(dir.prisma, {
      jobs: new PostgresImportJobStore(dir.prisma),
    });
    try {
      const template = Buffer.from(
        await (await fetch(`${server.base}/v1/excel/template`)).arrayBuffer(),
      );
      const file = await fillTemplate(template, [validRows(1)], [validItem(1)]);
      const actor = steward('hz-gaj');
      const job = await server.runner.start({ actor, file });
      await server.runner.idle();
      // the second process: its own pool, its own runner, the same table
      const elsewhere = new ImportJobRunner({
        prisma: other.prisma,
        jobs: new PostgresImportJobStore(other.prisma),
      });
      expect(await elsewhere.get(job.id, actor)).toMatchObject({
        status: 'succeeded',
        result: { created: 1 },
      });
    } finally {
      await server.close();
    }
  });
});
