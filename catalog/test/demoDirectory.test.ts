import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  DEMO_DEPARTMENTS,
  DEMO_ID_SEQUENCES,
  generateDemoDirectory,
  isValidIdNumber,
  isValidUnifiedSocialCreditCode,
  seedDemo,
  seedDemoDirectory,
  type Database,
  type DemoDirectory,
  type SeedDemoDirectorySummary,
} from '@gx/platform';
import { createTestDatabase, type TestDatabase } from '@gx/platform/testing';
import { approveResource } from '../src/domain/resources/approveResource.ts';
import { createResource } from '../src/domain/resources/createResource.ts';
import { generateRecordSchema } from '../src/domain/resources/recordSchema.ts';
import { rejectResource } from '../src/domain/resources/rejectResource.ts';
import { parseResourceInput } from '../src/domain/resources/resourceInput.ts';
import { retireResource } from '../src/domain/resources/retireResource.ts';
import { submitResource } from '../src/domain/resources/submitResource.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const AS_OF = new Date('2026-11-21T08:00:00Z');
const WORKFLOW = {
  createResource,
  submitResource,
  approveResource,
  rejectResource,
  retireResource,
};

const share = (
  directory: DemoDirectory,
  test: (r: DemoDirectory['resources'][number]) => boolean,
) => directory.resources.filter(test).length / directory.resources.length;

