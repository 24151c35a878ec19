// The portal's pure parts, without a browser: reading the search URL, choosing a chart,
// encoding queries, and generating the API tab's requests from the real OpenAPI documents.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { messages } from '../../portal/src/lib/i18n/messages.ts';
import { describe, expect, it } from 'vitest';
import { buildApiExamples, type OpenApiDocument } from '../../portal/src/lib/apiExamples.ts';
import { serializeQuery } from '../../portal/src/lib/api/serializeQuery.ts';
import { chooseChart, niceTicks, timeTicks } from '../../portal/src/lib/chart/chooseChart.ts';
import { formatCell } from '../../portal/src/lib/format.ts';
import {
  carriedFields,
  parseSearchState,
  searchHref,
  sortHref,
  toggleFacetHref,
} from '../../portal/src/lib/searchState.ts';

const OPENAPI = path.resolve(import.meta.dirname, '..', '..', 'schemas', 'openapi');

describe('the search URL', () => {
  it('reads what a visitor may have typed, keeping only what the catalog accepts', () => {
    const state = parseSearchState({
      q: '  空气   质量 ',
      theme: ['environment', 'Not A Theme', 'environment'],
      department: 'hz-sthj',
      openType: ['open', 'everything'],
      updateCycle: 'hourly',
      page: '-3',
    });
    expect(state).toEqual({
      q: '空气 质量',
      sort: 'relevance',
      theme: ['environment'],
      department: ['hz-sthj'],
      openType: ['open'],
      updateCycle: [],
      format: [],
      page: 1,
    });
    expect(parseSearchState({ q: 'x'.repeat(500), page: '9999' })).toMatchObject({
      q: 'x'.repeat(200),
      page: 500,
    });
  });

  it('writes links that share the search and toggle one facet value, back to page 1', () => {
    const state = parseSearchState({ q: '公交', theme: 'transport', page: '3' });
    expect(searchHref(state)).toBe('/search?q=%E5%85%AC%E4%BA%A4&theme=transport&page=3');
    const added = new URL(toggleFacetHref(state, 'openType', 'open'), 'http://x');
    expect(added.searchParams.getAll('openType')).toEqual(['open']);
    expect(added.searchParams.get('page')).toBeNull();
    const removed = new URL(toggleFacetHref(state, 'theme', 'transport'), 'http://x');
    expect(removed.searchParams.getAll('theme')).toEqual([]);
    expect(removed.searchParams.get('q')).toBe('公交');
  });

  it('keeps 最新发布 across pages, facets and new words; 相关度 and no words need no parameter', () => {
    const state = parseSearchState({ q: '公交', sort: 'recent', theme: 'transport', page: '2' });
    expect(state.sort).toBe('recent');
    expect(searchHref(state)).toBe(
      '/search?q=%E5%85%AC%E4%BA%A4&sort=recent&theme=transport&page=2',
    );
    const filtered = new URL(toggleFacetHref(state, 'openType', 'open'), 'http://x');
    expect(filtered.searchParams.get('sort')).toBe('recent');
    expect(carriedFields(state)).toEqual([
      ['sort', 'recent'],
      ['theme', 'transport'],
    ]);
    // back to 相关度, on page 1, with the facet kept
    const relevant = new URL(sortHref(state, 'relevance'), 'http://x');
    expect(relevant.search).toBe('?q=%E5%85%AC%E4%BA%A4&theme=transport');
    // anything else is the default; without words the only order is newest first
    expect(parseSearchState({ q: '公交', sort: 'oldest' }).sort).toBe('relevance');
    expect(parseSearchState({ sort: 'relevance' }).sort).toBe('recent');
    expect(searchHref(parseSearchState({ sort: 'recent', theme: 'transport' }))).toBe(
      '/search?theme=transport',
    );
  });
});

describe('the preview table', () => {
  it('shows numbers as the data holds them: every decimal, no thousands separator', () => {
    expect(formatCell(120.282196, 'number')).toBe('120.282196');
    expect(formatCell(2026, 'integer')).toBe('2026');
    expect(formatCell(-0.5, 'number')).toBe('-0.5');
    expect(formatCell(null, 'number')).toBe('—');
  });
});

