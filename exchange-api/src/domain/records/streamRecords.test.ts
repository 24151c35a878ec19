import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, seedDemo } from '@gx/platform';
import { createTestDatabase, testPool, type TestDatabase } from '@gx/platform/testing';
import { compilePolicy, type Policy } from '../policy/compilePolicy.ts';
import { rowFilterSql, type FieldType, type RowFilter } from '../policy/rowFilter.ts';
import {
  columnHeadings,
  csvCell,
  CsvRowEnds,
  inlineParameters,
  plainNumber,
  streamRecords,
  type StreamFormat,
  type StreamRecordsOptions,
} from './streamRecords.ts';

const TYPES: Record<string, FieldType> = {
  id: 'string',
  name: 'string',
  age: 'integer',
  amount: 'number',
  active: 'boolean',
  birth: 'date',
  seen: 'datetime',
  note: 'string',
};
const FIELDS = Object.keys(TYPES);
const LABELS = new Map([
  ['id', '编号'],
  ['name', '姓名'],
  ['age', '年龄'],
  ['amount', '金额（元）'],
  ['active', '是否有效'],
  ['birth', '出生日期'],
  ['seen', '登记时间'],
  ['note', '备注, "说明"'],
]);

/** strings that try to break out of an SQL literal, a CSV cell or a formula-safe cell */
const HOSTILE = [
  "'); DROP TABLE records; --",
  "O'Brien",
  "''",
  '\\',
  "\\'",
  "\\'; SELECT 1; --",
  "E'\\x41'",
  '$1',
  '$$ $2 $$',
  '"C"',
  '/* comment',
  '-- comment',
  '张三\n李四',
];

/** every record is written as the records API writes it: JSON.stringify into jsonb */
const RECORDS: Record<string, unknown>[] = [
  {
    id: 'a01',
    name: '张三',
    age: 34,
    amount: 1234.5,
    active: true,
    birth: '1990-01-02',
    seen: '2026-11-21T08:00:00Z',
    note: '普通',
  },
  {
    id: 'a02',
    name: '=HYPERLINK("http://x","y")',
    age: -3,
    amount: -0.25,
    active: false,
    birth: '1985-12-31',
    seen: '2026-11-21T16:00:00+08:00',
    note: '+86 571',
  },
  { id: 'a03', name: '-1+2', age: 0, amount: 0, note: '@SUM(A1)' },
  { id: 'a04', name: '\tTab', age: 120, amount: 1e21, active: null, birth: null, note: '\r回车' },
  { id: 'a05', name: 'a,b', age: 7, amount: 1.5e-7, note: 'say "hi"' },
  { id: 'a06', name: '第一行\r\n第二行', age: 8, amount: -1.2345e25, note: 'LF\nonly' },
  { id: 'a07', name: '', age: 9, amount: 0.1, note: '' },
  { id: 'a08', name: '𠀋 astral', amount: 123456789012, note: "'quoted'" },
  { id: 'a09', name: '\\.', note: 'back\\slash' },
  { id: 'a10', name: { b: 1, a: [1, 'x y', { '10': 2, z: 1e21 }], 'long key': 'v: w, "q"' } },
  { id: 'a11', name: ['=cmd', null, true, 2.5, 'a\u0001b'], note: ' leading space' },
  { id: 'a12', name: '  ', note: 'trailing comma,' },
  { id: 'a13', name: '-5', age: -7, note: '#话题' },
  { id: 'a14', name: '<b>粗体</b>', note: '?问' },
  { id: 'a15', name: '{not json', note: ':冒号' },
  ...HOSTILE.map((name, i) => ({ id: `h${String(i).padStart(2, '0')}`, name, age: i })),
];

const KEY = randomBytes(32);
const compile = (policy: Omit<Policy, 'purposes'>) =>
  compilePolicy({ purposes: ['STATISTICS'], ...policy }, TYPES, KEY);

