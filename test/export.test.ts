import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { compactVerify, createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  startHarness,
  type Download,
  type Harness,
  download as downloadUrl,
} from './harness.ts';

let h: Harness;
const exchange = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(h.exchange.base, method, path, options);

/** a small open register: text with Chinese, numbers, dates, a flag */
const stations = Array.from({ length: 30 }, (_, i) => ({
  station_id: `ST${String(i).padStart(4, '0')}`,
  name: i === 3 ? '=HYPERLINK("http://evil","点我")' : `西湖区第${i}监测站, "北"`,
  pm25: i % 7 === 0 ? -1.5 : i * 2.25,
  readings: i * 12,
  measured_on: `2026-11-${String((i % 28) + 1).padStart(2, '0')}`,
  is_active: i % 2 === 0,
}));

const download = (path: string, headers: Record<string, string> = {}) =>
  downloadUrl(`${h.exchange.base}${path}`, headers);

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

describe('grant export over HTTP', () => {
  let grantId: string;
  let consumer: Record<string, string>;
  let keys: ReturnType<typeof createLocalJWKSet>;

  beforeAll(async () => {
    const steward = await h.token('hz-gaj.steward');
    const created = await call(h.catalog.base, 'POST', '/v1/resources', {
      token: steward,
      body: {
        name: '空气质量监测站点读数',
        abstract: '全市空气质量监测站点每日读数',
        themeCode: 'population',
        format: 'database',
        sharingType: 'unconditional',
        sharingMethods: ['api', 'file'],
        openType: 'none',
        updateCycle: 'daily',
        items: [
          { name: 'station_id', label: '站点编号', dataType: 'string', isKey: true },
          { name: 'name', label: '站点名称', dataType: 'string' },
          { name: 'pm25', label: 'PM2.5浓度', unit: '微克/立方米', dataType: 'number' },
          { name: 'readings', label: '读数次数', dataType: 'integer' },
          { name: 'measured_on', label: '监测日期', dataType: 'date' },
          { name: 'is_active', label: '是否在用', dataType: 'boolean' },
        ],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const code = created.body.code as string;
    await call(h.catalog.base, 'POST', `/v1/resources/${code}/submit`, { token: steward });
    const approved = await call(h.catalog.base, 'POST', `/v1/resources/${code}/approve`, {
      token: await h.token('hz-dsj.approver'),
    });
    expect(approved.body.status).toBe('published');
    const pushed = await exchange('POST', `/v1/resources/${code}/records`, {
      token: await h.systemToken('hz-gaj-system'),
      body: { records: stations },
    });
    expect(pushed.body).toMatchObject({ accepted: stations.length, rejected: 0 });
    const systemB = await h.systemToken('hz-rsj-system');
    const requested = await exchange('POST', '/v1/sharing-requests', {
      token: systemB,
      body: {
        resourceCode: code,
        fields: ['station_id', 'name', 'pm25', 'readings', 'measured_on', 'is_active'],
        purposeCodes: ['STATISTICS'],
        purposeText: '空气质量统计分析',
        legalBasisText: '《大气污染防治法》第五十五条',
        deliveryModes: ['bulk'],
      },
    });
    expect(requested.status, JSON.stringify(requested.body)).toBe(201);
    grantId = requested.body.grantId as string;
    expect(grantId).toBeTruthy();
    consumer = { authorization: `Bearer ${systemB}`, 'x-purpose': 'STATISTICS' };
    const jwks = (await (
      await fetch(`${h.exchange.base}/.well-known/evidence-keys.json`)
    ).json()) as JSONWebKeySet;
    keys = createLocalJWKSet(jwks);
  });

  /** the receipt in the trailer, verified, covers exactly the bytes received */
  async function receiptOf(res: Download) {
    expect(res.headers.trailer).toBe('Evidence-Receipt');
    const jws = res.trailers['evidence-receipt'];
    expect(jws).toBeTruthy();
    const { payload } = await compactVerify(jws!, keys);
    const receipt = JSON.parse(new TextDecoder().decode(payload));
    expect(receipt).toMatchObject({ operation: 'export', grantId });
    expect(receipt.deliveredDigest).toBe(createHash('sha256').update(res.body).digest('hex'));
    return receipt as { recordCount: number };
  }

  it('exports CSV with BOM and Chinese headers, neutralised formulas, and a receipt over the bytes', async () => {
    const res = await download(`/v1/grants/${grantId}/export?format=csv`, consumer);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[0-9-]+\.csv"$/);
    expect([...res.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.body.toString('utf8').slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('站点编号,站点名称,PM2.5浓度（微克/立方米）,读数次数,监测日期,是否在用');
    expect(lines).toHaveLength(stations.length + 2);
    expect(lines[1]).toBe('ST0000,"西湖区第0监测站, ""北""",-1.5,0,2026-11-01,true');
    expect(lines[2]).toBe('ST0001,"西湖区第1监测站, ""北""",2.25,12,2026-11-02,false');
    expect(lines[4]).toBe(
      `ST0003,"'=HYPERLINK(""http://evil"",""点我"")",6.75,36,2026-11-04,false`,
    );
    expect((await receiptOf(res)).recordCount).toBe(stations.length);
  });

  it('exports a JSON array and JSON lines of the same records', async () => {
    const json = await download(`/v1/grants/${grantId}/export?format=json`, consumer);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body.toString('utf8'))).toEqual(stations);
    expect((await receiptOf(json)).recordCount).toBe(stations.length);

    const jsonl = await download(`/v1/grants/${grantId}/export?format=jsonl`, consumer);
    expect(jsonl.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = jsonl.body.toString('utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(stations);
    await receiptOf(jsonl);
  });

  it('exports an XLSX workbook that Excel-compatible readers open', async () => {
    const res = await download(`/v1/grants/${grantId}/export?format=xlsx`, consumer);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('数据')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '站点编号',
      '站点名称',
      'PM2.5浓度（微克/立方米）',
      '读数次数',
      '监测日期',
      '是否在用',
    ]);
    expect(sheet.rowCount).toBe(stations.length + 1);
    // 监测日期 is a date field: an Excel date shown as a day, the rest as they came
    const { measured_on: day, ...rest } = stations[3]!;
    const row = sheet.getRow(5);
    expect([2, 3, 4, 6].map((c) => row.getCell(c).value)).toEqual([
      rest.name,
      rest.pm25,
      rest.readings,
      rest.is_active,
    ]);
    expect(row.getCell(1).value).toBe(rest.station_id);
    expect(row.getCell(5).value).toEqual(new Date(`${String(day)}T00:00:00Z`));
    expect(row.getCell(5).numFmt).toBe('yyyy-mm-dd');
    expect((await receiptOf(res)).recordCount).toBe(stations.length);
  });

  it('refuses an unknown format with 400 problem+json before sending anything', async () => {
    const res = await exchange('GET', `/v1/grants/${grantId}/export?format=pdf`, {
      headers: consumer,
    });
    expect(res.status).toBe(400);
    expect(res.contentType).toContain('application/problem+json');
  });
});