describe('query strings sent to the services', () => {
  it('percent-encode every reserved character, and repeat array parameters', () => {
    const query = serializeQuery({
      q: 'PM2.5 (小时)!*',
      theme: ['a', 'b'],
      page: 2,
      none: undefined,
    });
    expect(query).toBe('q=PM2.5%20%28%E5%B0%8F%E6%97%B6%29%21%2A&theme=a&theme=b&page=2');
    expect(query.replace(/%[0-9A-F]{2}/g, '')).not.toMatch(/[:/?#[\]@!$'()*+,;]/);
  });
});

describe('the chart a dataset calls for', () => {
  const columns = [
    { name: 'reading_id', label: '监测记录编号', dataType: 'string' },
    { name: 'station_code', label: '监测点位编码', dataType: 'string' },
    { name: 'station_name', label: '监测点位名称', dataType: 'string' },
    { name: 'observed_at', label: '监测时间', dataType: 'datetime' },
    { name: 'aqi', label: '空气质量指数', dataType: 'integer' },
  ];
  const reading = (station: string, hour: number, aqi: number) => ({
    reading_id: `${station}-${hour}`,
    station_code: station === '西溪' ? '1223A' : '1224A',
    station_name: station,
    observed_at: `2026-11-15T${String(hour).padStart(2, '0')}:00:00+08:00`,
    aqi,
  });

  it('draws a time series per station when records have a time and a measure', () => {
    const records = [
      ...Array.from({ length: 10 }, (_, h) => reading('西溪', h, 40 + h)),
      ...Array.from({ length: 8 }, (_, h) => reading('滨江', h, 60 - h)),
    ];
    const chart = chooseChart(columns, records);
    expect(chart).toMatchObject({
      kind: 'time-series',
      time: { name: 'observed_at' },
      measure: { name: 'aqi' },
      seriesBy: { name: 'station_name' },
    });
    if (chart?.kind !== 'time-series') throw new Error('not a time series');
    expect(chart.series.map((s) => [s.name, s.points.length])).toEqual([
      ['西溪', 10],
      ['滨江', 8],
    ]);
    expect(chart.series[0]!.points[0]).toEqual({
      t: Date.parse('2026-11-15T00:00:00+08:00'),
      value: 40,
    });
  });

  it('leaves out a line the sample caught only the start of', () => {
    const records = [
      ...Array.from({ length: 20 }, (_, h) => reading('西溪', h, 50)),
      ...Array.from({ length: 3 }, (_, h) => reading('滨江', h, 50)),
    ];
    const chart = chooseChart(columns, records);
    if (chart?.kind !== 'time-series') throw new Error('not a time series');
    expect(chart.series.map((s) => s.name)).toEqual(['西溪']);
    expect(chart.seriesBy?.name).toBe('station_name');
  });

  it('draws bars per category without a time, and nothing for a plain list', () => {
    const schools = [
      { name: 'school_name', label: '学校名称', dataType: 'string' },
      { name: 'district', label: '所在区', dataType: 'string' },
      { name: 'students', label: '在校生数', dataType: 'integer' },
    ];
    const rows = ['西湖区', '西湖区', '滨江区', '上城区', '上城区', '上城区'].map(
      (district, i) => ({
        school_name: `第${i + 1}小学`,
        district,
        students: 100 * (i + 1),
      }),
    );
    const bars = chooseChart(schools, rows);
    expect(bars).toMatchObject({
      kind: 'category-bars',
      category: { name: 'district' },
      measure: { name: 'students' },
    });
    if (bars?.kind !== 'category-bars') throw new Error('not bars');
    expect(bars.bars).toEqual([
      { name: '上城区', value: 500, count: 3 },
      { name: '滨江区', value: 300, count: 1 },
      { name: '西湖区', value: 150, count: 2 },
    ]);
    // coordinates are numbers, not measures: the bars count records instead
    const located = rows.map((r, i) => ({ ...r, lng: 120.1 + i / 100 }));
    const byDistrict = chooseChart(
      [schools[0]!, schools[1]!, { name: 'lng', label: '经度', dataType: 'number' }],
      located,
    );
    expect(byDistrict).toMatchObject({ kind: 'category-bars', measure: null });
    const names = rows.map((r) => ({ school_name: r.school_name }));
    expect(chooseChart([schools[0]!], names)).toBeNull();
  });

  it('measures nothing by a key or a position in a sequence: 站序 of 公交线路与站点 is not a measure', () => {
    const stops = [
      { name: 'route', label: '线路名称', dataType: 'string', isKey: true },
      { name: 'stop_order', label: '站序', dataType: 'integer', isKey: true },
      { name: 'stop_name', label: '站点名称', dataType: 'string' },
      { name: 'fare', label: '票价', dataType: 'number', unit: '元' },
    ];
    const rows = ['1路', '2路', '3路'].flatMap((route, r) =>
      Array.from({ length: 5 }, (_, i) => ({
        route,
        stop_order: i + 1,
        stop_name: `${route}第${i + 1}站`,
        fare: 2 + r,
      })),
    );
    expect(chooseChart(stops, rows)).toMatchObject({
      kind: 'category-bars',
      category: { name: 'route' },
      measure: { name: 'fare' },
    });
    // without a fare, the bars count each route's stops rather than average their 站序
    const withoutFare = rows.map(({ fare: _, ...stop }) => stop);
    expect(chooseChart(stops.slice(0, 3), withoutFare)).toMatchObject({
      kind: 'category-bars',
      measure: null,
    });
    // nor by 站序 when nobody marked it as a key, nor by a ranking
    const unmarked = stops.slice(0, 3).map(({ isKey: _, ...column }) => column);
    expect(chooseChart(unmarked, withoutFare)).toMatchObject({ measure: null });
    const ranked = rows.map((r) => ({ route: r.route, rank: r.stop_order }));
    expect(
      chooseChart([stops[0]!, { name: 'rank', label: '排名', dataType: 'integer' }], ranked),
    ).toMatchObject({ measure: null });
  });

  it('puts axis ticks on round numbers and on round hours or days of Beijing time', () => {
    expect(niceTicks(0, 159, 6)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(20, 105, 5)).toEqual([20, 40, 60, 80, 100, 120]);
    expect(niceTicks(0.2, 0.9, 5)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    const start = Date.parse('2026-11-15T04:00:00+08:00');
    const { ticks: days, step } = timeTicks(start, start + 7 * 24 * 3_600_000);
    expect(step).toBe(24 * 3_600_000);
    expect(days.every((t) => (t + 8 * 3_600_000) % step === 0)).toBe(true);
  });
});

describe('the API tab', () => {
  async function document(): Promise<OpenApiDocument> {
    return parse(
      await readFile(path.join(OPENAPI, 'exchange-open.yaml'), 'utf8'),
    ) as OpenApiDocument;
  }
  const code = '206013001-00251024X-000001';
  /** the examples the dataset page's API tab shows for a 无条件开放 dataset */
  const openExamples = async (exampleKey?: string) =>
    buildApiExamples({
      document: await document(),
      baseUrl: 'https://data.example.gov.cn',
      code,
      openType: 'open',
      apiKeyHeader: 'X-API-Key',
      ...(exampleKey ? { exampleKey } : {}),
      placeholders: messages('zh-CN').developer.code,
    });

  it('offers every open-data read of the spec, anonymous where a 无条件开放 dataset allows it', async () => {
    const examples = await openExamples('1223A-2026111504');
    const byPath = Object.fromEntries(examples.map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual([
      '/v1/open/resources/{code}/download',
      '/v1/open/resources/{code}/preview',
      '/v1/open/resources/{code}/records',
      '/v1/open/resources/{code}/records/{key}',
    ]);
    const preview = byPath['/v1/open/resources/{code}/preview']!;
    expect(preview.anonymous).toBe(true);
    expect(preview.url).toBe(
      `https://data.example.gov.cn/v1/open/resources/${code}/preview?limit=20`,
    );
    expect(preview.curl).toBe(`curl '${preview.url}'`);
    const download = byPath['/v1/open/resources/{code}/download']!;
    expect(download.curl).toContain('curl -OJ');
    expect(download.curl).toContain('format=csv');
    expect(download.typescript).toContain("parseAs: 'text'");
    const one = byPath['/v1/open/resources/{code}/records/{key}']!;
    expect(one.anonymous).toBe(false);
    expect(one.url).toBe(
      `https://data.example.gov.cn/v1/open/resources/${code}/records/1223A-2026111504`,
    );
    expect(one.curl).toContain("-H 'X-API-Key: <你的 API Key>'");
    expect(one.typescript).toContain("client.GET('/v1/open/resources/{code}/records/{key}'");
    expect(one.typescript).toContain(`path: { code: '${code}', key: '1223A-2026111504' }`);
  });

  it('describes every parameter in Chinese, as the dataset page shows it', async () => {
    const examples = await openExamples();
    const parameters = examples.flatMap((e) => e.parameters.map((p) => [e.path, p] as const));
    expect(parameters.map(([, p]) => p.name)).toEqual(
      expect.arrayContaining(['code', 'filter', 'fields', 'after', 'limit', 'order', 'format']),
    );
    for (const [where, p] of parameters)
      expect(p.description, `${where} ${p.name}`).toMatch(/^[^a-z]*[\u4e00-\u9fff]/);
  });

  it('asks for a key everywhere on a 有条件开放 dataset', async () => {
    const examples = buildApiExamples({
      document: await document(),
      baseUrl: 'http://127.0.0.1:4000',
      code,
      openType: 'conditional',
      apiKeyHeader: 'X-API-Key',
      placeholders: messages('zh-CN').developer.code,
    });
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) {
      expect(example.anonymous).toBe(false);
      expect(example.curl).toContain('X-API-Key');
      expect(example.typescript).toContain("headers: { 'X-API-Key': process.env.GX_API_KEY }");
    }
  });
});
