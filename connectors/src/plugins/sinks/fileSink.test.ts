import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '@gx/platform';
import { captureLogs } from '@gx/platform/testing';
import type { JsonValue, LogRecord } from '../../log/RecordLog.ts';
import type { PluginContext, SinkTask } from '../../runtime/plugin.ts';
import { createSecretResolver } from '../../runtime/secrets.ts';
import { headers } from '../../runtime/streamNames.ts';
import { fileSink } from './fileSink.ts';

const STREAM = 'gx.delivery.grant-7';
const signal = new AbortController().signal;
const context: PluginContext = {
  connector: 'licence-files',
  logger: captureLogs().logger,
  secrets: createSecretResolver({}),
  keyFields: [],
  fieldTypes: {},
};

function record(partition: number, offset: number, value: JsonValue = { p: partition, o: offset }) {
  const key = `k${offset % 17}`;
  return { stream: STREAM, partition, offset, key, value, headers: {}, timestamp: 0 } as LogRecord;
}

/** A deletion of `key` on partition 0: its value holds the key fields (ADR 0012). */
function tombstone(offset: number, key: string, value: JsonValue): LogRecord {
  const headersOf = { [headers.op]: 'delete' };
  return { stream: STREAM, partition: 0, offset, key, value, headers: headersOf, timestamp: 0 };
}

/** An upsert of `key` on partition 0. */
function upsert(offset: number, key: string, value: JsonValue): LogRecord {
  return { ...record(0, offset, value), key };
}

/** offsets 0..n-1 of each partition, interleaved as a consumer would receive them */
function delivery(partitions: number, n: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (let o = 0; o < n; o++) for (let p = 0; p < partitions; p++) out.push(record(p, o));
  return out;
}

async function writeInBatches(task: SinkTask, records: LogRecord[], size: number) {
  for (let i = 0; i < records.length; i += size) {
    const { deadLetters } = await task.write(records.slice(i, i + size), { signal });
    expect(deadLetters).toEqual([]);
  }
}

