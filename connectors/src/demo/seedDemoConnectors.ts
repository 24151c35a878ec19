import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import pg from 'pg';
import {
  approveSharingRequest,
  createSharingRequest,
  EvidenceLog,
  type ApprovalTerms,
  type Policy,
} from '@gx/exchange-api';
import { createDatabase, type Actor, type Database } from '@gx/platform';
import { checkConfigReferences } from '../management/checkConfigReferences.ts';
import { createConfigValidator } from '../management/createConfigValidator.ts';
import { PLUGINS } from '../plugins/index.ts';
import { demoTableSql, quoteIdentifier, type RecordSchema } from './demoTables.ts';
import { initialRegistrations, REGISTRATION_RESOURCE } from './demoRegistrations.ts';
import {
  startRegistrationActivity,
  type RegistrationActivity,
} from './startRegistrationActivity.ts';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The two department systems, as databases on the platform's PostgreSQL server. */
export const DEMO_DATABASES = {
  /** 市场监督管理局's registration system (市场主体登记系统) */
  scjg: 'gx_demo_scjg',
  /** 税务局's tax system (金税征管系统) */
  swj: 'gx_demo_swj',
} as const;

export const DEMO_TABLES = {
  registrations: 'enterprise_registrations',
  received: 'enterprise_registrations_from_scjg',
} as const;

export const DEMO_CONNECTORS = {
  source: 'scjg-enterprises-in',
  sink: 'swj-enterprises-out',
} as const;

/** The environment variables the connectors service resolves the two secret refs from. */
export const DEMO_SECRET_ENV = { scjg: 'DEMO_SCJG_DB_URL', swj: 'DEMO_SWJ_DB_URL' } as const;

const CONSUMER_CODE = 'hz-swj';
const CREATED_BY = 'demo-seed';
const REGISTRATION_COUNT = 300;
/** Advisory lock key: two launchers on one server seed once (seedDemoDirectory's key + 1). */
const LOCK_KEY = 4_861_302_118;

/** 税务局 asks for the registrations: its 三定 function on taxpayer registration, and the law. */
const REQUEST = {
  purposeCodes: ['ADMIN_APPROVAL'],
  purposeText: '新设立及变更登记企业的税务登记信息确认（“多证合一”）',
  legalBasisFunctionName: '负责全市税收征收管理和纳税人登记管理工作',
  legalBasisText:
    '《中华人民共和国税收征收管理法》第十五条：企业自领取营业执照之日起三十日内，持有关证件，向税务机关申报办理税务登记。',
  deliveryModes: ['subscription', 'query'] as ('subscription' | 'query')[],
  expectedVolume: '首次约 300 条，其后每日数百条新设立和变更登记',
};

const SWJ_STEWARD: Actor = {
  kind: 'user',
  subject: CREATED_BY,
  username: `${CONSUMER_CODE}.steward`,
  departmentCode: CONSUMER_CODE,
  roles: ['steward'],
};
const SCJG_APPROVER: Actor = {
  kind: 'user',
  subject: CREATED_BY,
  username: `${REGISTRATION_RESOURCE.providerCode}.approver`,
  departmentCode: REGISTRATION_RESOURCE.providerCode,
  roles: ['approver'],
};

export interface SeedDemoConnectorsOptions {
  /** the platform database; the demo databases go on the same server, same credentials */
  url: string;
  log?: (message: string) => void;
}

export interface DemoConnectors {
  /**
   * The connectors service's environment: the two databases' URLs, which carry the
   * credentials. Give it to that process only; never print it.
   */
  env: Record<(typeof DEMO_SECRET_ENV)[keyof typeof DEMO_SECRET_ENV], string>;
  /** what moves where, for one line of the launcher's output */
  summary: string;
  /** the registration system at work (a new and a changed registration every 10 s) */
  startActivity(options?: {
    intervalMs?: number;
    log?: (message: string) => void;
  }): RegistrationActivity;
}

/** `url` with another database name (same server, credentials and parameters). */
export function demoDatabaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

interface DemoResource {
  id: string;
  code: string;
  schema: RecordSchema;
  /** the schema's fields in the catalogue's item order (jsonb does not keep key order) */
  fields: string[];
}

