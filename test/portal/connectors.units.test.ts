// The console's 连接器 form without a browser: what the JSON textarea becomes, where a syntax
// error is said to be (never quoting what was typed), the skeleton a chosen plugin pre-fills, a
// problem by its field's title, and a connector's offsets in words.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configSkeleton,
  connectorFromForm,
  formProblemText,
  offsetsText,
  parseConfigText,
} from '../../portal/src/lib/console/steward/connectorForm.ts';
import {
  connectorFieldTitle,
  loadConnectorSchemas,
  withFieldTitles,
} from '../../portal/src/lib/console/steward/connectorFieldTitle.ts';
import { stewardText } from '../../portal/src/lib/i18n/console/steward.ts';
import { PLUGINS } from '../../connectors/src/plugins/index.ts';

const zh = stewardText('zh-CN');
const en = stewardText('en');

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.append(k, v);
  return data;
}

async function optionsSchema(type: string): Promise<object> {
  const file = path.join(import.meta.dirname, `../../schemas/json/connectors/${type}.schema.json`);
  return JSON.parse(await readFile(file, 'utf8')) as object;
}

describe('the connector form', () => {
  it('reads a name and a configuration, the chosen type filled in when the JSON leaves it out', () => {
    const read = connectorFromForm(
      form({
        type: 'file-drop',
        name: ' gaj-permits-drop ',
        config: '{ "department": "hz-gaj", "options": { "directory": "/drop" } }',
      }),
    );
    expect(read.problems).toEqual([]);
    expect(read.name).toBe('gaj-permits-drop');
    expect(read.type).toBe('file-drop');
    expect(read.config).toEqual({
      type: 'file-drop',
      department: 'hz-gaj',
      options: { directory: '/drop' },
    });
  });

  it("keeps the configuration's own type (the API then says it differs) and takes it when the form has none", () => {
    const chosen = connectorFromForm(
      form({ type: 'file-drop', name: 'a', config: '{ "type": "webhook" }' }),
    );
    expect(chosen.type).toBe('file-drop');
    expect(chosen.config).toEqual({ type: 'webhook' });
    const edited = connectorFromForm(form({ name: 'a', config: '{ "type": "webhook" }' }));
    expect(edited.type).toBe('webhook');
    expect(edited.problems).toEqual([]);
    expect(connectorFromForm(form({ name: 'a', config: '{}' })).problems).toEqual([
      { input: 'config', code: 'typeMissing' },
    ]);
  });

  it('refuses a name the API would refuse, unless the name is not asked for', () => {
    for (const name of ['', 'GAJ', '-x', 'a b', 'x'.repeat(101)]) {
      expect(connectorFromForm(form({ type: 't', name, config: '{}' })).problems).toEqual([
        { input: 'name', code: 'nameInvalid' },
      ]);
    }
    expect(
      connectorFromForm(form({ type: 't', name: '', config: '{}' }), { withName: false }).problems,
    ).toEqual([]);
  });

  it('says where the JSON is broken, by line and column, and never what it held', () => {
    const typed =
      '{\n  "options": { "connection": "postgres://gx:s3cret@db/gx" }\n  "department": "x"\n}';
    const read = connectorFromForm(form({ type: 'postgres-table', name: 'a', config: typed }));
    expect(read.config).toBeUndefined();
    expect(read.problems).toEqual([{ input: 'config', code: 'configNotJson', line: 3, column: 3 }]);
    const text = formProblemText(read.problems[0]!, zh);
    expect(text).toBe('配置不是有效的 JSON：第 3 行第 3 列附近有误。');
    expect(text).not.toContain('s3cret');
    expect(formProblemText(read.problems[0]!, en)).toBe(
      'The configuration is not valid JSON: look near line 3, column 3.',
    );
  });

  it('places a JSON text that ends too soon at its end, and an empty one at the start', () => {
    expect(parseConfigText('{\n  "a": [1,')).toEqual({ where: { line: 2, column: 11 } });
    expect(parseConfigText('')).toEqual({ where: { line: 1, column: 1 } });
    expect(parseConfigText(' { "a": 1 } ')).toEqual({ value: { a: 1 } });
  });

  it('wants one JSON object, and no more than a sealed form carries', () => {
    expect(connectorFromForm(form({ type: 't', name: 'a', config: '[]' })).problems).toEqual([
      { input: 'config', code: 'configNotObject' },
    ]);
    expect(connectorFromForm(form({ type: 't', name: 'a', config: 'null' })).problems).toEqual([
      { input: 'config', code: 'configNotObject' },
    ]);
    const long = `{ "a": "${'x'.repeat(4000)}" }`;
    const read = connectorFromForm(form({ type: 't', name: 'a', config: long }));
    expect(read.problems).toEqual([{ input: 'config', code: 'configTooLong' }]);
    expect(formProblemText(read.problems[0]!, zh)).toBe('配置过长（至多 4000 个字符）。');
  });
});

