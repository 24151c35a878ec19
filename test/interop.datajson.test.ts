import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalogWorkflow from '@gx/catalog';
import { seedDemoDirectory } from '@gx/platform';
import { call, download, startHarness, type Harness } from './harness.ts';

// both are CommonJS; their default exports arrive wrapped under NodeNext resolution
const Ajv = ajvDraft04.default;
const addFormats = addFormatsModule as unknown as (ajv: InstanceType<typeof Ajv>) => unknown;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const POD_DIR = path.resolve(repoRoot, '../shared/standards/pod-v1.1');
const POD_FILES = ['catalog', 'dataset', 'distribution', 'organization', 'vcard'];

interface PodDataset {
  identifier: string;
  accessLevel: string;
  accrualPeriodicity: string;
  keyword: string[];
  license?: string;
  distribution: { downloadURL?: string; accessURL?: string; mediaType?: string; format: string }[];
}

let h: Harness;

/** The POD v1.1 catalogue schema, every file registered under its own `id` (nothing fetched). */
async function podValidator() {
  // POD's patterns escape characters (`\_`, `\~`) that only a non-Unicode ECMAScript regex
  // accepts, which is how draft-04 validators of its time read them
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  for (const name of POD_FILES) {
    const schema = JSON.parse(await readFile(path.join(POD_DIR, `${name}.json`), 'utf8')) as {
      id: string;
      required?: string[];
    };
    if (name === 'dataset') {
      // bureauCode and programCode are US-federal codes (OMB Circular A-11, Federal Program
      // Inventory) no Chinese body has; a non-federal catalogue validates against a copy that
      // relaxes exactly these two (../shared/standards/README.md), nothing else
      schema.required = schema.required!.filter((f) => f !== 'bureauCode' && f !== 'programCode');
    }
    ajv.addSchema(schema);
  }
  return ajv.getSchema('https://project-open-data.cio.gov/v1.1/schema/catalog.json#')!;
}

beforeAll(async () => {
  h = await startHarness();
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
});

afterAll(async () => {
  await h?.close();
});

describe('data.json (Project Open Data v1.1)', () => {
  let catalog: { dataset: PodDataset[] } & Record<string, unknown>;

  beforeAll(async () => {
    const res = await call(h.catalog.base, 'GET', '/data.json');
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    catalog = res.body;
  });

  it('is valid against the POD v1.1 schema', async () => {
    const validate = await podValidator();
    const valid = validate(catalog);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // the validator does reach into the datasets: a contact point without e-mail fails
    const broken = structuredClone(catalog);
    delete (broken.dataset[0] as unknown as { contactPoint: { hasEmail?: string } }).contactPoint
      .hasEmail;
    expect(validate(broken)).toBe(false);
    expect(catalog.conformsTo).toBe('https://project-open-data.cio.gov/v1.1/schema');
    expect(catalog['@id']).toBe(`${h.catalog.base}/data.json`);
  });

  it('lists exactly the published open entries, with their access level and update cycle', async () => {
    const open = await h.db.prisma.resource.findMany({
      where: { status: 'published', openType: { in: ['open', 'conditional'] } },
      select: { code: true, openType: true, updateCycle: true },
      orderBy: { code: 'asc' },
    });
    expect(open.length).toBeGreaterThan(100);
    expect(catalog.dataset.map((d) => d.identifier)).toEqual(open.map((r) => r.code));
    const periodicity = { daily: 'R/P1D', monthly: 'R/P1M', irregular: 'irregular' } as Record<
      string,
      string
    >;
    for (const [i, r] of open.entries()) {
      const d = catalog.dataset[i]!;
      expect(d.accessLevel).toBe(r.openType === 'open' ? 'public' : 'restricted public');
      if (r.openType === 'open') expect(d.license).toMatch(/^https:\/\/creativecommons\.org\//);
      if (periodicity[r.updateCycle]) expect(d.accrualPeriodicity).toBe(periodicity[r.updateCycle]);
      expect(d.keyword.length).toBeGreaterThan(0);
    }
    // a department user sees more of the directory elsewhere, but data.json stays the open list
    const staff = await call(h.catalog.base, 'GET', '/data.json', {
      token: await h.token('hz-gaj.steward'),
    });
    expect(staff.body.dataset.map((d: PodDataset) => d.identifier)).toEqual(
      open.map((r) => r.code),
    );
  });

  it('links downloads that answer: the CSV of an open dataset comes with a BOM', async () => {
    const withRecords = await h.db.prisma.resource.findFirstOrThrow({
      where: { status: 'published', openType: 'open', name: '空气质量小时监测数据' },
    });
    const dataset = catalog.dataset.find((d) => d.identifier === withRecords.code)!;
    const csv = dataset.distribution.find((d) => d.format === 'CSV')!;
    expect(csv.mediaType).toBe('text/csv');
    expect(csv.downloadURL!.startsWith(`${h.exchange.base}/`)).toBe(true);
    const file = await download(csv.downloadURL!);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.body.toString('utf8').split('\r\n').length).toBeGreaterThan(10);

    const api = dataset.distribution.find((d) => d.accessURL)!;
    expect(api.accessURL).toBe(`${h.exchange.base}/v1/open/resources/${withRecords.code}/records`);
  });

  it('marks a 有条件开放 download as needing an approved key, and the exchange agrees', async () => {
    const restricted = catalog.dataset.find((d) => d.accessLevel === 'restricted public')!;
    const csv = restricted.distribution.find((d) => d.format === 'CSV')!;
    expect((await download(csv.downloadURL!)).status).toBe(401);
  });
});
