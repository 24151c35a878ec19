import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Pool } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord, RecordLog } from '../log/RecordLog.ts';
import { enforceBatch } from './enforceBatch.ts';
import type { GrantDirectory } from './grantDirectory.ts';
import type { ResourceSchemas } from './resourceSchemas.ts';

/**
 * The platform's PostgreSQL goes away while enforcement handles a batch (npm start's server
 * killed, a failover): the hosted-store write fails at once, while the batch still waits on
 * its grants. The batch must fail with that error, for the task to retry, and nothing may be
 * left as an unhandled rejection: in the connectors process that ends the process, so the
 * service would not come back with the database.
 */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('enforceBatch with the database gone', () => {
  it('fails the batch with the store error and leaves no unhandled rejection', async () => {
    process.on('unhandledRejection', onUnhandled);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), {
      code: 'ECONNREFUSED',
    });
    const schema = {
      resourceId: 'resource-1',
      resourceCode: 'R-1',
      providerCode: 'hz-gaj',
      version: 1,
      keyFields: ['id'],
      validate: new Ajv2020().compile({
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
      }),
    };
    const record: LogRecord = {
      stream: 'raw.R-1',
      partition: 0,
      offset: 0,
      key: 'a',
      value: { id: 'a' },
      headers: {},
      timestamp: Date.now(),
    };
    const batch = enforceBatch(
      {
        pool: { query: () => Promise.reject(refused) } as unknown as Pool,
        log: {} as RecordLog,
        schemas: { latest: async () => schema } as unknown as ResourceSchemas,
        // the grants are looked up first (slowly), then the store fails
        grants: {
          subscriptionGrants: () => new Promise((resolve) => setTimeout(() => resolve([]), 100)),
          notedGrants: () => new Promise((resolve) => setTimeout(() => resolve([]), 100)),
        } as unknown as GrantDirectory,
        evidence: { append: async () => undefined },
        ensured: new Set(),
      },
      'R-1',
      [record],
    );
    await expect(batch).rejects.toBe(refused);
    // let any rejection nobody observed be reported
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });
});
