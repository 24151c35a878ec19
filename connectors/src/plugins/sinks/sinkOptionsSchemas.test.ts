import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { jsonSchemaPath } from '@gx/schemas';
import type { SinkPlugin } from '../../runtime/plugin.ts';
import { fileSink } from './fileSink.ts';
import { postgresUpsertSink } from './postgresUpsertSink.ts';
import { webhookSink } from './webhookSink.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

function validator(plugin: SinkPlugin) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(
    JSON.parse(readFileSync(jsonSchemaPath('connectors', 'secret-ref'), 'utf8')) as object,
  );
  return ajv.compile(plugin.optionsSchema);
}

const secret = { secret: { env: 'SINK_SECRET' } };

describe('sink options schemas', () => {
  it.each([
    [
      postgresUpsertSink.type,
      postgresUpsertSink,
      [
        { connection: secret, table: 'licences', keyColumns: ['licence_no'] },
        {
          connection: { secret: { file: '/run/secrets/db' } },
          table: 'consumer.Permits',
          keyColumns: ['region', 'seq'],
          columns: { 区划: 'region', 序号: 'seq' },
          mode: 'upsert',
        },
      ],
      [
        { connection: 'postgresql://u:p@h/db', table: 't', keyColumns: ['id'] },
        { connection: secret, table: 't; DROP TABLE x', keyColumns: ['id'] },
        { connection: secret, table: 'a.b.c', keyColumns: ['id'] },
        { connection: secret, table: 't', keyColumns: [] },
        { connection: secret, table: 't', keyColumns: ['id"'] },
        { connection: secret, table: 't', keyColumns: ['id'], columns: { a: 'x y' } },
        { connection: secret, table: 't', keyColumns: ['id'], mode: 'insert' },
      ],
    ],
    [
      webhookSink.type,
      webhookSink,
      [
        { url: 'https://hooks.example.cn/gx', signingKey: secret },
        {
          url: 'http://127.0.0.1:8080/in',
          signingKey: secret,
          batchSize: 500,
          maxAttempts: 1,
          initialBackoffMs: 0,
          maxBackoffMs: 1000,
          timeoutMs: 5000,
          headers: { Authorization: secret, 'X-Tenant': 'a b' },
        },
      ],
      [
        { url: 'ftp://example.cn/x', signingKey: secret },
        { url: 'https://example.cn/x', signingKey: 'plain-text-key' },
        { url: 'https://example.cn/x', signingKey: secret, batchSize: 0 },
        { url: 'https://example.cn/x', signingKey: secret, headers: { 'Bad Name': 'x' } },
        { url: 'https://example.cn/x', signingKey: secret, headers: { 'X-A': 'a\r\nX-B: b' } },
      ],
    ],
    [
      fileSink.type,
      fileSink,
      [
        { directory: '/var/lib/gx/out' },
        { directory: '/data', format: 'csv', prefix: 'licences.v2', maxRecordsPerFile: 10 },
      ],
      [
        { directory: 'relative/dir' },
        { directory: '/data', format: 'xlsx' },
        { directory: '/data', prefix: '../escape' },
        { directory: '/data', maxRecordsPerFile: 0 },
      ],
    ],
  ] as const)('%s accepts valid options and refuses the rest', (_type, plugin, valid, invalid) => {
    const validate = validator(plugin);
    for (const options of valid) expect(validate(options), JSON.stringify(options)).toBe(true);
    for (const options of invalid) expect(validate(options), JSON.stringify(options)).toBe(false);
  });
});