describe('file sink', () => {
  let dir: string;
  const tasks: SinkTask[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'gx-file-sink-'));
  });

  afterEach(async () => {
    await Promise.all(tasks.splice(0).map((t) => t.close().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  });

  async function open(options: Record<string, unknown> = {}): Promise<SinkTask> {
    const task = await fileSink.create({ directory: dir, ...options }, context);
    tasks.push(task);
    return task;
  }

  /** What a reader of the directory sees: the complete files, each checked against its name. */
  async function completeFiles() {
    const names = (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
    const files = [];
    for (const name of names) {
      const m = /^licence-files-p(\d+)-(\d{12})-(\d{12})\.jsonl$/.exec(name);
      expect(m, name).not.toBeNull();
      const lines = (await readFile(path.join(dir, name), 'utf8')).split('\n');
      expect(lines.pop()).toBe('');
      const values = lines.map((l) => JSON.parse(l) as { p: number; o: number });
      expect(values.every((v) => v.p === Number(m![1]))).toBe(true);
      expect(values[0]!.o).toBe(Number(m![2]));
      expect(values.at(-1)!.o).toBe(Number(m![3]));
      files.push({ name, partition: Number(m![1]), offsets: values.map((v) => v.o) });
    }
    return files;
  }

  async function offsetsByPartition() {
    const byPartition = new Map<number, number[]>();
    for (const file of await completeFiles()) {
      byPartition.set(file.partition, [
        ...(byPartition.get(file.partition) ?? []),
        ...file.offsets,
      ]);
    }
    return byPartition;
  }

  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

  it('rolls files per partition at maxRecordsPerFile and completes the open ones on close', async () => {
    const task = await open({ maxRecordsPerFile: 100 });
    await writeInBatches(task, delivery(2, 250), 64);
    // 200 offsets per partition are in complete files; the last 50 wait in an open file
    expect((await completeFiles()).map((f) => f.name)).toEqual([
      'licence-files-p0-000000000000-000000000099.jsonl',
      'licence-files-p0-000000000100-000000000199.jsonl',
      'licence-files-p1-000000000000-000000000099.jsonl',
      'licence-files-p1-000000000100-000000000199.jsonl',
    ]);
    await task.close();
    const offsets = await offsetsByPartition();
    expect(offsets.get(0)).toEqual(range(0, 250));
    expect(offsets.get(1)).toEqual(range(0, 250));
  });

  it('holds each record exactly once after a crash and a redelivery cut differently', async () => {
    const all = delivery(3, 400);
    const first = await open({ maxRecordsPerFile: 120 });
    await writeInBatches(first, all.slice(0, 700), 90);
    // The task dies: no close. Its last append reached the disk but not the rename (the bytes
    // beyond what the open file's name claims), and a new file was being created.
    const [openFile] = (await readdir(dir)).filter((n) => n.startsWith('.licence-files-p1-'));
    await appendFile(path.join(dir, openFile!), '{"p":1,"o":999}\n{"p":1,"o":10');
    await writeFile(path.join(dir, '.licence-files-p2-000000000240.jsonl.0a1b2c.tmp'), '{"p":2');
    tasks.splice(0);

    // the next owner gets everything from an older commit again, in other batches
    const second = await open({ maxRecordsPerFile: 120 });
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
    await writeInBatches(second, all.slice(300), 77);
    await second.close();

    const offsets = await offsetsByPartition();
    for (const p of [0, 1, 2]) expect(offsets.get(p)).toEqual(range(0, 400));
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('skips what a completed file holds when the same records arrive again', async () => {
    const task = await open({ maxRecordsPerFile: 10 });
    await writeInBatches(task, delivery(1, 25), 25);
    await task.close();
    const again = await open({ maxRecordsPerFile: 10 });
    await writeInBatches(again, delivery(1, 30), 7);
    await again.close();
    expect((await offsetsByPartition()).get(0)).toEqual(range(0, 30));
  });

  it('continues from files another task wrote when a partition moves to it', async () => {
    const a = await open({ maxRecordsPerFile: 1_000 });
    const b = await open({ maxRecordsPerFile: 1_000 });
    await a.write(delivery(1, 40), { signal });
    // partition 0 moves to b, which receives from the last commit (offset 30)
    await b.write(delivery(1, 60).slice(30), { signal });
    await b.close();
    await a.close();
    expect((await offsetsByPartition()).get(0)).toEqual(range(0, 60));
  });

  it('writes CSV with a BOM, a header from the first record and RFC 4180 quoting', async () => {
    const task = await open({ format: 'csv', prefix: 'permits' });
    const values: JsonValue[] = [
      { 编号: 'A1', 名称: '普通', 备注: null, 数量: 3, 有效: true },
      { 编号: 'A2', 名称: '含,逗号', 备注: '他说"好"', 数量: 0.5, 有效: false },
      { 编号: 'A3', 名称: '两行\r\n文本', 数量: 1, 有效: true, 多余: 'x', 明细: [1, 2] },
      { 编号: 'A4', 名称: { a: 1 }, 备注: '', 数量: -1, 有效: null },
    ];
    const { deadLetters } = await task.write(
      [...values.map((v, i) => record(0, i, v)), record(0, 4, 'not an object')],
      { signal },
    );
    expect(deadLetters).toEqual([
      {
        key: 'k4',
        value: 'not an object',
        reason: '记录值不是 JSON 对象，无法写入',
        context: { stream: STREAM, partition: '0', offset: '4' },
      },
    ]);
    await task.close();
    const names = await readdir(dir);
    expect(names).toEqual(['permits-p0-000000000000-000000000003.csv']);
    const bytes = await readFile(path.join(dir, names[0]!));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(
      [
        '编号,名称,备注,数量,有效,_op',
        'A1,普通,,3,true,upsert',
        'A2,"含,逗号","他说""好""",0.5,false,upsert',
        'A3,"两行\r\n文本",,1,true,upsert',
        'A4,"{""a"":1}",,-1,,upsert',
        '',
      ].join('\r\n'),
    );
  });

  /** The lines of the directory's complete files, in name order. */
  async function lines(): Promise<string[]> {
    const out: string[] = [];
    for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.')).sort()) {
      const text = await readFile(path.join(dir, name), 'utf8');
      out.push(...text.split(/\r?\n/).slice(0, -1));
    }
    return out;
  }

  it('writes a JSON Lines deletion line where a tombstone comes, record lines unchanged', async () => {
    const task = await open();
    const { deadLetters } = await task.write(
      [
        upsert(0, 'C1', { credit_code: 'C1', name: '甲公司' }),
        tombstone(1, 'C1', { credit_code: 'C1' }),
        tombstone(2, 'C2', { credit_code: 'C2' }),
        upsert(3, 'C2', { credit_code: 'C2', name: '乙公司' }),
      ],
      { signal },
    );
    expect(deadLetters).toEqual([]);
    // a later batch deletes what an earlier one wrote, and a key never written all the same
    const later = [
      tombstone(4, 'C2', { credit_code: 'C2' }),
      tombstone(5, 'C9', { credit_code: 'C9' }),
    ];
    expect(await task.write(later, { signal })).toEqual({ deadLetters: [] });
    await task.close();
    expect(await lines()).toEqual([
      '{"credit_code":"C1","name":"甲公司"}',
      '{"_op":"delete","credit_code":"C1"}',
      '{"_op":"delete","credit_code":"C2"}',
      '{"credit_code":"C2","name":"乙公司"}',
      '{"_op":"delete","credit_code":"C2"}',
      '{"_op":"delete","credit_code":"C9"}',
    ]);
  });

  it('marks each CSV row upsert or delete and starts a new file when a record follows a key-only header', async () => {
    const task = await open({ format: 'csv', prefix: 'firms' });
    // a file that begins with deletions only knows the key fields
    await task.write(
      [tombstone(0, 'C1', { credit_code: 'C1' }), tombstone(1, 'C2', { credit_code: 'C2' })],
      { signal },
    );
    await task.write(
      [
        tombstone(2, 'C3', { credit_code: 'C3' }),
        upsert(3, 'C4', { credit_code: 'C4', name: '丁公司', size: 4 }),
        tombstone(4, 'C4', { credit_code: 'C4' }),
      ],
      { signal },
    );
    await task.close();
    const names = (await readdir(dir)).sort();
    expect(names).toEqual([
      'firms-p0-000000000000-000000000002.csv',
      'firms-p0-000000000003-000000000004.csv',
    ]);
    const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
    expect(texts).toEqual([
      '\uFEFFcredit_code,_op\r\nC1,delete\r\nC2,delete\r\nC3,delete\r\n',
      '\uFEFFcredit_code,name,size,_op\r\nC4,丁公司,4,upsert\r\nC4,,,delete\r\n',
    ]);
  });

  it('dead-letters a tombstone without key fields and writes the rest', async () => {
    const task = await open();
    const { deadLetters } = await task.write(
      [tombstone(0, 'A', null), tombstone(1, 'B', {}), tombstone(2, 'C', { credit_code: 'C' })],
      { signal },
    );
    expect(deadLetters.map((d) => [d.key, d.value, d.reason, d.context?.offset])).toEqual([
      ['A', null, '删除标记的值不是 JSON 对象 (应为记录的键字段)，无法确定要删除的记录', '0'],
      ['B', {}, '删除标记不含任何键字段，无法写出删除行', '1'],
    ]);
    await task.close();
    expect(await lines()).toEqual(['{"_op":"delete","credit_code":"C"}']);
  });

  it('refuses records of a second stream', async () => {
    const task = await open();
    await task.write([record(0, 0)], { signal });
    await expect(
      task.write([{ ...record(0, 1), stream: 'gx.delivery.other' }], { signal }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});
