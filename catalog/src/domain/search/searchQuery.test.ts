import { describe, expect, it } from 'vitest';
import { highlight } from './highlight.ts';
import { buildSearchDocument } from './searchDocument.ts';
import { groupTsquery, highlightTerms, parseSearchQuery, queryTsquery } from './searchQuery.ts';
import { hanWords, segmentChinese } from './segmentChinese.ts';

describe('Chinese terms', () => {
  it('indexes every two-character window of a Han run, and single characters of names', () => {
    expect(segmentChinese('空气质量 PM2.5')).toEqual(['空气', '气质', '质量', 'pm2', '5']);
    expect(segmentChinese('低保', { unigrams: true })).toEqual(['低', '低保', '保']);
  });

  it('keeps what a person typed together although ICU knows few government words', () => {
    expect(hanWords('社保缴纳')).toEqual(['社保', '缴纳']);
    expect(hanWords('不动产登记')).toEqual(['不动产', '登记']);
    expect(hanWords('公积金')).toEqual(['公积金']);
  });

  it('builds a weighted tsvector literal: name A, department and keywords B, abstract C', () => {
    const doc = buildSearchDocument({
      name: '低保',
      abstract: '救助',
      keywords: [],
      providerName: '民政局',
      providerShortName: null,
      themeName: '',
      itemLabels: [],
    });
    expect(doc).toBe("'低':1A '低保':2A '保':3A '民政':5B '政局':6B '救助':10C");
  });
});

describe('query parsing', () => {
  it('finds thesaurus phrases, drops filler words and weak words', () => {
    const parsed = parseSearchQuery('我想查询社保缴纳信息');
    expect(parsed.groups.map((g) => g.text)).toEqual(['社保', '缴纳']);
    expect(parsed.groups[0]!.phrases).toEqual(['社保', '社会保险']);
    expect(queryTsquery(parsed, 'all')).toBe(
      "(('社保') | ('社会' & '会保' & '保险')) & (('缴纳') | ('缴费') | ('缴存'))",
    );
  });

  it('drops an equivalent that only adds terms to a shorter one', () => {
    const [group] = parseSearchQuery('市场监管局').groups;
    expect(group!.phrases).toContain('市场监管局');
    expect(group!.alternatives.map((a) => a.phrase)).not.toContain('市场监管局');
    expect(groupTsquery(group!)).toContain("'市场' & '场监' & '监管'");
  });

  it('knows which groups make each word typed apart, leaving lone characters and repeats out', () => {
    const texts = (q: string) => {
      const parsed = parseSearchQuery(q);
      return parsed.words.map((w) => w.map((i) => parsed.groups[i]!.text));
    };
    expect(texts('医院 学校')).toEqual([['医院'], ['学校']]);
    expect(texts('就业登记')).toHaveLength(1);
    expect(texts('医院 证')).toEqual([['医院']]);
    expect(texts('医院 医院')).toEqual([['医院']]);
  });

  it('turns hostile input into quoted terms or nothing at all', () => {
    for (const q of [`'; DROP TABLE resources; --`, `a:* & !b | (c)`, `\\'\\`, `\u202e\u0000😀`]) {
      const tsquery = queryTsquery(parseSearchQuery(q), 'any');
      expect(tsquery, q).toMatch(/^(|'[\p{L}\p{N}]+'(:\*)?( \| '[\p{L}\p{N}]+'(:\*)?)*)$/u);
    }
    expect(parseSearchQuery('!!! ((( ***').groups).toEqual([]);
  });
});

describe('highlights', () => {
  it('escapes HTML and marks matches, merging overlaps', () => {
    expect(highlight('<b>不动产</b>登记', ['不动', '动产', '登记'])).toBe(
      '&lt;b&gt;<em>不动产</em>&lt;/b&gt;<em>登记</em>',
    );
  });

  it('cuts a long text to a window around the first match', () => {
    const text = `${'甲'.repeat(200)}空气质量${'乙'.repeat(200)}`;
    const snippet = highlight(text, highlightTerms(parseSearchQuery('空气质量')), {
      maxLength: 40,
    });
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('<em>空气质量</em>');
  });
});