async function findResource(client: pg.PoolClient): Promise<DemoResource | undefined> {
  const { rows } = await client.query<{
    id: string;
    code: string;
    schema: RecordSchema;
    items: string[];
  }>(
    `SELECT r.id, r.code, v.json_schema AS schema,
            ARRAY(SELECT name FROM information_items WHERE resource_id = r.id
                   ORDER BY position) AS items
       FROM resources r
       JOIN departments p ON p.id = r.provider_id
       JOIN LATERAL (SELECT json_schema FROM resource_schema_versions
                      WHERE resource_id = r.id ORDER BY version DESC LIMIT 1) v ON true
      WHERE p.code = $1 AND r.name = $2 AND r.status = 'published'
        AND EXISTS (SELECT 1 FROM departments WHERE code = $3)
      ORDER BY r.created_at LIMIT 1`,
    [REGISTRATION_RESOURCE.providerCode, REGISTRATION_RESOURCE.name, CONSUMER_CODE],
  );
  const row = rows[0];
  if (!row) return undefined;
  const position = (field: string) => {
    const index = row.items.indexOf(field);
    return index < 0 ? row.items.length : index;
  };
  const fields = Object.keys(row.schema.properties).sort((a, b) => position(a) - position(b));
  return { id: row.id, code: row.code, schema: row.schema, fields };
}

async function mayCreateDatabases(client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<{ may: boolean }>(
    `SELECT rolcreatedb OR rolsuper AS may FROM pg_roles WHERE rolname = current_user`,
  );
  return rows[0]?.may === true;
}

/** A UTF-8 database with the platform database's collation, whatever template1 holds. */
async function createDemoDatabase(client: pg.PoolClient, name: string) {
  const { rows } = await client.query<{ collate: string; ctype: string }>(
    `SELECT datcollate AS collate, datctype AS ctype FROM pg_database
      WHERE datname = current_database()`,
  );
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  await client.query(
    `CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8'
       LC_COLLATE ${literal(rows[0]!.collate)} LC_CTYPE ${literal(rows[0]!.ctype)}`,
  );
}

/** Run `statements` in one transaction on another database of the server. */
async function inDatabase(url: string, work: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'gx-demo seed' });
  await client.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** 市场监督管理局's registration system: the table and its first registrations. */
async function fillRegistrationSystem(url: string, resource: DemoResource): Promise<number> {
  const { schema, fields } = resource;
  const rows = initialRegistrations(REGISTRATION_COUNT);
  // what the source connector will send must pass the resource's record schema, or it would
  // land in the dead-letter stream instead of reaching the tax side
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  for (const row of rows) {
    if (!validate(row)) {
      throw new Error(
        `demo registration ${JSON.stringify(row)} fails the record schema: ${ajv.errorsText(validate.errors)}`,
      );
    }
  }
  const table = quoteIdentifier(DEMO_TABLES.registrations);
  await inDatabase(url, async (client) => {
    for (const sql of demoTableSql({
      table: DEMO_TABLES.registrations,
      comment: '市场主体登记系统：企业登记信息（演示数据，均为虚构）',
      schema,
      fields,
      updatedAt: true,
    })) {
      await client.query(sql);
    }
    // one row at a time: clock_timestamp() gives each its own updated_at, in insert order
    for (const row of rows) {
      await client.query(
        `INSERT INTO ${table} (${fields.map(quoteIdentifier).join(', ')})
         SELECT ${fields.map(quoteIdentifier).join(', ')}
           FROM jsonb_populate_record(NULL::${table}, $1::jsonb)`,
        [JSON.stringify(row)],
      );
    }
  });
  return rows.length;
}

/** 税务局's tax system: a table for what the grant delivers, keyed like the resource. */
async function createTaxTable(url: string, schema: RecordSchema, policy: Policy) {
  const masks = policy.masks ?? {};
  await inDatabase(url, async (client) => {
    for (const sql of demoTableSql({
      table: DEMO_TABLES.received,
      comment: '税务登记：来自市场监督管理局的企业登记信息（经共享交换平台按授权交付）',
      schema,
      // a redacted field never arrives; a masked one arrives as text
      fields: policy.fields.filter((f) => masks[f]?.kind !== 'redact'),
      textFields: Object.keys(masks),
    })) {
      await client.query(sql);
    }
  });
}

/** Masks an approver would set on personal items: ID-grade items pseudonymised, names shortened. */
function approvalMasks(schema: RecordSchema): ApprovalTerms['masks'] {
  const masks: NonNullable<ApprovalTerms['masks']> = {};
  for (const [field, property] of Object.entries(schema.properties)) {
    if (!property['x-personal']) continue;
    masks[field] =
      property['x-grade'] === 'core'
        ? { kind: 'hmac_pseudonym' }
        : { kind: 'keep_first_last', first: 1, last: 1 };
  }
  return masks;
}