describe('demo directory generator', () => {
  const directory = generateDemoDirectory({ asOf: AS_OF });

  it('is deterministic: the same seed gives the same directory, another seed another one', () => {
    const again = generateDemoDirectory({ asOf: AS_OF });
    expect(JSON.stringify(again)).toBe(JSON.stringify(directory));
    const other = generateDemoDirectory({ asOf: AS_OF, seed: 7 });
    expect(JSON.stringify(other.resources.map((r) => r.records))).not.toBe(
      JSON.stringify(directory.resources.map((r) => r.records)),
    );
  });

  it('spans at least 40 city and district departments, each with 3–8 statutory functions', () => {
    expect(DEMO_DEPARTMENTS.length).toBeGreaterThanOrEqual(40);
    expect(directory.functions.length).toBeGreaterThanOrEqual(40);
    const regions = new Set(
      DEMO_DEPARTMENTS.filter((d) =>
        directory.functions.some((f) => f.departmentCode === d.code),
      ).map((d) => d.regionCode),
    );
    expect(regions.size, 'city and several districts').toBeGreaterThanOrEqual(5);
    for (const { departmentCode, functions } of directory.functions) {
      expect(functions.length, departmentCode).toBeGreaterThanOrEqual(3);
      expect(functions.length, departmentCode).toBeLessThanOrEqual(8);
    }
    for (const d of DEMO_DEPARTMENTS) {
      expect(isValidUnifiedSocialCreditCode(d.unifiedSocialCreditCode), d.name).toBe(true);
    }
  });

  it('holds 400+ entries over the five base databases, shared and opened in realistic proportions', () => {
    const resources = directory.resources;
    expect(resources.length).toBeGreaterThanOrEqual(400);
    const themes = new Set(resources.map((r) => r.input.themeCode));
    for (const base of ['population', 'legal-entity', 'spatial', 'credit', 'e-license']) {
      expect(themes.has(base), base).toBe(true);
    }
    const shareable = share(directory, (r) => r.input.sharingType !== 'none');
    const openable = share(directory, (r) => r.input.openType !== 'none');
    expect(shareable).toBeGreaterThanOrEqual(0.85);
    expect(shareable).toBeLessThanOrEqual(0.95);
    expect(openable).toBeGreaterThanOrEqual(0.4);
    expect(openable).toBeLessThanOrEqual(0.5);
    for (const r of resources.filter((x) => x.input.sharingType === 'none')) {
      expect(r.input.sharingLegalBasis, r.input.name).toMatch(/《中华人民共和国.+》|《.+》第/);
    }
    // most end published; some stay draft, in review, sent back, or are retired
    const statuses = new Set(resources.map((r) => r.status));
    expect([...statuses].sort()).toEqual(['draft', 'in_review', 'published', 'retired']);
    expect(share(directory, (r) => r.status === 'published')).toBeGreaterThan(0.8);
    expect(resources.some((r) => r.rejectionComment)).toBe(true);
    // the gap report has something to show either way
    expect(resources.some((r) => r.input.functionCode === null)).toBe(true);
    const cited = new Set(resources.map((r) => `${r.input.providerCode}/${r.input.functionCode}`));
    const uncited = directory.functions.flatMap((d) =>
      d.functions.filter((f) => !cited.has(`${d.departmentCode}/${f.code}`)),
    );
    expect(uncited.length).toBeGreaterThan(0);
    // some published entries are overdue for their update cycle
    const cycleDays: Record<string, number> = {
      daily: 1,
      weekly: 7,
      monthly: 31,
      quarterly: 92,
      yearly: 366,
    };
    const overdue = resources.filter((r) => {
      const days = cycleDays[r.input.updateCycle];
      return (
        days !== undefined &&
        r.dataUpdatedAt !== null &&
        AS_OF.getTime() - Date.parse(r.dataUpdatedAt) > days * 86_400_000
      );
    });
    expect(overdue.length).toBeGreaterThan(10);
  });

  it('writes entries the cataloguing rules accept, each with 4–20 information items', () => {
    for (const r of directory.resources) {
      expect(
        () => parseResourceInput(r.input),
        `${r.input.providerCode} ${r.input.name}`,
      ).not.toThrow();
      expect(r.input.items.length).toBeGreaterThanOrEqual(4);
      expect(r.input.items.length).toBeLessThanOrEqual(20);
    }
  });

  it('gives 30+ published entries 20–2 000 records, each valid against its record schema', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const withRecords = directory.resources.filter((r) => r.records.length > 0);
    expect(withRecords.length).toBeGreaterThanOrEqual(30);
    withRecords.forEach((r, index) => {
      const label = `${r.input.providerCode} ${r.input.name}`;
      expect(r.status, label).toBe('published');
      expect(r.records.length, label).toBeGreaterThanOrEqual(20);
      expect(r.records.length, label).toBeLessThanOrEqual(2000);
      const validate: ValidateFunction = ajv.compile(
        generateRecordSchema(
          `100000000-000000000-${String(index).padStart(6, '0')}`,
          r.input.name,
          1,
          r.input.items,
        ),
      );
      const keys = new Set<string>();
      for (const { key, data } of r.records) {
        expect(validate(data), `${label} ${JSON.stringify(validate.errors)}`).toBe(true);
        keys.add(key);
      }
      expect(keys.size, `${label}: record keys are unique`).toBe(r.records.length);
    });
  });

  it('gives every published 无条件开放 entry records, city and district alike', () => {
    const open = directory.resources.filter(
      (r) => r.status === 'published' && r.input.openType === 'open',
    );
    expect(open.length).toBeGreaterThan(140);
    for (const r of open) {
      expect(r.records.length, `${r.input.providerCode} ${r.input.name}`).toBeGreaterThanOrEqual(
        20,
      );
    }
    // a district's entry holds its own district's data
    const districts = new Map(DEMO_DEPARTMENTS.map((d) => [d.code, d]));
    const xihu = open.filter(
      (r) =>
        districts.get(r.input.providerCode)?.regionCode.startsWith('330106') &&
        r.records.some((x) => 'address' in x.data),
    );
    expect(xihu.length).toBeGreaterThan(3);
    for (const r of xihu) {
      for (const { data } of r.records) {
        expect(String(data.address), r.input.name).toMatch(/^浙江省杭州市西湖区/);
      }
    }
  });

  it('dates no record after the entry’s 数据更新 (except what lies ahead: expiries, plans, forecasts)', () => {
    const ahead = /有效期|预计|计划|预报|开始时间|开庭|下次/;
    let checked = 0;
    for (const r of directory.resources.filter((x) => x.records.length > 0)) {
      const updated = Date.parse(r.dataUpdatedAt!);
      const dated = r.input.items.filter(
        (i) => (i.dataType === 'date' || i.dataType === 'datetime') && !ahead.test(i.label),
      );
      for (const { data } of r.records) {
        for (const i of dated) {
          const value = data[i.name];
          if (typeof value !== 'string') continue;
          // a date is the whole day; a datetime its instant
          const at = Date.parse(i.dataType === 'date' ? `${value}T00:00:00+08:00` : value);
          expect(
            at,
            `${r.input.name} ${i.label} ${value} > ${r.dataUpdatedAt}`,
          ).toBeLessThanOrEqual(updated + 86_400_000);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('uses only well-formed, recognisably fictitious ID numbers and valid credit codes', () => {
    let idNumbers = 0;
    let creditCodes = 0;
    for (const r of directory.resources) {
      for (const { data } of r.records) {
        for (const [field, value] of Object.entries(data)) {
          if (field.endsWith('id_number')) {
            expect(isValidIdNumber(String(value)), `${r.input.name} ${field} ${value}`).toBe(true);
            const sequence = Number(String(value).slice(14, 17));
            expect(sequence).toBeGreaterThanOrEqual(DEMO_ID_SEQUENCES.min);
            expect(sequence).toBeLessThanOrEqual(DEMO_ID_SEQUENCES.max);
            idNumbers += 1;
          }
          if (field.endsWith('credit_code')) {
            expect(isValidUnifiedSocialCreditCode(String(value)), `${r.input.name} ${value}`).toBe(
              true,
            );
            creditCodes += 1;
          }
        }
      }
    }
    expect(idNumbers).toBeGreaterThan(1000);
    expect(creditCodes).toBeGreaterThan(1000);
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });
});

describe('seeding the demo directory', () => {
  let testDb: TestDatabase;
  let db: Database;
  let summary: SeedDemoDirectorySummary | undefined;
  const directory = generateDemoDirectory({ asOf: AS_OF });

  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = createDatabase({ url: testDb.url, max: 6 });
    await seedDemo(db.pool);
    summary = await seedDemoDirectory({ ...db, workflow: WORKFLOW, asOf: AS_OF });
    process.stdout.write(`demo directory seeded in ${summary?.milliseconds} ms\n`);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('puts every entry through the workflow to where the generator leaves it', async () => {
    expect(summary?.resources).toBe(directory.resources.length);
    const rows = await db.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM resources GROUP BY status',
    );
    const expected: Record<string, number> = {};
    for (const r of directory.resources) expected[r.status] = (expected[r.status] ?? 0) + 1;
    expect(Object.fromEntries(rows.rows.map((r) => [r.status, r.n]))).toEqual(expected);
    // history: a steward created and submitted, the data authority's approver approved
    const { rows: approvals } = await db.pool.query<{ actor: string; n: number }>(
      `SELECT actor, count(*)::int AS n FROM resource_changes WHERE action = 'approve' GROUP BY actor`,
    );
    expect(approvals).toEqual([
      {
        actor: 'hz-dsj.approver',
        n: directory.resources.filter((r) => r.status !== 'draft' && r.status !== 'in_review')
          .length,
      },
    ]);
    const { rows: creators } = await db.pool.query<{ ok: boolean }>(
      `SELECT bool_and(r.created_by = d.code || '.steward') AS ok
         FROM resources r JOIN departments d ON d.id = r.provider_id`,
    );
    expect(creators[0]!.ok).toBe(true);
  });

  it('stores the records, valid against each resource’s published schema version', async () => {
    const { rows } = await db.pool.query<{ data: unknown; json_schema: object; code: string }>(
      `SELECT rec.data, v.json_schema, r.code FROM records rec
         JOIN resources r ON r.id = rec.resource_id
         JOIN resource_schema_versions v ON v.resource_id = r.id AND v.version = rec.schema_version`,
    );
    const total = directory.resources.reduce((sum, r) => sum + r.records.length, 0);
    expect(rows.length).toBe(total);
    expect(summary?.records).toBe(total);
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const validators = new Map<string, ValidateFunction>();
    for (const row of rows) {
      let validate = validators.get(row.code);
      if (!validate) validators.set(row.code, (validate = ajv.compile(row.json_schema)));
      expect(validate(row.data), `${row.code} ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validators.size).toBeGreaterThanOrEqual(30);
  });

  it('records when each published entry’s data was refreshed', async () => {
    const { rows } = await db.pool.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM resources
        WHERE status IN ('published', 'retired') AND data_updated_at IS NULL`,
    );
    expect(rows[0]!.missing).toBe(0);
  });

  it('does nothing when the directory is not empty', async () => {
    const before = await db.pool.query('SELECT count(*)::int AS n FROM resources');
    expect(await seedDemoDirectory({ ...db, workflow: WORKFLOW, asOf: AS_OF })).toBeUndefined();
    const after = await db.pool.query('SELECT count(*)::int AS n FROM resources');
    expect(after.rows).toEqual(before.rows);
  });
});
