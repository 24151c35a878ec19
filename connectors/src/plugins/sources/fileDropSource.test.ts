import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../log/RecordLog.ts';
import type { SourceBatch, SourceTask } from '../../runtime/plugin.ts';
import { fileDropSource, type FileDropOptions } from './fileDropSource.ts';
import { optionsErrors, sourceTestContext } from './sourceTestContext.ts';

const signal = new AbortController().signal;
let directory: string;
let processed: string;
const tasks: SourceTask[] = [];

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'gx-file-drop-'));
  processed = path.join(directory, 'processed');
});

afterEach(async () => {
  await Promise.all(tasks.splice(0).map((t) => t.close()));
  await rm(directory, { recursive: true, force: true });
});

async function createTask(
  options: Partial<FileDropOptions> = {},
  keyFields = ['id'],
): Promise<SourceTask> {
  const task = await fileDropSource.create({ directory, ...options }, sourceTestContext(keyFields));
  tasks.push(task);
  return task;
}

/** polls (and acknowledges, as the runtime does) until a poll returns null */
async function drain(task: SourceTask, from: JsonValue | null = null, maxRecords = 100) {
  const batches: SourceBatch[] = [];
  let position = from;
  for (;;) {
    const batch = await task.poll(position, { maxRecords, signal });
    if (batch === null) return { batches, position };
    batches.push(batch);
    position = batch.position;
    await batch.acknowledge?.();
  }
}

const keys = (batches: SourceBatch[]) => batches.flatMap((b) => b.records.map((r) => r.key));

describe('file-drop options schema', () => {
  it('accepts the documented options and rejects a relative directory or a quote delimiter', () => {
    expect(
      optionsErrors(fileDropSource, {
        directory: '/srv/drop/户籍',
        format: 'csv',
        csv: { delimiter: ';', header: true },
        columns: { 身份证号: 'id_number' },
        inferNumbers: true,
      }),
    ).toEqual([]);
    expect(optionsErrors(fileDropSource, { directory: 'drop' })).not.toEqual([]);
    expect(optionsErrors(fileDropSource, { directory: '/d', csv: { delimiter: '"' } })).not.toEqual(
      [],
    );
    expect(optionsErrors(fileDropSource, { directory: '/d', format: 'xlsx' })).not.toEqual([]);
  });
});