describe('the skeleton a chosen plugin pre-fills', () => {
  it("asks a source for its resource and the plugin's required options, secrets as references", async () => {
    const skeleton = configSkeleton(
      {
        type: 'postgres-table',
        kind: 'source',
        optionsSchema: await optionsSchema('postgres-table'),
      },
      'hz-gaj',
    );
    expect(skeleton).toEqual({
      type: 'postgres-table',
      department: 'hz-gaj',
      resource: '',
      options: {
        connection: { secret: { env: '' } },
        table: '',
        updatedAtColumn: '',
        keyColumns: [''],
      },
    });
  });

  it('asks a sink for its grant, with the stored records to come first', async () => {
    const skeleton = configSkeleton(
      { type: 'webhook', kind: 'sink', optionsSchema: await optionsSchema('webhook') },
      'hz-rsj',
    );
    expect(skeleton).toMatchObject({
      type: 'webhook',
      department: 'hz-rsj',
      grant: '',
      initialLoad: true,
    });
    expect(skeleton).not.toHaveProperty('resource');
    expect(skeleton.options).toMatchObject({ url: '', signingKey: { secret: { env: '' } } });
  });

  it('takes a default or the first of an enum, and leaves optional options out', () => {
    const skeleton = configSkeleton(
      {
        type: 'x',
        kind: 'source',
        optionsSchema: {
          type: 'object',
          required: ['format', 'mode', 'count', 'nested'],
          properties: {
            format: { enum: ['auto', 'csv'], default: 'csv' },
            mode: { enum: ['a', 'b'] },
            count: { type: 'integer', minimum: 1 },
            nested: { type: 'object', required: ['on'], properties: { on: { type: 'boolean' } } },
            optional: { type: 'string' },
          },
        },
      },
      'hz-gaj',
    );
    expect(skeleton.options).toEqual({ format: 'csv', mode: 'a', count: 1, nested: { on: false } });
  });
});

describe("a configuration problem by its field's title", () => {
  const schemasDir = path.join(import.meta.dirname, '../../schemas/json/connectors');

  it('names the options from the plugin’s schema, nested ones and references too, the envelope from its own', async () => {
    const schemas = await loadConnectorSchemas(schemasDir);
    const fileDrop = await optionsSchema('file-drop');
    const table = await optionsSchema('postgres-table');
    const title = (pointer: string, options: object | undefined = fileDrop) =>
      connectorFieldTitle(pointer, options, schemas, zh.arrayItem);
    expect(title('/options/directory')).toBe('投递目录');
    expect(title('/options/csv/delimiter')).toBe('CSV 设置 › 分隔符');
    // through a $ref to the shared deletion marker
    expect(title('/options/deleteMarker/field')).toBe('删除标记 › 标记字段');
    expect(title('/options/deleteMarker/values/1')).toBe('删除标记 › 表示删除的值 › 第 2 项');
    // a map's key is its own name
    expect(title('/options/columns/身份证号')).toBe('列到字段的映射 › 身份证号');
    // a secret reference's parts, from secret-ref.schema.json
    expect(title('/options/connection/secret/env', table)).toBe(
      '数据库连接串 › secret › 环境变量名',
    );
    expect(title('/options/keyColumns/0', table)).toBe('主键列 › 第 1 项');
    // the envelope: connector.schema.json
    expect(title('/resource')).toBe('信息资源代码（来源连接器）');
    expect(title('/batchSize')).toBe('每批最多记录数');
    expect(title('/options')).toBe('连接器参数');
    // nothing titled: the pointer stays the name
    expect(title('/options/colour')).toBeUndefined();
    // an unknown plugin's options (its schema not listed)
    expect(connectorFieldTitle('/options/directory', undefined, schemas, zh.arrayItem)).toBe(
      undefined,
    );
    expect(title('')).toBeUndefined();
    expect(connectorFieldTitle('/options/directory', fileDrop, undefined, zh.arrayItem)).toBe(
      undefined,
    );
  });

  it('titles the problems the API lists, leaving the untitled ones by pointer', async () => {
    const schemas = await loadConnectorSchemas(schemasDir);
    expect(
      withFieldTitles(
        [
          { path: '/options/directory', message: '必填' },
          { path: '/options/extra', message: '不认识的字段' },
        ],
        await optionsSchema('file-drop'),
        schemas,
        en.arrayItem,
      ),
    ).toEqual([
      { path: '/options/directory', message: '必填', title: '投递目录' },
      { path: '/options/extra', message: '不认识的字段' },
    ]);
  });
});

