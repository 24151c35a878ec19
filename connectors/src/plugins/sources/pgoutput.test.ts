import { describe, expect, it } from 'vitest';
import { parsePgOutputMessage, UNCHANGED_TOAST, type PgOutputMessage } from './pgoutput.ts';

/**
 * Bytes captured from a real PostgreSQL 15.18 server (the embedded one), as
 * `SELECT lsn::text, data FROM pg_logical_slot_peek_binary_changes('fx', NULL, NULL,
 * 'proto_version', '1', 'publication_names', 'fx')` returned them after:
 *
 *   CREATE TYPE permit_state AS ENUM ('有效', '注销');
 *   CREATE TABLE permits (id int8 PRIMARY KEY, holder text, state permit_state,
 *     fee numeric(12,2), issued timestamptz, scan text);          -- scan: STORAGE EXTERNAL
 *   CREATE TABLE audit (seq int PRIMARY KEY, note text);         -- REPLICA IDENTITY FULL
 *   CREATE PUBLICATION fx FOR TABLE permits, audit;
 *   INSERT INTO permits VALUES (9007199254740993, '杭州某某科技有限公司', '有效', 1234.50,
 *     '2026-11-21 08:30:00.123456+08', repeat('扫', 700)), (2, NULL, NULL, NULL, NULL, 'x');
 *   UPDATE permits SET holder = '改名公司' WHERE id = 9007199254740993;  -- scan stays TOASTed
 *   UPDATE permits SET id = 3 WHERE id = 2;                               -- key change
 *   DELETE FROM permits WHERE id = 3;
 *   INSERT INTO audit VALUES (1, 'a'); DELETE FROM audit WHERE seq = 1;
 *   TRUNCATE permits, audit;
 *   -- with replication origin 'province' (origin LSN 0/ABCDEF, time 2026-01-01 00:00 UTC):
 *   INSERT INTO audit VALUES (2, 'from province');
 *
 * with the session in time zone UTC. The 2 100 bytes of the TOASTed `scan` value are written
 * as SCAN_HEX rather than spelt out.
 */
const SCAN_HEX = 'e689ab'.repeat(700);
const ROWS: [lsn: string, hex: string][] = [
  ['0/197A078', '42000000000197a230000303d5254c5565000002f3'],
  ['0/197A078', '590000403a7075626c6963007065726d69745f737461746500'],
  [
    '0/197A078',
    '520000403f7075626c6963007065726d697473006400060169640000000014ffffffff00' +
      '686f6c6465720000000019ffffffff007374617465000000403affffffff006665650000' +
      '0006a4000c00060069737375656400000004a0ffffffff007363616e0000000019ffffff' +
      'ff',
  ],
  [
    '0/197A078',
    '490000403f4e0006740000001039303037313939323534373430393933740000001ee69d' +
      'ade5b79ee69f90e69f90e7a791e68a80e69c89e99990e585ace58fb87400000006e69c89' +
      'e695887400000007313233342e3530740000001d323032362d31312d32312030303a3330' +
      '3a30302e3132333435362b30307400000834' +
      SCAN_HEX,
  ],
  ['0/197A1A8', '490000403f4e00067400000001326e6e6e6e740000000178'],
  ['0/197A260', '4300000000000197a230000000000197a260000303d5254c5565'],
  ['0/197A298', '42000000000197a320000303d5254c5dce000002f4'],
  [
    '0/197A298',
    '550000403f4e0006740000001039303037313939323534373430393933740000000ce694' +
      'b9e5908de585ace58fb87400000006e69c89e695887400000007313233342e3530740000' +
      '001d323032362d31312d32312030303a33303a30302e3132333435362b303075',
  ],
  ['0/197A350', '4300000000000197a320000000000197a350000303d5254c5dce'],
  ['0/197A350', '42000000000197a3f0000303d5254c6222000002f5'],
  [
    '0/197A350',
    '550000403f4b00067400000001326e6e6e6e6e4e00067400000001336e6e6e6e74000000' + '0178',
  ],
  ['0/197A420', '4300000000000197a3f0000000000197a420000303d5254c6222'],
  ['0/197A420', '42000000000197a468000303d5254c69b7000002f6'],
  ['0/197A420', '440000403f4b00067400000001336e6e6e6e6e'],
  ['0/197A498', '4300000000000197a468000000000197a498000303d5254c69b7'],
  ['0/197A498', '42000000000197a578000303d5254c6ee2000002f7'],
  [
    '0/197A498',
    '52000040467075626c696300617564697400660002017365710000000017ffffffff016e' +
      '6f74650000000019ffffffff',
  ],
  ['0/197A498', '49000040464e0002740000000131740000000161'],
  ['0/197A5A8', '4300000000000197a578000000000197a5a8000303d5254c6ee2'],
  ['0/197A5A8', '42000000000197a5f0000303d5254c7e97000002f8'],
  ['0/197A5A8', '44000040464f0002740000000131740000000161'],
  ['0/197A620', '4300000000000197a5f0000000000197a620000303d5254c7e97'],
  ['0/197BF98', '42000000000197bfc8000303d5254c908b000002f9'],
  ['0/197BF98', '590000403a7075626c6963007065726d69745f737461746500'],
  [
    '0/197BF98',
    '520000403f7075626c6963007065726d697473006400060169640000000014ffffffff00' +
      '686f6c6465720000000019ffffffff007374617465000000403affffffff006665650000' +
      '0006a4000c00060069737375656400000004a0ffffffff007363616e0000000019ffffff' +
      'ff',
  ],
  [
    '0/197BF98',
    '52000040467075626c696300617564697400660002017365710000000017ffffffff016e' +
      '6f74650000000019ffffffff',
  ],
  ['0/197BF98', '5400000002000000403f00004046'],
  ['0/197C280', '4300000000000197bfc8000000000197c280000303d5254c908b'],
  ['0/197C428', '42000000000197c5180002ea470ae86000000002fb'],
  ['0/197C428', '4f0000000000abcdef70726f76696e636500'],
  [
    '0/197C428',
    '52000040467075626c696300617564697400660002017365710000000017ffffffff016e' +
      '6f74650000000019ffffffff',
  ],
  ['0/197C428', '49000040464e0002740000000132740000000d66726f6d2070726f76696e6365'],
  ['0/197C560', '4300000000000197c518000000000197c5600002ea470ae86000'],
];