describe('file-drop source', () => {
  it('reads RFC 4180 CSV with a BOM, quoted delimiters, newlines and quotes, and CRLF lines', async () => {
    await writeFile(
      path.join(directory, 'people.csv'),
      '\uFEFFid,name,address,note\r\n' +
        '1,张三,"杭州市,西湖区","说""你好"""\r\n' +
        '2,李四,"第一行\r\n第二行",\r\n' +
        '3,,"",5\'6"\r\n',
    );
    const task = await createTask();

    const batch = await task.poll(null, { maxRecords: 100, signal });

    expect(batch?.deadLetters).toEqual([]);
    expect(batch?.records).toEqual([
      {
        key: '1',
        value: { id: '1', name: '张三', address: '杭州市,西湖区', note: '说"你好"' },
        context: { file: 'people.csv', line: '2' },
      },
      {
        key: '2',
        value: { id: '2', name: '李四', address: '第一行\r\n第二行', note: null },
        context: { file: 'people.csv', line: '3' },
      },
      {
        key: '3',
        value: { id: '3', name: null, address: '', note: '5\'6"' },
        context: { file: 'people.csv', line: '5' },
      },
    ]);
    // header line 1, record 2 on lines 3–4, record 3 on line 5
    expect(batch?.position).toMatchObject({ file: 'people.csv', line: 5 });
  });

  it('turns malformed lines into dead letters with their file and line, and keeps the rest', async () => {
    await writeFile(
      path.join(directory, 'a.csv'),
      ['id,name', '1,甲', '2,乙,多余', '"3"x,丙', ',无主键', '4,丁', '5,"未闭合', '6,戊'].join(
        '\n',
      ),
    );
    await writeFile(
      path.join(directory, 'b.jsonl'),
      ['{"id":1}', '', '{"id":2', '[1,2]', '"text"', '{"name":"无主键"}', '{"id":3}'].join('\n') +
        '\n',
    );
    const task = await createTask();

    const { batches } = await drain(task);

    expect(keys(batches)).toEqual(['1', '4', '1', '3']);
    const dead = batches.flatMap((b) => b.deadLetters);
    expect(dead.map((d) => [d.context?.file, d.context?.line, d.key])).toEqual([
      ['a.csv', '3', 'a.csv:3'],
      ['a.csv', '4', 'a.csv:4'],
      ['a.csv', '5', 'a.csv:5'],
      ['a.csv', '7', 'a.csv:7'],
      ['b.jsonl', '3', 'b.jsonl:3'],
      ['b.jsonl', '4', 'b.jsonl:4'],
      ['b.jsonl', '5', 'b.jsonl:5'],
      ['b.jsonl', '6', 'b.jsonl:6'],
    ]);
    expect(dead.map((d) => d.reason)).toEqual([
      '有 3 列，表头有 2 列',
      '第 4 行：引号结束后、分隔符之前有多余字符',
      '缺少主键字段 id',
      '引号未闭合，直到文件结尾',
      expect.stringMatching(/^JSON 无效: /),
      '不是 JSON 对象',
      '不是 JSON 对象',
      '缺少主键字段 id',
    ]);
    expect(dead[0]?.value).toBe('2,乙,多余');
    expect(dead[3]?.value).toBe('5,"未闭合\n6,戊');
    expect(dead[7]?.value).toEqual({ name: '无主键' });
  });

  it('reads in batches, resumes mid-file in a new task, and moves the file aside only after the last batch', async () => {
    const lines = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({ id: i + 1, n: `第${i + 1}条` }),
    );
    await writeFile(path.join(directory, 'records.jsonl'), lines.join('\n') + '\n');
    const first = await createTask();
    const one = await first.poll(null, { maxRecords: 10, signal });
    expect(keys([one!])).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    expect(one?.position).toMatchObject({ file: 'records.jsonl', line: 10 });
    expect(one?.acknowledge).toBeUndefined();
    await first.close();

    // "restart": a new task from the stored position
    const second = await createTask();
    const two = await second.poll(JSON.parse(JSON.stringify(one!.position)), {
      maxRecords: 10,
      signal,
    });
    const three = await second.poll(two!.position, { maxRecords: 10, signal });
    expect(keys([two!, three!])).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 11)));
    expect(two?.acknowledge).toBeUndefined();
    expect(await readdir(directory)).toContain('records.jsonl');

    await three!.acknowledge!();
    expect(await readdir(directory)).toEqual(['processed']);
    expect(await readdir(processed)).toEqual(['records.jsonl']);
    expect(await second.poll(three!.position, { maxRecords: 10, signal })).toBeNull();
  });

  it('finishes a file whose last batch was stored but not acknowledged before a crash', async () => {
    await writeFile(path.join(directory, 'x.jsonl'), '{"id":1}\n{"id":2}\n');
    const first = await createTask();
    const batch = await first.poll(null, { maxRecords: 10, signal });
    expect(batch?.acknowledge).toBeDefined();
    await first.close(); // crash: acknowledge never ran

    const second = await createTask();
    const again = await second.poll(batch!.position, { maxRecords: 10, signal });
    expect(again?.records).toEqual([]);
    await again!.acknowledge!();
    expect(await readdir(processed)).toEqual(['x.jsonl']);
  });

  it('reads files in name order, ignores unfinished, hidden and unknown files, and timestamps a clashing name', async () => {
    await mkdir(processed);
    await writeFile(path.join(processed, 'a.jsonl'), 'an earlier delivery\n');
    await writeFile(path.join(directory, 'b.jsonl'), '{"id":"b"}\n');
    await writeFile(path.join(directory, 'a.jsonl'), '{"id":"a"}\n');
    await writeFile(path.join(directory, 'c.jsonl.part'), '{"id":"part"}\n');
    await writeFile(path.join(directory, 'd.tmp'), '{"id":"tmp"}\n');
    await writeFile(path.join(directory, '.e.jsonl'), '{"id":"hidden"}\n');
    await writeFile(path.join(directory, 'f.xml'), '<x/>\n');
    await mkdir(path.join(directory, 'g.jsonl'));
    const task = await createTask();

    const { batches } = await drain(task);

    expect(keys(batches)).toEqual(['a', 'b']);
    const moved = (await readdir(processed)).sort();
    expect(moved).toHaveLength(3);
    expect(moved).toContain('a.jsonl');
    expect(moved).toContain('b.jsonl');
    expect(moved.find((f) => /^a\.\d{8}T\d{9}Z\.jsonl$/.test(f))).toBeDefined();
    expect((await readdir(directory)).sort()).toEqual(
      ['.e.jsonl', 'c.jsonl.part', 'd.tmp', 'f.xml', 'g.jsonl', 'processed'].sort(),
    );
  });

  it('reads a file dropped again under a processed name from its first line', async () => {
    await writeFile(path.join(directory, 'daily.jsonl'), '{"id":1}\n{"id":2}\n');
    const task = await createTask();
    const first = await drain(task);
    await writeFile(path.join(directory, 'daily.jsonl'), '{"id":3}\n{"id":4}\n{"id":5}\n');

    const second = await drain(task, first.position);

    expect(keys(second.batches)).toEqual(['3', '4', '5']);
  });

  it('maps columns, names cells by number without a header, and infers numbers only when asked', async () => {
    await writeFile(path.join(directory, 'n.csv'), '007;3.50;12345678901234567890;-2;1e3;\n');
    const task = await createTask(
      {
        csv: { delimiter: ';', header: false },
        columns: {
          '1': 'code',
          '2': 'price',
          '3': 'serial',
          '4': 'delta',
          '5': 'exp',
          '6': 'none',
        },
        inferNumbers: true,
      },
      ['code'],
    );
    const batch = await task.poll(null, { maxRecords: 10, signal });
    expect(batch?.records[0]?.value).toEqual({
      code: '007',
      price: 3.5,
      serial: '12345678901234567890',
      delta: -2,
      exp: 1000,
      none: null,
    });

    await batch!.acknowledge!();

    await writeFile(path.join(directory, 'h.csv'), '编号,姓名,备注\nA1,王五,x\n');
    const mapped = await createTask({ columns: { 编号: 'id', 姓名: 'name', 电话: 'phone' } });
    const { batches } = await drain(mapped);
    expect(batches.flatMap((b) => b.records)).toEqual([
      { key: 'A1', value: { id: 'A1', name: '王五' }, context: { file: 'h.csv', line: '2' } },
    ]);
    // a mapped column the file lacks is reported once, on the header line
    expect(batches.flatMap((b) => b.deadLetters)).toEqual([
      {
        key: 'h.csv:1',
        value: '编号,姓名,备注',
        reason: '表头缺少列 电话',
        context: { file: 'h.csv', line: '1' },
      },
    ]);
  });

  it('reads CSV cells by the types of the resource fields: numbers, yes/no, empty cells left out', async () => {
    await writeFile(
      path.join(directory, 'people.csv'),
      [
        'id,name,age,income,insured,retired,born,extra',
        '1,张三,42,1234.5,true,否,1982-03-01,7',
        '2,李四, 7 ,-0.25,是,FALSE,,x',
        '3,,,,1,n,"",',
        '4,王五,四十,1e3,可能,Y,1990-01-01,',
        '5,赵六,12345678901234567890,3,0,yes,1990-01-01,',
      ].join('\n'),
    );
    const task = await fileDropSource.create(
      { directory, inferNumbers: true },
      sourceTestContext(
        ['id'],
        {},
        {
          id: 'integer',
          name: 'string',
          age: 'integer',
          income: 'number',
          insured: 'boolean',
          retired: 'boolean',
          born: 'date',
        },
      ),
    );
    tasks.push(task);
    const { batches } = await drain(task);
    expect(batches.flatMap((b) => b.records.map((r) => r.value))).toEqual([
      {
        id: 1,
        name: '张三',
        age: 42,
        income: 1234.5,
        insured: true,
        retired: false,
        born: '1982-03-01',
        extra: 7,
      },
      { id: 2, name: '李四', age: 7, income: -0.25, insured: true, retired: false, extra: 'x' },
      // an empty cell of a field is no value; a quoted empty text stays empty text
      { id: 3, insured: true, retired: false, born: '', extra: null },
      // what does not read as its type stays text, for enforcement to refuse with the cell
      {
        id: 4,
        name: '王五',
        age: '四十',
        income: 1000,
        insured: '可能',
        retired: true,
        born: '1990-01-01',
        extra: null,
      },
      {
        id: 5,
        name: '赵六',
        age: '12345678901234567890',
        income: 3,
        insured: false,
        retired: true,
        born: '1990-01-01',
        extra: null,
      },
    ]);
  });

  it('reads a line carrying the deletion marker as a deletion of its key, and drops the marker from every record', async () => {
    await writeFile(
      path.join(directory, 'changes.csv'),
      [
        '编号,姓名,操作',
        'A1,王五,新增',
        'A2,赵六,删除',
        'A3,钱七,',
        ',无主键,删除',
        'A4,孙八,D',
      ].join('\n'),
    );
    const csv = await createTask({
      columns: { 编号: 'id', 姓名: 'name', 操作: '_op' },
      deleteMarker: { field: '_op', values: ['删除', 'D'] },
    });
    const { batches } = await drain(csv);
    expect(batches.flatMap((b) => b.records)).toMatchObject([
      { key: 'A1', value: { id: 'A1', name: '王五' } },
      { key: 'A2', value: { id: 'A2' }, deleted: true },
      { key: 'A3', value: { id: 'A3', name: '钱七' } },
      { key: 'A4', value: { id: 'A4' }, deleted: true },
    ]);
    expect(batches.flatMap((b) => b.records).map((r) => r.context?.line)).toEqual([
      '2',
      '3',
      '4',
      '6',
    ]);
    // a deletion without its key is a dead letter like any keyless line
    expect(batches.flatMap((b) => b.deadLetters).map((d) => [d.key, d.reason])).toEqual([
      ['changes.csv:5', '缺少主键字段 id'],
    ]);

    await writeFile(
      path.join(directory, 'more.jsonl'),
      ['{"id":7,"name":"周九","op":"delete"}', '{"id":8,"name":"吴十","op":"upsert"}'].join('\n'),
    );
    const jsonl = await createTask({
      deleteMarker: { field: 'op', values: ['delete'] },
    });
    const { batches: more } = await drain(jsonl);
    expect(more.flatMap((b) => b.records)).toMatchObject([
      { key: '7', value: { id: 7 }, deleted: true },
      { key: '8', value: { id: 8, name: '吴十' } },
    ]);
  });

  it('refuses a deletion marker that the column mapping would drop', () => {
    const options = {
      directory: '/srv/drop',
      columns: { 编号: 'id' },
      deleteMarker: { field: '操作', values: ['删除'] },
    };
    expect(optionsErrors(fileDropSource, options)).toEqual([]);
    expect(fileDropSource.checkOptions?.(options)).toEqual([
      {
        path: '/deleteMarker/field',
        message: expect.stringContaining('删除标记字段 操作 不在列映射的输出字段中'),
      },
    ]);
    expect(
      fileDropSource.checkOptions?.({ ...options, columns: { 编号: 'id', 操作: '操作' } }),
    ).toEqual([]);
    expect(
      optionsErrors(fileDropSource, { directory: '/d', deleteMarker: { field: 'op', values: [] } }),
    ).not.toEqual([]);
  });

  it('streams a large file in batches with every line read once', async () => {
    const count = 100_000;
    const rows = ['id,value'];
    for (let i = 1; i <= count; i++) rows.push(`${i},"值 ${i}, 含逗号"`);
    await writeFile(path.join(directory, 'big.csv'), rows.join('\n'));
    const task = await createTask();

    let total = 0;
    let last = 0;
    let position: JsonValue | null = null;
    for (;;) {
      const batch = await task.poll(position, { maxRecords: 5000, signal });
      if (!batch) break;
      for (const r of batch.records) {
        expect(Number(r.key)).toBe(last + 1);
        last++;
      }
      total += batch.records.length;
      position = batch.position;
      await batch.acknowledge?.();
    }
    expect(total).toBe(count);
    expect(await readdir(processed)).toEqual(['big.csv']);
  });
});