describe("a connector's offsets in words", () => {
  /** the build's source plugins, as GET /v1/connector-plugins lists them */
  const schemaOf = (type: string) =>
    (PLUGINS.find((p) => p.type === type) as { positionSchema?: object }).positionSchema;
  const source = (type: string, position: unknown, t = zh) =>
    offsetsText({ kind: 'source', position }, t, { type, positionSchema: schemaOf(type) });

  it("words each built-in source's position as what its task keeps", () => {
    expect(source('file-drop', { file: 'a.csv', line: 120, inode: '1234' })).toEqual([
      '文件 a.csv，已读到第 120 行',
    ]);
    expect(source('file-drop', { file: 'a.csv', line: 120 }, en)).toEqual([
      'file a.csv, read up to line 120',
    ]);
    expect(source('file-drop', { file: 'b.jsonl', line: 0 })).toEqual(['文件 b.jsonl，尚未读取']);
    expect(
      source('postgres-table', { updatedAt: '2026-11-24 10:00:00+08', key: ['110101', 'A'] }),
    ).toEqual(['更新时间 2026-11-24 10:00:00+08，主键 110101、A']);
    expect(source('postgres-cdc', { lsn: '0/16B3748' })).toEqual(['LSN 0/16B3748']);
    expect(
      source('http-poll', { page: 'https://gaj.example.cn/api?page=3', skip: 20, walk: {} }),
    ).toEqual(['正在读取 https://gaj.example.cn/api?page=3，该页已读 20 条']);
    expect(source('http-poll', { page: 'https://gaj.example.cn/api?page=4' })).toEqual([
      '下一页 https://gaj.example.cn/api?page=4',
    ]);
    expect(source('http-poll', { validators: { etag: '"v7"' } })).toEqual([
      '本轮已读完，下一轮从首页开始（首页未变化时不再重读）',
    ]);
    expect(source('kafka-topic', { partitions: { '10': 3, '2': 15 } })).toEqual([
      '分区 2：下一个偏移量 15',
      '分区 10：下一个偏移量 3',
    ]);
  });

  it("words another source's position by its position schema's titles, and shows JSON without them", () => {
    const schema = {
      type: 'object',
      properties: { page: { title: '页码', type: 'integer' }, ids: { title: '已读编号' } },
    };
    const other = (position: unknown, positionSchema?: object) =>
      offsetsText({ kind: 'source', position }, zh, { type: 'agency-api', positionSchema });
    expect(other({ ids: [1, 2], page: 3 }, schema)).toEqual(['页码 3，已读编号 1、2']);
    // a field the schema does not title keeps its name
    expect(other({ page: 3, cursor: 'c1' }, schema)).toEqual(['页码 3，cursor c1']);
    // a built-in type's position not of its shape: by its schema's titles
    expect(source('file-drop', { file: 'a.csv' })).toEqual(['文件名 a.csv']);
    expect(other({ page: 3 })).toEqual(['{"page":3}']);
    expect(other({ page: 3 }, { properties: {} })).toEqual(['{"page":3}']);
    expect(offsetsText({ kind: 'source', position: null }, zh)).toEqual(['无（从头读取）']);
    const [long] = other('x'.repeat(500));
    expect(long!.length).toBe(201);
  });

  it("shows a sink's partitions with their lag", () => {
    expect(
      offsetsText(
        {
          kind: 'sink',
          partitions: [
            { partition: 0, offset: 7, end: 10, lag: 3 },
            { partition: 1, offset: null, end: 0, lag: 0 },
          ],
        },
        zh,
      ),
    ).toEqual(['分区 0：已提交 7，末尾 10，积压 3', '分区 1：已提交 —，末尾 0，积压 0']);
    expect(offsetsText({ kind: 'sink', partitions: [] }, en)).toEqual(['No delivery stream yet']);
  });
});
