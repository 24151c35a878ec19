import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataFactory } from 'n3';
import { describe, expect, it } from 'vitest';
import { HarvestFetchError } from './fetchRemote.ts';
import { parseRdf } from './parseRdf.ts';
import { dcatDatasetToEntry } from './walkDcat.ts';

const { namedNode } = DataFactory;
const DATASET = 'https://city.example.gov.cn/dcat/datasets/206001001-002510241-000001';

const inlineDocument = {
  '@context': {
    dcat: 'http://www.w3.org/ns/dcat#',
    dct: 'http://purl.org/dc/terms/',
    foaf: 'http://xmlns.com/foaf/0.1/',
  },
  '@id': DATASET,
  '@type': 'dcat:Dataset',
  'dct:identifier': '206001001-002510241-000001',
  'dct:title': { '@value': '空气质量小时监测数据', '@language': 'zh' },
  'dct:accrualPeriodicity': {
    '@id': 'http://publications.europa.eu/resource/authority/frequency/DAILY',
  },
  'dct:publisher': {
    '@id': 'https://city.example.gov.cn/v1/departments/hz-sthj',
    'foaf:name': { '@value': '杭州市生态环境局', '@language': 'zh' },
    'dct:identifier': '11330100002510241X',
  },
};

describe('parseRdf', () => {
  it('reads JSON-LD with an inline context into the same entry as Turtle would give', async () => {
    const store = await parseRdf({
      url: 'https://city.example.gov.cn/dcat/catalog.jsonld',
      contentType: 'application/ld+json',
      body: JSON.stringify(inlineDocument),
    });
    const event = dcatDatasetToEntry(store, namedNode(DATASET));
    expect(event.type).toBe('entry');
    if (event.type !== 'entry') return;
    expect(event.entry).toMatchObject({
      identifier: '206001001-002510241-000001',
      code: '206001001-002510241-000001',
      remoteId: DATASET,
      title: '空气质量小时监测数据',
      updateCycle: 'daily',
      publisher: { name: '杭州市生态环境局', unifiedSocialCreditCode: '11330100002510241X' },
    });
  });

  it('never fetches a remote JSON-LD context', async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests += 1;
      res.setHeader('content-type', 'application/ld+json');
      res.end(JSON.stringify({ '@context': { dct: 'http://purl.org/dc/terms/' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const contextUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/context.jsonld`;
    try {
      const parsing = parseRdf({
        url: 'https://city.example.gov.cn/dcat/catalog.jsonld',
        contentType: 'application/ld+json',
        body: JSON.stringify({ ...inlineDocument, '@context': contextUrl }),
      });
      await expect(parsing).rejects.toBeInstanceOf(HarvestFetchError);
      await expect(parsing).rejects.toThrow('远程上下文');
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('reports unparsable Turtle as a fetch error, so that the walk withdraws nothing', async () => {
    await expect(
      parseRdf({ url: 'https://x.example/c.ttl', contentType: 'text/turtle', body: '<a> <b> .' }),
    ).rejects.toBeInstanceOf(HarvestFetchError);
  });
});