/**
 * 税务局's grant on the registrations, through the exchange's own use-cases: an active
 * subscription grant it already holds, or a new request. 企业登记信息 is 有条件共享: the
 * request waits for hz-scjg's approver, who approves it with masks on the personal items (an
 * unconditional resource would be granted at once, unmasked).
 */
async function ensureGrant(
  db: Database,
  resource: DemoResource,
): Promise<{ id: string; policy: Policy }> {
  const existing = await db.pool.query<{ id: string; policy: Policy }>(
    `SELECT g.id, g.policy FROM grants g JOIN departments c ON c.id = g.consumer_id
      WHERE g.resource_id = $1 AND c.code = $2 AND g.status = 'active'
        AND 'subscription' = ANY (g.delivery_modes)
        AND (g.valid_until IS NULL OR g.valid_until > now())
      ORDER BY g.created_at LIMIT 1`,
    [resource.id, CONSUMER_CODE],
  );
  if (existing.rows[0]) return existing.rows[0];

  const fn = await db.pool.query<{ code: string }>(
    `SELECT f.code FROM statutory_functions f JOIN departments d ON d.id = f.department_id
      WHERE d.code = $1 AND f.name = $2`,
    [CONSUMER_CODE, REQUEST.legalBasisFunctionName],
  );
  const evidence = new EvidenceLog({ pool: db.pool });
  try {
    let request = await createSharingRequest({
      prisma: db.prisma,
      evidence,
      actor: SWJ_STEWARD,
      decisionDays: 5,
      input: {
        resourceCode: resource.code,
        fields: resource.fields,
        purposeCodes: REQUEST.purposeCodes,
        purposeText: REQUEST.purposeText,
        ...(fn.rows[0] ? { legalBasisFunctionCode: fn.rows[0].code } : {}),
        legalBasisText: REQUEST.legalBasisText,
        deliveryModes: REQUEST.deliveryModes,
        expectedVolume: REQUEST.expectedVolume,
      },
    });
    if (request.status === 'pending') {
      request = await approveSharingRequest({
        prisma: db.prisma,
        evidence,
        actor: SCJG_APPROVER,
        id: request.id,
        terms: {
          masks: approvalMasks(resource.schema),
          comment: '同意共享，个人信息脱敏后交付',
        },
      });
    }
    if (!request.grantId) throw new Error(`demo sharing request ${request.number} not granted`);
    const { rows } = await db.pool.query<{ policy: Policy }>(
      'SELECT policy FROM grants WHERE id = $1',
      [request.grantId],
    );
    return { id: request.grantId, policy: rows[0]!.policy };
  } finally {
    await evidence.close();
  }
}

/** The two connectors, checked as the management API checks them, created by `demo-seed`. */
async function ensureConnectors(pool: pg.Pool, resource: DemoResource, grantId: string) {
  const configs = [
    {
      name: DEMO_CONNECTORS.source,
      config: {
        type: 'postgres-table',
        department: REGISTRATION_RESOURCE.providerCode,
        resource: resource.code,
        pollIntervalMs: 1000,
        options: {
          connection: { secret: { env: DEMO_SECRET_ENV.scjg } },
          table: DEMO_TABLES.registrations,
          updatedAtColumn: 'updated_at',
          keyColumns: resource.schema['x-key'],
          columns: Object.fromEntries(resource.fields.map((f) => [f, f])),
          lagMs: 0,
        },
      },
    },
    {
      name: DEMO_CONNECTORS.sink,
      config: {
        type: 'postgres-upsert',
        department: CONSUMER_CODE,
        grant: grantId,
        options: {
          connection: { secret: { env: DEMO_SECRET_ENV.swj } },
          table: DEMO_TABLES.received,
          keyColumns: resource.schema['x-key'],
        },
      },
    },
  ];
  const validator = createConfigValidator(PLUGINS);
  for (const { name, config: input } of configs) {
    const shape = validator.check(input);
    if (!shape.config || !shape.plugin || shape.problems.length > 0) {
      throw new Error(`demo connector ${name}: ${JSON.stringify(shape.problems)}`);
    }
    const { problems, references } = await checkConfigReferences(
      pool,
      shape.config,
      shape.plugin.kind,
    );
    if (!references) throw new Error(`demo connector ${name}: ${JSON.stringify(problems)}`);
    await pool.query(
      `INSERT INTO connectors (name, kind, type, department_id, resource_id, grant_id, config, state, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8)
       ON CONFLICT (name) DO NOTHING`,
      [
        name,
        shape.plugin.kind,
        shape.config.type,
        references.departmentId,
        references.resourceId,
        references.grantId,
        shape.config,
        CREATED_BY,
      ],
    );
  }
}

