// Test helpers for the source plugins: a plugin context with real secrets and a real logger,
// and the options schema validation the runtime applies before `create`.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import pg from 'pg';
import {
  captureLogs,
  createTestDatabase,
  type CapturedLogs,
  type TestDatabase,
} from '@gx/platform/testing';
import { jsonSchemaPath } from '@gx/schemas';
import type { PluginContext, SourcePlugin } from '../../runtime/plugin.ts';
import { createSecretResolver } from '../../runtime/secrets.ts';

export interface SourceTestContext extends PluginContext {
  logs: CapturedLogs;
}

export function sourceTestContext(
  keyFields: readonly string[],
  env: Record<string, string> = {},
  fieldTypes: SourceTestContext['fieldTypes'] = {},
): SourceTestContext {
  const logs = captureLogs('connectors-test');
  return {
    connector: 'test',
    logger: logs.logger,
    secrets: createSecretResolver(env),
    keyFields,
    fieldTypes,
    logs,
  };
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const shared of ['secret-ref', 'delete-marker']) {
  ajv.addSchema(JSON.parse(readFileSync(jsonSchemaPath('connectors', shared), 'utf8')) as object);
}

/** The schema errors of `options` (empty when valid), as `instancePath message` lines. */
export function optionsErrors(plugin: SourcePlugin, options: unknown): string[] {
  const validate =
    ajv.getSchema((plugin.optionsSchema as { $id: string }).$id) ??
    ajv.compile(plugin.optionsSchema);
  return validate(options)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`.trim());
}

/**
 * A fresh test database whose sessions run in UTC: timestamptz text depends on the session's
 * zone, and the PostgreSQL sources' expected values are written in UTC.
 */
export async function createUtcTestDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(`ALTER DATABASE ${setup.escapeIdentifier(db.name)} SET timezone = 'UTC'`);
  await setup.end();
  return db;
}
