import { createHash } from 'node:crypto';
import { InputError } from '@gx/platform';
import { describe, expect, it } from 'vitest';
import {
  digestOf,
  digestRecords,
  evidenceHash,
  GENESIS_HASH,
  requestHash,
  type EvidenceEntry,
} from '../src/domain/evidence/index.ts';
import { normaliseEvidenceInput } from '../src/domain/evidence/normaliseEvidenceInput.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const entry: Omit<EvidenceEntry, 'hash'> = {
  seq: '1',
  id: '6f1c1a52-55a4-4d55-9d2c-0e1c8b1f2a10',
  prevHash: GENESIS_HASH,
  time: '2026-11-21T08:00:00.000Z',
  actor: 'system:hz-rsj-system@hz-rsj',
  actorKind: 'system',
  department: 'hz-rsj',
  grantId: 'g-1',
  purpose: '社保资格核验',
  resourceCode: '209001001-002489129-000001',
  operation: 'get',
  outcome: 'ok',
  recordCount: 1,
  requestHash: sha256('request'),
  deliveredDigest: sha256('delivered'),
  details: { b: 1, a: [2, { d: null, c: '户籍' }] },
  keyId: 'evidence-2026-11-21-0a0b0c0d',
};

describe('evidence hashing', () => {
  it('hashes the canonical JSON of every field but the hash, so key order never matters', () => {
    const expected = sha256(
      '{"actor":"system:hz-rsj-system@hz-rsj","actorKind":"system","deliveredDigest":"' +
        sha256('delivered') +
        '","department":"hz-rsj","details":{"a":[2,{"c":"户籍","d":null}],"b":1},' +
        '"grantId":"g-1","id":"6f1c1a52-55a4-4d55-9d2c-0e1c8b1f2a10",' +
        '"keyId":"evidence-2026-11-21-0a0b0c0d","operation":"get","outcome":"ok",' +
        `"prevHash":"${GENESIS_HASH}","purpose":"社保资格核验","recordCount":1,` +
        `"requestHash":"${sha256('request')}","resourceCode":"209001001-002489129-000001",` +
        '"seq":"1","time":"2026-11-21T08:00:00.000Z"}',
    );
    expect(evidenceHash(entry)).toBe(expected);
    const reordered = Object.fromEntries(Object.entries(entry).reverse()) as typeof entry;
    expect(evidenceHash({ ...reordered, details: { a: [2, { c: '户籍', d: null }], b: 1 } })).toBe(
      expected,
    );
  });

  it('changes with any field, the link and the position included', () => {
    const base = evidenceHash(entry);
    for (const change of [
      { recordCount: 2 },
      { prevHash: 'f'.repeat(64) },
      { seq: '2' },
      { time: '2026-11-21T08:00:00.001Z' },
      { purpose: null },
      { details: {} },
      { keyId: 'another' },
    ]) {
      expect(evidenceHash({ ...entry, ...change }), JSON.stringify(change)).not.toBe(base);
    }
  });
});

describe('requestHash', () => {
  it('is SHA-256 of the canonical method, path, query and body', () => {
    expect(
      requestHash({ method: 'post', path: '/v1/x', query: { b: '2', a: '1' }, body: { z: 1 } }),
    ).toBe(sha256('{"body":{"z":1},"method":"POST","path":"/v1/x","query":{"a":"1","b":"2"}}'));
    expect(requestHash({ method: 'GET', path: '/v1/x' })).toBe(
      sha256('{"body":null,"method":"GET","path":"/v1/x","query":{}}'),
    );
    expect(requestHash({ method: 'GET', path: '/v1/x', query: { a: '1' } })).not.toBe(
      requestHash({ method: 'GET', path: '/v1/x', query: { a: '2' } }),
    );
  });
});

describe('digestRecords', () => {
  it('is SHA-256 over canonical JSON lines, fed one record at a time', () => {
    const digest = digestRecords();
    digest.update({ name: '张三', id: 1 });
    digest.update({ id: 2, name: '李四' });
    expect(digest.count).toBe(2);
    expect(digest.digest()).toBe(sha256('{"id":1,"name":"张三"}\n{"id":2,"name":"李四"}\n'));
    expect(digest.digest()).toBe(digest.digest());
    expect(() => digest.update({})).toThrow(/already/);
    expect(digestOf([])).toBe(sha256(''));
    // the one-shot form hashes exactly the streaming form's lines
    expect(digestOf([{ name: '张三', id: 1 }, { id: 2, name: '李四' }, null])).toBe(
      sha256('{"id":1,"name":"张三"}\n{"id":2,"name":"李四"}\nnull\n'),
    );
    expect(digestOf([{ b: 1, a: 2 }])).toBe(digestOf([{ a: 2, b: 1 }]));
    expect(digestOf([{ a: 1 }, { a: 2 }])).not.toBe(digestOf([{ a: 2 }, { a: 1 }]));
  });
});

describe('evidence input', () => {
  const valid = {
    actor: 'user:auditor@hz-dsj',
    actorKind: 'user',
    operation: 'query' as const,
    recordCount: 3,
    requestHash: sha256('r'),
  };

  it('fills defaults: nulls, ok (refused for refusals), empty details', () => {
    expect(normaliseEvidenceInput(valid)).toMatchObject({
      department: null,
      grantId: null,
      purpose: null,
      resourceCode: null,
      deliveredDigest: null,
      outcome: 'ok',
      details: {},
    });
    expect(normaliseEvidenceInput({ ...valid, operation: 'refusal' }).outcome).toBe('refused');
  });

  it('refuses what the database could not store as hashed, naming every field', () => {
    try {
      normaliseEvidenceInput({
        ...valid,
        actor: '',
        operation: 'erase' as never,
        recordCount: -1,
        requestHash: 'ABC',
        department: 'Not A Code',
        purpose: 'x'.repeat(501),
        details: { reason: 'a\u0000b' },
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      const paths = ((error as InputError).extensions.errors as { path: string }[]).map(
        (e) => e.path,
      );
      expect(paths).toEqual([
        'evidence.actor',
        'evidence.department',
        'evidence.purpose',
        'evidence.operation',
        'evidence.recordCount',
        'evidence.requestHash',
        'evidence.details',
      ]);
    }
  });

  it('stores lone surrogates as U+FFFD, as PostgreSQL would, before hashing', () => {
    const normalised = normaliseEvidenceInput({
      ...valid,
      purpose: 'a\uD800b',
      details: { ['k\uDC00']: 'v\uD800' },
    });
    expect(normalised.purpose).toBe('a\uFFFDb');
    expect(normalised.details).toEqual({ 'k\uFFFD': 'v\uFFFD' });
  });
});
