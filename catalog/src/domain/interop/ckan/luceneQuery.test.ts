import { describe, expect, it } from 'vitest';
import { CkanSearchError, CkanSearchQueryError } from './ckanErrors.ts';
import { ckanFilter, solrDate } from './ckanFilter.ts';
import { parseLuceneQuery } from './luceneQuery.ts';
import { parseSort } from './packageSearch.ts';

describe('the Lucene syntax CKAN clients send', () => {
  it('reads fields, phrases, groups, ranges and the implicit AND', () => {
    expect(parseLuceneQuery('+organization:hz-sthj tags:"空气 质量"')).toEqual({
      kind: 'and',
      items: [
        {
          kind: 'field',
          field: 'organization',
          value: { kind: 'term', text: 'hz-sthj', quoted: false, prefix: false },
        },
        {
          kind: 'field',
          field: 'tags',
          value: { kind: 'term', text: '空气 质量', quoted: true, prefix: false },
        },
      ],
    });
    expect(parseLuceneQuery('metadata_modified:[2026-01-01T00:00:00.123456Z TO *}')).toEqual({
      kind: 'field',
      field: 'metadata_modified',
      value: {
        kind: 'range',
        from: '2026-01-01T00:00:00.123456Z',
        to: '*',
        fromInclusive: true,
        toInclusive: false,
      },
    });
    expect(parseLuceneQuery('groups:(environment OR weather)')).toMatchObject({
      kind: 'or',
      items: [
        { kind: 'field', field: 'groups', value: { text: 'environment' } },
        { kind: 'field', field: 'groups', value: { text: 'weather' } },
      ],
    });
    expect(parseLuceneQuery('*:*')).toEqual({ kind: 'field', field: '*', value: { kind: 'any' } });
    expect(parseLuceneQuery('name:2090*')).toMatchObject({ value: { text: '2090', prefix: true } });
  });

  it('binds AND tighter than OR and reads -, ! and NOT as negation', () => {
    expect(parseLuceneQuery('a:1 OR b:2 AND c:3')).toMatchObject({
      kind: 'or',
      items: [{ field: 'a' }, { kind: 'and', items: [{ field: 'b' }, { field: 'c' }] }],
    });
    for (const q of ['-tags:x', '!tags:x', 'NOT tags:x']) {
      expect(parseLuceneQuery(q)).toMatchObject({ kind: 'not', item: { field: 'tags' } });
    }
  });

  it('answers what Solr would refuse as a Search Error, what we do not support as a Query Error', () => {
    for (const q of ['tags:(x', 'tags:"x', 'tags:', 'metadata_modified:[1 TO', ':x', 'a:1)']) {
      expect(() => parseLuceneQuery(q), q).toThrow(CkanSearchError);
    }
    for (const q of ['tags:a*b', 'title:x~2', 'title:x^3', '('.repeat(40) + 'x']) {
      expect(() => parseLuceneQuery(q), q).toThrow(CkanSearchQueryError);
    }
    expect(() => ckanFilter(parseLuceneQuery('num_resources:[1 TO 3]'))).toThrow(
      CkanSearchQueryError,
    );
    // free text beside fields is for the Chinese search; under OR it cannot be
    expect(ckanFilter(parseLuceneQuery('空气 organization:hz-sthj')).texts).toEqual(['空气']);
    expect(() => ckanFilter(parseLuceneQuery('空气 OR organization:hz-sthj'))).toThrow(
      CkanSearchQueryError,
    );
  });

  it("reads Solr's dates, NOW with date math included", () => {
    const now = new Date('2026-11-21T10:20:30.400Z');
    expect(solrDate('2026-01-02T03:04:05.123456Z').toISOString()).toBe('2026-01-02T03:04:05.123Z');
    expect(solrDate('2026-01-02').toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(solrDate('NOW-1DAY', now).toISOString()).toBe('2026-11-20T10:20:30.400Z');
    expect(solrDate('NOW/DAY+1HOUR', now).toISOString()).toBe('2026-11-21T01:00:00.000Z');
    expect(() => solrDate('yesterday')).toThrow(CkanSearchError);
    // days a month does not have, and 24:00, are refused rather than rolled over
    for (const impossible of [
      '2026-02-30T00:00:00Z',
      '2026-11-31',
      '2026-02-29',
      '2026-13-01',
      '2026-01-01T24:00:00Z',
      '2026-01-01T23:60',
    ]) {
      expect(() => solrDate(impossible), impossible).toThrow(CkanSearchError);
    }
    expect(solrDate('2028-02-29').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('reads sorts as Solr does: a direction is required, unknown fields are refused', () => {
    expect(parseSort('score desc, metadata_modified desc')).toEqual([
      { field: 'score', direction: 'desc' },
      { field: 'metadata_modified', direction: 'desc' },
    ]);
    expect(() => parseSort('name')).toThrow(CkanSearchQueryError);
    expect(() => parseSort('popularity desc')).toThrow(CkanSearchError);
  });
});