/** A writable that keeps what it gets. */
function sink() {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

describe('streamRecords', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let resourceId: string;
  let bigResourceId: string;

  async function createResource(sequence: number): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO resources (code, name, abstract, provider_id, theme_code, format, sharing_type,
                              open_type, update_cycle, created_by)
       SELECT $1, '导出测试', '导出测试数据', id, 'population', 'database', 'unconditional',
              'open', 'daily', 'test'
         FROM departments WHERE code = 'hz-gaj'
       RETURNING id`,
      [`101001001-002489129-${String(sequence).padStart(6, '0')}`],
    );
    return rows[0]!.id;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool({ connectionString: db.url, max: 4 });
    await seedDemo(pool);
    resourceId = await createResource(1);
    await pool.query(
      `INSERT INTO records (resource_id, record_key, key_order, data, schema_version)
       SELECT $1::uuid, r.data->>'id', jsonb_build_array(r.data->'id'), r.data, 1
         FROM jsonb_array_elements($2::jsonb) AS r(data)`,
      [resourceId, JSON.stringify(RECORDS)],
    );
    bigResourceId = await createResource(2);
    await pool.query(
      `INSERT INTO records (resource_id, record_key, key_order, data, schema_version)
       SELECT $1::uuid, lpad(i::text, 7, '0'), jsonb_build_array(lpad(i::text, 7, '0')),
              jsonb_build_object('id', lpad(i::text, 7, '0'), 'name', '居民' || i,
                                 'age', i % 100, 'amount', (i % 997)::float8 / 8,
                                 'note', repeat('杭州市西湖区文三路', 4)), 1
         FROM generate_series(1, 200000) AS i`,
      [bigResourceId],
    );
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function run(
    policy: ReturnType<typeof compile>,
    format: StreamFormat,
    extra: Partial<StreamRecordsOptions> = {},
  ) {
    const { out, bytes } = sink();
    const result = await streamRecords({
      pool,
      resourceId,
      policy,
      labels: LABELS,
      format,
      out,
      ...extra,
    });
    return { ...result, bytes: bytes() };
  }

  it('exports CSV through COPY byte for byte as the cursor path writes it', async () => {
    const policy = compile({ fields: FIELDS });
    const copy = await run(policy, 'csv');
    const cursor = await run(policy, 'csv', { useCopy: false });
    expect(copy.path).toBe('copy');
    expect(cursor.path).toBe('cursor');
    expect(copy.bytes.toString('utf8')).toBe(cursor.bytes.toString('utf8'));
    expect(copy.bytes.equals(cursor.bytes)).toBe(true);
    expect(copy.count).toBe(RECORDS.length);
    expect(cursor.count).toBe(RECORDS.length);
    expect(copy.digest).toBe(createHash('sha256').update(copy.bytes).digest('hex'));
    expect(copy.digest).toBe(cursor.digest);
  });

  it('writes a BOM, Chinese labels, CRLF rows, neutralised formulas and quoted cells', async () => {
    const { bytes } = await run(compile({ fields: FIELDS }), 'csv');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(
      text.startsWith('编号,姓名,年龄,金额（元）,是否有效,出生日期,登记时间,"备注, ""说明"""\r\n'),
    ).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    // every line break outside a quoted cell is CRLF
    expect(
      text
        .replace(/"(?:[^"]|"")*"/g, '')
        .match(/\r?\n/g)!
        .every((br) => br === '\r\n'),
    ).toBe(true);
    expect(text).toContain('\r\na01,张三,34,1234.5,true,1990-01-02,2026-11-21T08:00:00Z,普通\r\n');
    expect(text).toContain(
      `\r\na02,"'=HYPERLINK(""http://x"",""y"")",-3,-0.25,false,1985-12-31,2026-11-21T16:00:00+08:00,'+86 571\r\n`,
    );
    expect(text).toContain("\r\na03,'-1+2,0,0,,,,'@SUM(A1)\r\n");
    expect(text).toContain(`\r\na04,'\tTab,120,1000000000000000000000,,,,"'\r回车"\r\n`);
    expect(text).toContain('\r\na05,"a,b",7,0.00000015,,,,"say ""hi"""\r\n');
    expect(text).toContain(
      '\r\na06,"第一行\r\n第二行",8,-12345000000000000000000000,,,,"LF\nonly"\r\n',
    );
    expect(text).toContain('\r\na07,"",9,0.1,,,,""\r\n');
    expect(text).toContain(
      '\r\na10,"{""a"": [1, ""x y"", {""z"": 1000000000000000000000, ""10"": 2}], ""b"": 1, ""long key"": ""v: w, \\""q\\""""}",,,,,,\r\n',
    );
    expect(text).toContain(
      '\r\na13,-5,-7,,,,,#话题\r\na14,<b>粗体</b>,,,,,,?问\r\na15,{not json,,,,,,:冒号\r\n',
    );
    expect(text).toContain(
      '\r\na11,"[""=cmd"", null, true, 2.5, ""a\\u0001b""]",,,,,, leading space\r\n',
    );
  });

  it('quotes a lone \\. in a one-column export as COPY does, on both paths', async () => {
    const policy = compile({ fields: ['name'] });
    const copy = await run(policy, 'csv');
    const cursor = await run(policy, 'csv', { useCopy: false });
    expect(copy.path).toBe('copy');
    expect(copy.bytes.equals(cursor.bytes)).toBe(true);
    expect(copy.bytes.toString('utf8')).toContain('\r\n"\\."\r\n');
  });

  it('leaves redacted fields out and still uses COPY; masked policies go through the cursor', async () => {
    const redacted = await run(
      compile({ fields: FIELDS, masks: { note: { kind: 'redact' } } }),
      'csv',
    );
    expect(redacted.path).toBe('copy');
    expect(redacted.bytes.toString('utf8').split('\r\n')[0]).toBe(
      '\uFEFF编号,姓名,年龄,金额（元）,是否有效,出生日期,登记时间',
    );
    const masked = await run(
      compile({ fields: ['id', 'name'], masks: { name: { kind: 'keep_first_last' } } }),
      'csv',
    );
    expect(masked.path).toBe('cursor');
    expect(masked.bytes.toString('utf8')).toContain('\r\na01,张*\r\n');
  });

  it('applies the row filter on the COPY path exactly as the cursor path does', async () => {
    const filters: RowFilter[] = [
      { field: 'age', op: '>=', value: 7 },
      {
        and: [
          { field: 'age', op: '<', value: 100 },
          { not: { field: 'name', op: 'prefix', value: '=' } },
        ],
      },
      { field: 'name', op: 'in', values: ['张三', 'a,b', "O'Brien"] },
      {
        or: [
          { field: 'active', op: '=', value: false },
          { field: 'birth', op: 'is_null' },
        ],
      },
      { field: 'seen', op: '>', value: '2026-11-21T07:59:59.999Z' },
      { field: 'amount', op: '>', value: 1e20 },
    ];
    for (const rowFilter of filters) {
      const policy = compile({ fields: ['id', 'name', 'age'], rowFilter });
      const copy = await run(policy, 'csv');
      const cursor = await run(policy, 'csv', { useCopy: false });
      expect(copy.path).toBe('copy');
      expect(copy.bytes.equals(cursor.bytes), JSON.stringify(rowFilter)).toBe(true);
      const expected = RECORDS.filter((r) => policy.matches(r)).length;
      expect(expected).toBeGreaterThan(0);
      expect(expected).toBeLessThan(RECORDS.length);
      expect(copy.count).toBe(expected);
    }
  });

  it('cannot be broken out of by hostile filter constants', async () => {
    for (const [i, hostile] of HOSTILE.entries()) {
      const policy = compile({
        fields: ['id', 'name'],
        rowFilter: {
          or: [
            { field: 'name', op: '=', value: hostile },
            { field: 'note', op: 'in', values: [hostile, `${hostile}'`] },
            { field: 'note', op: 'prefix', value: hostile },
          ],
        },
      });
      const result = await run(policy, 'csv');
      expect(result.path).toBe('copy');
      expect(result.count, hostile).toBe(1);
      expect(result.bytes.toString('utf8'), hostile).toContain(
        `\r\nh${String(i).padStart(2, '0')},`,
      );
    }
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM records WHERE resource_id = $1',
      [resourceId],
    );
    expect(rows[0]!.n).toBe(RECORDS.length);
  });

  it('inlines literals that select what the bound parameters select, whatever standard_conforming_strings says', async () => {
    const client = await pool.connect();
    try {
      for (const conforming of ['on', 'off']) {
        await client.query(`SET standard_conforming_strings = ${conforming}`);
        for (const hostile of HOSTILE) {
          const filter: RowFilter = {
            or: [
              { field: 'name', op: '=', value: hostile },
              { field: 'name', op: 'in', values: [hostile, 'x'] },
              { field: 'amount', op: 'in', values: [1e21, -0.25] },
              { field: 'seen', op: '=', value: '2026-11-21T08:00:00Z' },
              { field: 'active', op: '=', value: false },
            ],
          };
          const where = rowFilterSql(filter, TYPES, { column: 'data', firstParam: 2 });
          const bound = await client.query<{ id: string }>(
            `SELECT record_key AS id FROM records WHERE resource_id = $1 AND ${where.sql} ORDER BY 1`,
            [resourceId, ...where.params],
          );
          const inlined = await client.query<{ id: string }>(
            `SELECT record_key AS id FROM records WHERE resource_id = $1 AND ${inlineParameters(
              where.sql,
              [undefined, ...where.params],
            )} ORDER BY 1`,
            [resourceId],
          );
          expect(inlined.rows, `${hostile} (${conforming})`).toEqual(bound.rows);
          expect(inlined.rows.map((r) => r.id)).toContain(
            `h${String(HOSTILE.indexOf(hostile)).padStart(2, '0')}`,
          );
        }
      }
    } finally {
      await client.query('RESET standard_conforming_strings');
      client.release();
    }
  });

  it('gives each heading its unit unless the label already says it in brackets', () => {
    const headings = columnHeadings([
      { name: 'longitude', label: '经度', unit: '度' },
      { name: 'capital', label: '注册资本（万元）', unit: '万元' },
      { name: 'area', label: '面积(平方米)', unit: '平方米' },
      { name: 'pm25', label: 'PM2.5浓度', unit: '微克/立方米' },
      { name: 'name', label: '站点名称', unit: null },
    ]);
    expect([...headings.values()]).toEqual([
      '经度（度）',
      '注册资本（万元）',
      '面积(平方米)',
      'PM2.5浓度（微克/立方米）',
      '站点名称',
    ]);
  });

  it('refuses to inline what it cannot write as a literal', () => {
    expect(() => inlineParameters('x = $1::text', ['a\u0000b'])).toThrow();
    expect(() => inlineParameters('x = $1::float8', [Number.NaN])).toThrow();
    expect(() => inlineParameters('x = $2::text', ['a'])).toThrow();
    expect(() => inlineParameters("x = E'\\n' AND $1", ['a'])).toThrow();
    // placeholders inside quoted text are text, not parameters
    expect(inlineParameters(`a->'$1' = $1::text AND "$1" = 'it''s $1'`, ["o'k"])).toBe(
      `a->'$1' = ('o''k')::text AND "$1" = 'it''s $1'`,
    );
  });

  it('streams JSON lines and one valid JSON array of the shaped records', async () => {
    const policy = compile({ fields: FIELDS, masks: { name: { kind: 'keep_first_last' } } });
    const expected = RECORDS.map((r) => policy.shape(r)).sort((a, b) =>
      Buffer.compare(Buffer.from(a.id as string), Buffer.from(b.id as string)),
    );
    const jsonl = await run(policy, 'jsonl');
    expect(jsonl.bytes.toString('utf8')).toBe(
      expected.map((r) => `${canonicalJson(r)}\n`).join(''),
    );
    const json = await run(policy, 'json');
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual(expected);
    expect(json.count).toBe(RECORDS.length);
    expect(json.digest).toBe(createHash('sha256').update(json.bytes).digest('hex'));
    const none = await run(
      compile({ fields: ['id'], rowFilter: { field: 'age', op: '>', value: 1000 } }),
      'json',
    );
    expect(JSON.parse(none.bytes.toString('utf8'))).toEqual([]);
    expect(none.count).toBe(0);
  });

  it("writes a date field's days as Excel dates shown as days; a generalised one stays text", async () => {
    const types = new Map(Object.entries(TYPES));
    const policy = compile({
      fields: ['id', 'birth'],
      rowFilter: { field: 'id', op: '=', value: 'a01' },
    });
    const read = async (bytes: Buffer) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
      return workbook.worksheets[0]!.getCell('B2');
    };
    const day = await read((await run(policy, 'xlsx', { types })).bytes);
    expect(day.value).toEqual(new Date('1990-01-02T00:00:00Z'));
    expect(day.numFmt).toBe('yyyy-mm-dd');
    const year = compile({
      fields: ['id', 'birth'],
      masks: { birth: { kind: 'generalise', to: 'year' } },
      rowFilter: { field: 'id', op: '=', value: 'a01' },
    });
    expect((await read((await run(year, 'xlsx', { types })).bytes)).value).toBe('1990');
  });

  it("writes a datetime field's instants as Excel dates in Beijing time; a generalised one stays text", async () => {
    const types = new Map(Object.entries(TYPES));
    const read = async (policy: ReturnType<typeof compile>) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(
        (await run(policy, 'xlsx', { types })).bytes as unknown as ArrayBuffer,
      );
      const sheet = workbook.worksheets[0]!;
      return [sheet.getCell('B2'), sheet.getCell('B3')];
    };
    const both: RowFilter = { field: 'id', op: 'in', values: ['a01', 'a02'] };
    // 2026-11-21T08:00:00Z and 2026-11-21T16:00:00+08:00 are both 16:00 in Beijing; Excel keeps
    // no zone, so the cell holds the wall clock (exceljs reads it back as that time in UTC)
    const [utc, beijing] = await read(compile({ fields: ['id', 'seen'], rowFilter: both }));
    for (const cell of [utc!, beijing!]) {
      expect(cell.value).toEqual(new Date('2026-11-21T16:00:00Z'));
      expect(cell.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    }
    const [year] = await read(
      compile({
        fields: ['id', 'seen'],
        masks: { seen: { kind: 'generalise', to: 'year' } },
        rowFilter: both,
      }),
    );
    expect(year!.value).toBe('2026');
  });

  it('writes an XLSX workbook that exceljs reads back with Chinese headers and the records', async () => {
    const policy = compile({
      fields: FIELDS,
      rowFilter: { field: 'id', op: 'prefix', value: 'a' },
    });
    const result = await run(policy, 'xlsx');
    expect(result.digest).toBe(createHash('sha256').update(result.bytes).digest('hex'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(result.bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets).toHaveLength(1);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('数据');
    const rows = sheet.getSheetValues().slice(1) as unknown[][];
    expect(rows[0]!.slice(1)).toEqual(FIELDS.map((f) => LABELS.get(f)));
    const cells = rows.slice(1).map((row) => FIELDS.map((_, i) => row[i + 1] ?? null));
    const expected = RECORDS.filter((r) => policy.matches(r)).map((r) =>
      FIELDS.map((f) => {
        const v = r[f];
        if (v === undefined || v === null || v === '') return null;
        if (typeof v === 'string') return v.replace(/\r\n?/g, '\n');
        return typeof v === 'object' ? expect.stringMatching(/^[[{]/) : v;
      }),
    );
    expect(result.count).toBe(expected.length);
    expect(cells).toEqual(expected);
    // text stays text: a formula-looking string is a string cell, never a formula
    expect(sheet.getCell('B3').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('B3').value).toBe('=HYPERLINK("http://x","y")');
  });

  /**
   * A consumer that takes the first chunk and then stops reading until released: what the
   * export pushed into it meanwhile is all it could have buffered.
   */
  function pausedConsumer() {
    let received = 0;
    let paused = true;
    const waiting: (() => void)[] = [];
    const out = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        if (paused && received > chunk.length) waiting.push(callback);
        else callback();
      },
    });
    return {
      out,
      /** bytes accepted by the consumer or queued in its buffer */
      held: () => received + out.writableLength,
      release() {
        paused = false;
        for (const callback of waiting.splice(0)) callback();
      },
    };
  }

  async function settle(held: () => number) {
    let last = -1;
    let same = 0;
    while (same < 10) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const now = held();
      same = now === last ? same + 1 : 0;
      last = now;
    }
    return last;
  }

  it('holds back a 200 000-row COPY export while the consumer does not read', async () => {
    const consumer = pausedConsumer();
    const exported = streamRecords({
      pool,
      resourceId: bigResourceId,
      policy: compile({ fields: ['id', 'name', 'age', 'amount', 'note'] }),
      labels: LABELS,
      format: 'csv',
      out: consumer.out,
    });
    // PostgreSQL itself is made to wait: its backend blocks writing to our socket
    for (;;) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'COPY (SELECT%'
            AND wait_event = 'ClientWrite'`,
      );
      if (rows[0]!.n > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const held = await settle(consumer.held);
    consumer.release();
    const result = await exported;
    expect(result.path).toBe('copy');
    expect(result.count).toBe(200_000);
    const total = 200_000 * 80; // each row is well over 80 bytes
    expect(held).toBeLessThan(total / 10);
  });

  it('stops reading and frees its connection when the consumer goes away', async () => {
    for (const format of ['csv', 'jsonl', 'xlsx'] as const) {
      let chunks = 0;
      const out = new Writable({
        write(_chunk: Buffer, _encoding, callback) {
          chunks += 1;
          callback();
          if (chunks === 3) out.destroy();
        },
      });
      await expect(
        streamRecords({
          pool,
          resourceId: bigResourceId,
          policy: compile({ fields: ['id', 'name', 'note'] }),
          labels: LABELS,
          format,
          out,
        }),
      ).rejects.toThrow();
      // every connection is back in the pool (or closed), none still busy with the export
      expect(pool.totalCount - pool.idleCount, format).toBe(0);
      for (;;) {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND state = 'active' AND query LIKE '%FROM records%'
              AND pid <> pg_backend_pid()`,
        );
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });

  it('holds back a 200 000-row masked (cursor) export while the consumer does not read', async () => {
    const consumer = pausedConsumer();
    const exported = streamRecords({
      pool,
      resourceId: bigResourceId,
      policy: compile({
        fields: ['id', 'name', 'age', 'amount', 'note'],
        masks: { name: { kind: 'keep_first_last' } },
      }),
      labels: LABELS,
      format: 'jsonl',
      out: consumer.out,
    });
    const held = await settle(consumer.held);
    consumer.release();
    const result = await exported;
    expect(result.path).toBe('cursor');
    expect(result.count).toBe(200_000);
    expect(held).toBeLessThan((200_000 * 80) / 10);
  });
});