const SUMMARY =
  `市场监督管理局 ${DEMO_DATABASES.scjg}.${DEMO_TABLES.registrations} → ${DEMO_CONNECTORS.source} → ` +
  `${REGISTRATION_RESOURCE.name} → ${DEMO_CONNECTORS.sink} → 税务局 ${DEMO_DATABASES.swj}.${DEMO_TABLES.received}`;

/**
 * The connector demo on a demo city: two department databases on the platform's server (only
 * created when absent, never touched when present), 税务局's grant on 市场监督管理局's
 * 企业登记信息, a postgres-table source and a postgres-upsert sink between them. Everything is
 * seeded in the start that creates the databases (a failure drops them again, so the next
 * start retries); later starts only hand back the URLs. Returns undefined, seeding nothing,
 * when the database holds no demo city or the role may not create databases (said in one line).
 */
export async function seedDemoConnectors(
  options: SeedDemoConnectorsOptions,
): Promise<DemoConnectors | undefined> {
  const log = options.log ?? (() => undefined);
  const db = createDatabase({ url: options.url, max: 3, applicationName: 'gx-demo seed' });
  const lock = await db.pool.connect();
  const urls = {
    scjg: demoDatabaseUrl(options.url, DEMO_DATABASES.scjg),
    swj: demoDatabaseUrl(options.url, DEMO_DATABASES.swj),
  };
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const resource = await findResource(lock);
    if (!resource) return undefined;
    const { rows: present } = await lock.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY ($1::text[])',
      [Object.values(DEMO_DATABASES)],
    );
    const missing = Object.values(DEMO_DATABASES).filter(
      (name) => !present.some((p) => p.datname === name),
    );
    const skip = () =>
      log(
        `connector demo skipped: the database role may not create databases (CREATEDB), ` +
          `so ${missing.join(' and ')} cannot be created; grant the role CREATEDB to see it`,
      );
    if (missing.length > 0 && !(await mayCreateDatabases(lock))) {
      skip();
      return undefined;
    }
    const created: string[] = [];
    let refused = false;
    try {
      for (const name of missing) {
        await createDemoDatabase(lock, name).catch((error: unknown) => {
          // CREATEDB alone is not always enough (e.g. a managed server's own rules)
          refused = (error as { code?: string }).code === '42501';
          throw error;
        });
        created.push(name);
      }
      if (created.length > 0) {
        const registrations = created.includes(DEMO_DATABASES.scjg)
          ? await fillRegistrationSystem(urls.scjg, resource)
          : 0;
        const grant = await ensureGrant(db, resource);
        if (created.includes(DEMO_DATABASES.swj)) {
          await createTaxTable(urls.swj, resource.schema, grant.policy);
        }
        await ensureConnectors(db.pool, resource, grant.id);
        log(
          `connector demo seeded: ${registrations} registrations in ${DEMO_DATABASES.scjg}, ` +
            `税务局's grant ${grant.id} on ${REGISTRATION_RESOURCE.name} ${resource.code}, ` +
            `connectors ${DEMO_CONNECTORS.source} and ${DEMO_CONNECTORS.sink}`,
        );
      }
    } catch (error) {
      // leave the server as it was, so that the next start seeds again
      for (const name of created.reverse()) {
        await lock
          .query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`)
          .catch(() => undefined);
      }
      if (refused) {
        skip();
        return undefined;
      }
      throw error;
    }
    return {
      env: {
        [DEMO_SECRET_ENV.scjg]: urls.scjg,
        [DEMO_SECRET_ENV.swj]: urls.swj,
      } as DemoConnectors['env'],
      summary: SUMMARY,
      startActivity: (activity = {}) =>
        startRegistrationActivity({
          url: urls.scjg,
          table: DEMO_TABLES.registrations,
          keyField: resource.schema['x-key'][0]!,
          ...activity,
        }),
    };
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    lock.release();
    await db.close();
  }
}