const PERMITS = 0x403f;
const AUDIT = 0x4046;
const PERMIT_STATE = 0x403a;

const messages: PgOutputMessage[] = ROWS.map(([, hex]) =>
  parsePgOutputMessage(Buffer.from(hex, 'hex')),
);

function only<T extends PgOutputMessage['tag']>(tag: T) {
  return messages.filter((m): m is Extract<PgOutputMessage, { tag: T }> => m.tag === tag);
}

describe('pgoutput parser', () => {
  it('reads every message of the captured stream in order', () => {
    expect(messages.map((m) => m.tag).join(' ')).toBe(
      [
        'begin type relation insert insert commit',
        'begin update commit',
        'begin update commit',
        'begin delete commit',
        'begin relation insert commit',
        'begin delete commit',
        'begin type relation relation truncate commit',
        'begin origin relation insert commit',
      ].join(' '),
    );
  });

  it('gives transactions their xid, commit LSNs and commit time with microseconds', () => {
    const begins = only('begin');
    const commits = only('commit');
    expect(begins.map((b) => b.xid)).toEqual([755, 756, 757, 758, 759, 760, 761, 763]);
    expect(begins.map((b) => b.finalLsn)).toEqual(commits.map((c) => c.commitLsn));
    expect(begins.map((b) => b.commitTime)).toEqual(commits.map((c) => c.commitTime));
    // the end LSN is what the SQL interface reports as the commit row's lsn: where the slot
    // must be advanced to for the transaction to count as consumed
    const commitRows = ROWS.filter((_, i) => messages[i]!.tag === 'commit');
    expect(commits.map((c) => c.endLsn)).toEqual(commitRows.map(([lsn]) => lsn));
    expect(commits[0]).toMatchObject({ commitLsn: '0/197A230', endLsn: '0/197A260' });
    expect(commits[0]!.commitTime).toMatch(/^2026-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // the origin transaction carries the commit time its origin gave it
    expect(commits.at(-1)!.commitTime).toBe('2026-01-01T00:00:00.000000Z');
  });

  it('describes a relation: namespace, name, replica identity, columns with key flag, type and modifier', () => {
    const [permits, audit] = only('relation');
    expect(permits).toEqual({
      tag: 'relation',
      relationId: PERMITS,
      namespace: 'public',
      name: 'permits',
      replicaIdentity: 'd',
      columns: [
        { name: 'id', isKey: true, typeOid: 20, typeModifier: -1 },
        { name: 'holder', isKey: false, typeOid: 25, typeModifier: -1 },
        { name: 'state', isKey: false, typeOid: PERMIT_STATE, typeModifier: -1 },
        // numeric(12,2): (12 << 16 | 2) + 4
        { name: 'fee', isKey: false, typeOid: 1700, typeModifier: (12 << 16) + 2 + 4 },
        { name: 'issued', isKey: false, typeOid: 1184, typeModifier: -1 },
        { name: 'scan', isKey: false, typeOid: 25, typeModifier: -1 },
      ],
    });
    // REPLICA IDENTITY FULL: every column is part of the identity
    expect(audit).toMatchObject({ relationId: AUDIT, name: 'audit', replicaIdentity: 'f' });
    expect(audit?.columns.map((c) => c.isKey)).toEqual([true, true]);
    expect(only('type')[0]).toEqual({
      tag: 'type',
      typeOid: PERMIT_STATE,
      namespace: 'public',
      name: 'permit_state',
    });
  });

  it('reads insert tuples as text in the server output format, UTF-8 decoded, with nulls', () => {
    const [first, second] = only('insert');
    expect(first).toEqual({
      tag: 'insert',
      relationId: PERMITS,
      newTuple: [
        '9007199254740993',
        '杭州某某科技有限公司',
        '有效',
        '1234.50',
        '2026-11-21 00:30:00.123456+00',
        '扫'.repeat(700),
      ],
    });
    expect(second).toEqual({
      tag: 'insert',
      relationId: PERMITS,
      newTuple: ['2', null, null, null, null, 'x'],
    });
  });

  it('marks a TOASTed column an update left unchanged, and sends the old key when the key changed', () => {
    const [rename, rekey] = only('update');
    expect(rename).toEqual({
      tag: 'update',
      relationId: PERMITS,
      newTuple: [
        '9007199254740993',
        '改名公司',
        '有效',
        '1234.50',
        '2026-11-21 00:30:00.123456+00',
        UNCHANGED_TOAST,
      ],
    });
    expect(rekey).toEqual({
      tag: 'update',
      relationId: PERMITS,
      oldKind: 'key',
      oldTuple: ['2', null, null, null, null, null],
      newTuple: ['3', null, null, null, null, 'x'],
    });
  });

  it('gives deletes the old key (default identity) or the whole old row (FULL)', () => {
    expect(only('delete')).toEqual([
      {
        tag: 'delete',
        relationId: PERMITS,
        oldKind: 'key',
        oldTuple: ['3', null, null, null, null, null],
      },
      { tag: 'delete', relationId: AUDIT, oldKind: 'old', oldTuple: ['1', 'a'] },
    ]);
  });

  it('lists every truncated relation, and names the origin of a replicated transaction', () => {
    expect(only('truncate')).toEqual([
      { tag: 'truncate', relationIds: [PERMITS, AUDIT], cascade: false, restartIdentity: false },
    ]);
    expect(only('origin')).toEqual([{ tag: 'origin', originLsn: '0/ABCDEF', name: 'province' }]);
  });

  it('refuses truncated, overlong and unknown messages with a Chinese reason', () => {
    const insert = Buffer.from(ROWS[4]![1], 'hex');
    expect(() => parsePgOutputMessage(insert.subarray(0, insert.length - 1))).toThrow(
      /pgoutput 消息不完整/,
    );
    expect(() => parsePgOutputMessage(Buffer.concat([insert, Buffer.from([0])]))).toThrow(
      "pgoutput 'I' 消息末尾有多余的字节",
    );
    // 'S' (stream start) is protocol version 2, never asked for
    expect(() => parsePgOutputMessage(Buffer.from('5300000001', 'hex'))).toThrow(
      "未知的 pgoutput 消息类型 'S'",
    );
    // tuple data kind 'b' (binary) only exists with the binary option
    const binary = Buffer.from(insert);
    binary[binary.indexOf('t'.charCodeAt(0), 7)] = 'b'.charCodeAt(0);
    expect(() => parsePgOutputMessage(binary)).toThrow(/未知的列类型标记 'b'/);
    expect(() => parsePgOutputMessage(Buffer.from('52000040467075626c6963', 'hex'))).toThrow(
      /字符串没有结尾/,
    );
  });
});