describe('CSV text helpers', () => {
  it('spells numbers out as PostgreSQL prints jsonb numbers', () => {
    expect(plainNumber(1e21)).toBe('1000000000000000000000');
    expect(plainNumber(-1.2345e25)).toBe('-12345000000000000000000000');
    expect(plainNumber(1.5e-7)).toBe('0.00000015');
    expect(plainNumber(-1e-7)).toBe('-0.0000001');
    expect(plainNumber(123.45)).toBe('123.45');
    expect(plainNumber(-0)).toBe('0');
  });

  it('neutralises text Excel would evaluate, but not plain numbers', () => {
    expect(['=1', '+1', '-x', '-1+2', '-1e5', '@a', '\tx', '\rx'].map((v) => csvCell(v))).toEqual([
      "'=1",
      "'+1",
      "'-x",
      "'-1+2",
      "'-1e5",
      "'@a",
      "'\tx",
      `"'\rx"`,
    ]);
    expect([-5, '-5', -1.25, '-0.5', 1e21].map((v) => csvCell(v))).toEqual([
      '-5',
      '-5',
      '-1.25',
      '-0.5',
      '1000000000000000000000',
    ]);
    expect(csvCell('')).toBe('""');
    expect(csvCell(null)).toBe('');
  });

  it('puts CR before row-ending LFs only, across chunk boundaries', () => {
    const ends = new CsvRowEnds();
    const input = 'a,"x\ny"\nb,"""\n"""\nc,d\n';
    const out = [...input].map((ch) => ends.convert(Buffer.from(ch)).toString()).join('');
    expect(out).toBe('a,"x\ny"\r\nb,"""\n"""\r\nc,d\r\n');
    expect(ends.rows).toBe(3);
  });
});
