/**
 * The record log's contract: one suite, run against every transport (`pgRecordLog.test.ts`,
 * `kafkaRecordLog.test.ts`). It asserts what a connector worker relies on: order per
 * partition, key → partition, commit and resume, redelivery of what was not committed,
 * partitions split between live members and handed over when one closes or dies, offset
 * resets, lag, a large batch intact, headers and binary values intact.
 *
 * No wall-clock assertions: waits poll until a condition holds, with generous limits.
 */
import { fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '@gx/platform';
import { consumerLag } from './consumerLag.ts';
import { partitionForKey } from './partitionForKey.ts';
import { nextOffsets } from './recordEncoding.ts';
import type {
  ConsumerOptions,
  LogRecord,
  ProduceRecord,
  RecordConsumer,
  RecordLog,
  StreamPartition,
} from './RecordLog.ts';
import {
  WORKER_FILE,
  type WorkerLogSpec,
  type WorkerMessage,
  type WorkerSpec,
} from './testing/recordLogWorker.ts';

export interface RecordLogFixture {
  /** a log on the transport under test; each call is like another process. Closed by the suite */
  open(): Promise<RecordLog>;
  /** what a worker process needs to open the same log (lease or session kept short) */
  worker: WorkerLogSpec;
  /** partitions of the streams the suite creates (the Kafka mock cluster makes 4) */
  partitions: number;
  close(): Promise<void>;
}

/** the longest any wait in the suite may take before it fails */
const WAIT_MS = 90_000;
/** per test: several waits, and a Kafka group's first join takes 3 s on the mock cluster */
const TEST_MS = 240_000;

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const id = (r: StreamPartition & { offset: number }) => `${r.stream}/${r.partition}/${r.offset}`;

function numbered(count: number, keys: number, from = 0): ProduceRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `key-${(from + i) % keys}`,
    value: { n: from + i },
  }));
}

interface Tracked {
  consumer: RecordConsumer;
  received: LogRecord[];
  assigned: StreamPartition[][];
  revoked: { partitions: StreamPartition[]; lost: boolean }[];
  /** commit after every poll (what a worker does once its sink has written) */
  autoCommit: boolean;
}

async function track(
  log: RecordLog,
  options: Omit<ConsumerOptions, 'onAssign' | 'onRevoke'>,
  autoCommit = true,
): Promise<Tracked> {
  const tracked: Tracked = {
    consumer: undefined as unknown as RecordConsumer,
    received: [],
    assigned: [],
    revoked: [],
    autoCommit,
  };
  tracked.consumer = await log.consumer({
    ...options,
    onAssign: (partitions) => void tracked.assigned.push(partitions),
    onRevoke: (partitions, { lost }) => void tracked.revoked.push({ partitions, lost }),
  });
  return tracked;
}

/** Poll every consumer at once, round after round, until `done()` holds. */
async function pollUntil(consumers: Tracked[], done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await Promise.all(
      consumers.map(async (t) => {
        const records = await t.consumer.poll(500, { timeoutMs: 200 });
        t.received.push(...records);
        if (t.autoCommit && records.length > 0) await commitAsAWorker(t.consumer, records);
      }),
    );
  }
}

/**
 * What a worker does after its sink has written: commit, and take a refusal (the partition
 * moved, or the group is rebalancing) as nothing to act on — the records are written, and a
 * later commit covers them or their partition's next owner reads them again.
 */
async function commitAsAWorker(consumer: RecordConsumer, records: LogRecord[]): Promise<void> {
  try {
    await consumer.commit(nextOffsets(records));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

function distinct(records: LogRecord[]): Set<string> {
  return new Set(records.map(id));
}

const overlaps = (a: StreamPartition[], b: StreamPartition[]) =>
  a.some((x) => b.some((y) => x.stream === y.stream && x.partition === y.partition));

export function describeRecordLogContract(
  name: string,
  setup: () => Promise<RecordLogFixture>,
): void {
  describe(`record log contract: ${name}`, { timeout: TEST_MS }, () => {
    let fixture: RecordLogFixture;
    let log: RecordLog;
    const opened: RecordLog[] = [];
    let P: number;

    const open = async () => {
      const another = await fixture.open();
      opened.push(another);
      return another;
    };
    const newStream = async (prefix: string) => {
      const stream = unique(prefix);
      await log.createStream(stream, { partitions: P });
      return stream;
    };

    beforeAll(async () => {
      fixture = await setup();
      P = fixture.partitions;
      log = await open();
    });

    afterAll(async () => {
      await Promise.allSettled(opened.map((l) => l.close()));
      await fixture?.close();
    });

    it('creates a stream once: the same again is fine, other partitions conflict, unknown streams are not found', async () => {
      const stream = await newStream('raw.create');
      await log.createStream(stream, { partitions: P });
      expect(await log.partitions(stream)).toBe(P);
      await expect(log.createStream(stream, { partitions: P * 2 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(log.produce(unique('raw.missing'), numbered(1, 1))).rejects.toBeInstanceOf(
        NotFoundError,
      );
      await expect(
        log.consumer({ group: unique('g'), streams: [unique('raw.missing')] }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it('puts a key on partition murmur2(key) mod partitions and keeps each partition in order', async () => {
      const stream = await newStream('raw.order');
      const produced: { key: string; n: number; partition: number; offset: number }[] = [];
      for (let batch = 0; batch < 4; batch += 1) {
        const records = numbered(500, 50, batch * 500);
        const offsets = await log.produce(stream, records);
        records.forEach((r, i) =>
          produced.push({
            key: r.key,
            n: (r.value as { n: number }).n,
            partition: offsets[i]!.partition,
            offset: offsets[i]!.offset,
          }),
        );
      }
      for (const p of produced) expect(p.partition).toBe(partitionForKey(p.key, P));
      // dense offsets from 0 per partition, in produce order
      for (let partition = 0; partition < P; partition += 1) {
        const offsets = produced.filter((p) => p.partition === partition).map((p) => p.offset);
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
      expect((await log.endOffsets(stream)).reduce((sum, p) => sum + p.offset, 0)).toBe(2_000);

      const reader = await track(log, { group: unique('g'), streams: [stream] });
      await pollUntil([reader], () => reader.received.length >= 2_000, '2 000 records');
      expect(reader.received).toHaveLength(2_000);
      for (let partition = 0; partition < P; partition += 1) {
        const inPartition = reader.received.filter((r) => r.partition === partition);
        expect(inPartition.map((r) => r.offset)).toEqual(inPartition.map((_, i) => i));
      }
      const byKey = new Map<string, number[]>();
      for (const r of reader.received) {
        expect(r.partition).toBe(partitionForKey(r.key, P));
        byKey.set(r.key, [...(byKey.get(r.key) ?? []), (r.value as { n: number }).n]);
      }
      for (const ns of byKey.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
      await reader.consumer.close();
    });

    it('resumes a group after its committed offsets and redelivers what was polled but not committed', async () => {
      const stream = await newStream('raw.resume');
      await log.produce(stream, numbered(200, 40));
      const group = unique('g');

      // the first worker processes what it polled but commits only part of it
      const first = await track(log, { group, streams: [stream] }, false);
      await pollUntil([first], () => first.received.length >= 100, '100 records');
      const committed = first.received.slice(0, 60);
      await first.consumer.commit(nextOffsets(committed));
      await first.consumer.close();
      expect(first.revoked.at(-1)?.lost).toBe(false);

      const second = await track(log, { group, streams: [stream] });
      await pollUntil(
        [second],
        () => second.received.length + committed.length >= 200,
        'the rest of the stream',
      );
      const secondIds = distinct(second.received);
      // nothing that was committed comes again; everything else does, including what the
      // first worker polled after its last commit
      for (const r of committed) expect(secondIds.has(id(r))).toBe(false);
      for (const r of first.received.slice(60)) expect(secondIds.has(id(r))).toBe(true);
      expect(secondIds.size + committed.length).toBe(200);
      await second.consumer.close();

      const offsets = await log.committed(group, [stream]);
      const ends = await log.endOffsets(stream);
      expect(offsets.map((o) => o.offset)).toEqual(ends.map((e) => e.offset));
    });

    it('splits partitions between two live members and delivers no record to both', async () => {
      const stream = await newStream('raw.split');
      const group = unique('g');
      const a = await track(log, { group, streams: [stream] });
      const b = await track(await open(), { group, streams: [stream] });
      await pollUntil(
        [a, b],
        () => {
          const [x, y] = [a.consumer.assignment(), b.consumer.assignment()];
          return x.length > 0 && y.length > 0 && x.length + y.length === P && !overlaps(x, y);
        },
        'both members to own partitions',
      );
      const ownedByA = a.consumer.assignment();
      const ownedByB = b.consumer.assignment();

      await log.produce(stream, numbered(400, 97));
      await pollUntil([a, b], () => a.received.length + b.received.length >= 400, '400 records');
      const [idsA, idsB] = [distinct(a.received), distinct(b.received)];
      expect(idsA.size + idsB.size).toBe(400);
      expect([...idsA].filter((x) => idsB.has(x))).toEqual([]);
      expect(overlaps(a.received, ownedByB)).toBe(false);
      expect(overlaps(b.received, ownedByA)).toBe(false);
      await Promise.all([a.consumer.close(), b.consumer.close()]);
    });

    it('hands a closing member’s partitions to the other, which receives all it had not committed', async () => {
      const stream = await newStream('raw.handover');
      const group = unique('g');
      const stays = await track(log, { group, streams: [stream] });
      const leaves = await track(await open(), { group, streams: [stream] }, false);
      await pollUntil(
        [stays, leaves],
        () =>
          stays.consumer.assignment().length > 0 &&
          leaves.consumer.assignment().length > 0 &&
          stays.consumer.assignment().length + leaves.consumer.assignment().length === P,
        'both members to own partitions',
      );
      const leaving = leaves.consumer.assignment();
      await log.produce(stream, numbered(400, 101));
      await pollUntil([stays, leaves], () => leaves.received.length >= 20, 'the leaver to read');
      await leaves.consumer.close();
      expect(leaves.revoked.flatMap((r) => r.partitions)).toEqual(expect.arrayContaining(leaving));

      await pollUntil(
        [stays],
        () => distinct(stays.received).size >= 400,
        'the stayer to receive every record',
      );
      expect(distinct(stays.received).size).toBe(400);
      const stayIds = distinct(stays.received);
      for (const r of leaves.received) expect(stayIds.has(id(r))).toBe(true);
      expect(stays.consumer.assignment()).toHaveLength(P);
      await stays.consumer.close();
    });

    it('moves a killed worker’s partitions to the other member, which receives all it had not committed', async () => {
      const stream = await newStream('raw.killed');
      const group = unique('g');
      await log.produce(stream, numbered(300, 89));

      const spec: WorkerSpec = { log: fixture.worker, group, streams: [stream], want: 50 };
      const child = fork(WORKER_FILE, [JSON.stringify(spec)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      try {
        const message = await new Promise<WorkerMessage>((resolve, reject) => {
          child.once('message', (m: WorkerMessage) =>
            m.error ? reject(new Error(m.error)) : resolve(m),
          );
          child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
        });
        const diedWith = message.received!;
        expect(diedWith.length).toBeGreaterThanOrEqual(50);
        child.kill('SIGKILL');

        const survivor = await track(log, { group, streams: [stream] });
        await pollUntil(
          [survivor],
          () => distinct(survivor.received).size >= 300,
          'the survivor to receive every record',
        );
        const ids = distinct(survivor.received);
        expect(ids.size).toBe(300);
        for (const r of diedWith) expect(ids.has(id(r))).toBe(true);
        await survivor.consumer.close();
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });

    it('resets a group to the earliest, given or latest offsets, and seeks within a consumer', async () => {
      const stream = await newStream('raw.reset');
      const group = unique('g');
      await log.produce(stream, numbered(80, 23));
      const ends = await log.endOffsets(stream);

      const reader = await track(log, { group, streams: [stream] });
      await pollUntil([reader], () => reader.received.length >= 80, '80 records');
      // a live member, still polling: the group's offsets are its own
      let reading = true;
      const keepsPolling = (async () => {
        while (reading) await reader.consumer.poll(100, { timeoutMs: 100 });
      })();
      await expect(log.resetOffsets({ group, stream, to: 'earliest' })).rejects.toBeInstanceOf(
        ConflictError,
      );
      reading = false;
      await keepsPolling;
      await reader.consumer.close();

      const earliest = await log.resetOffsets({ group, stream, to: 'earliest' });
      expect(earliest.map((c) => c.offset)).toEqual(ends.map(() => 0));
      const again = await track(log, { group, streams: [stream] });
      await pollUntil([again], () => again.received.length >= 80, 'all 80 again');
      expect(distinct(again.received).size).toBe(80);
      await again.consumer.close();

      const busiest = [...ends].sort((x, y) => y.offset - x.offset)[0]!;
      const given = await log.resetOffsets({
        group,
        stream,
        to: [{ partition: busiest.partition, offset: 3 }],
      });
      expect(given.find((c) => c.partition === busiest.partition)?.offset).toBe(3);
      const fromThree = await track(log, { group, streams: [stream] });
      await pollUntil(
        [fromThree],
        () => fromThree.received.length >= busiest.offset - 3,
        'the partition from offset 3',
      );
      expect(fromThree.received.map((r) => [r.partition, r.offset])).toEqual(
        Array.from({ length: busiest.offset - 3 }, (_, i) => [busiest.partition, 3 + i]),
      );

      // seek: re-read one partition from its start, then from a given offset, uncommitted
      fromThree.autoCommit = false;
      fromThree.received = [];
      await fromThree.consumer.seek({ stream, partition: busiest.partition, offset: 'earliest' });
      await pollUntil([fromThree], () => fromThree.received.length >= busiest.offset, 'a re-read');
      expect(fromThree.received.map((r) => r.offset)).toEqual(
        Array.from({ length: busiest.offset }, (_, i) => i),
      );
      fromThree.received = [];
      await fromThree.consumer.seek({ stream, partition: busiest.partition, offset: 5 });
      await pollUntil([fromThree], () => fromThree.received.length >= busiest.offset - 5, 'seek 5');
      expect(fromThree.received[0]?.offset).toBe(5);
      await fromThree.consumer.close();

      const latest = await log.resetOffsets({ group, stream, to: 'latest' });
      expect(latest.map((c) => c.offset)).toEqual(ends.map((e) => e.offset));
    });

    it('reports committed offsets and lag as end offset minus committed', async () => {
      const stream = await newStream('raw.lag');
      const group = unique('g');
      await log.produce(stream, numbered(120, 31));
      expect((await consumerLag(log, group, [stream])).total).toBe(120);

      const reader = await track(log, { group, streams: [stream] }, false);
      await pollUntil([reader], () => reader.received.length >= 120, '120 records');
      // commit the first half of what each partition delivered
      const half = [...new Set(reader.received.map((r) => r.partition))].flatMap((p) => {
        const inPartition = reader.received.filter((r) => r.partition === p);
        return inPartition.slice(0, Math.floor(inPartition.length / 2));
      });
      await reader.consumer.commit(nextOffsets(half));
      const lag = await consumerLag(log, group, [stream]);
      expect(lag.total).toBe(120 - half.length);
      for (const p of lag.partitions) {
        const committedHere = half.filter((r) => r.partition === p.partition).length;
        expect(p.committed ?? 0).toBe(committedHere);
        expect(p.lag).toBe(p.end - committedHere);
      }
      await reader.consumer.close();
    });

    it('round-trips 50 000 records from one produce call, count and checksum intact', async () => {
      const stream = await newStream('raw.bulk');
      const records: ProduceRecord[] = Array.from({ length: 50_000 }, (_, i) => ({
        key: `k-${String(i).padStart(6, '0')}`,
        value: createHash('sha256').update(String(i)).digest(),
      }));
      const digest = (rows: { key: string; value: unknown }[]) => {
        const hash = createHash('sha256');
        for (const r of [...rows].sort((x, y) => (x.key < y.key ? -1 : 1)))
          hash.update(r.key).update(r.value as Buffer);
        return hash.digest('hex');
      };
      const offsets = await log.produce(stream, records);
      expect(offsets).toHaveLength(50_000);

      const reader = await track(log, { group: unique('g'), streams: [stream] });
      const deadline = Date.now() + WAIT_MS;
      while (reader.received.length < 50_000 && Date.now() < deadline) {
        const batch = await reader.consumer.poll(5_000, { timeoutMs: 500 });
        reader.received.push(...batch);
        if (batch.length > 0) await commitAsAWorker(reader.consumer, batch);
      }
      expect(reader.received).toHaveLength(50_000);
      expect(distinct(reader.received).size).toBe(50_000);
      expect(digest(reader.received)).toBe(digest(records));
      await reader.consumer.close();
    });

    it('reads a partition without a group: from an offset, in order, up to its end, moving no offsets', async () => {
      const stream = await newStream('dlq.read');
      const records = numbered(40, 40).map((r, i) => ({
        ...r,
        headers: { 'connect.reason': `原因 ${i}` },
      }));
      const placed = await log.produce(stream, records);
      const partition = placed[0]!.partition;
      const inPartition = records
        .map((r, i) => ({ ...r, ...placed[i]! }))
        .filter((r) => r.partition === partition)
        .sort((a, b) => a.offset - b.offset);

      const all = await log.read({ stream, partition, offset: 0, max: 1000 });
      expect(all.map((r) => [r.offset, r.key, r.value, r.headers])).toEqual(
        inPartition.map((r) => [r.offset, r.key, r.value, r.headers]),
      );
      // nothing past retention yet: every partition still starts at 0
      expect(await log.startOffsets(stream)).toEqual(
        Array.from({ length: P }, (_, p) => ({ partition: p, offset: 0 })),
      );
      const tail = await log.read({ stream, partition, offset: 1, max: 2 });
      expect(tail.map((r) => r.offset)).toEqual(inPartition.slice(1, 3).map((r) => r.offset));
      expect(
        await log.read({ stream, partition, offset: inPartition.length + 5, max: 10 }),
      ).toEqual([]);
      await expect(log.read({ stream, partition: P, offset: 0, max: 1 })).rejects.toThrow(
        /分区号无效/,
      );
      await expect(log.read({ stream, partition, offset: 0, max: 0 })).rejects.toThrow(
        /读取条数无效/,
      );
      await expect(
        log.read({ stream: unique('dlq.missing'), partition: 0, offset: 0, max: 1 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      // a group reading the stream afterwards still starts at the beginning
      const group = unique('g');
      expect((await log.committed(group, [stream])).every((c) => c.offset === null)).toBe(true);
    });

    it('keeps headers, binary values and JSON values as they were produced', async () => {
      const stream = await newStream('dlq.values');
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const records: ProduceRecord[] = [
        {
          key: 'bytes',
          value: everyByte,
          headers: { reason: '校验失败：缺少字段 姓名', trace: 'x' },
        },
        { key: 'empty', value: Buffer.alloc(0) },
        {
          key: 'json',
          value: { 姓名: '张三', n: 1.5, list: [true, null, 'a"b\\c'], deep: { x: {} } },
        },
        { key: 'string', value: 'just text' },
        { key: 'null', value: null },
        { key: '身份证-330106199001011234', value: 42, headers: { 'content-type': 'x/y' } },
      ];
      await log.produce(stream, records);
      const reader = await track(log, { group: unique('g'), streams: [stream] });
      await pollUntil([reader], () => reader.received.length >= records.length, 'six records');
      for (const sent of records) {
        const got = reader.received.find((r) => r.key === sent.key)!;
        expect(got, sent.key).toBeDefined();
        if (Buffer.isBuffer(sent.value)) {
          expect(Buffer.isBuffer(got.value)).toBe(true);
          expect((got.value as Buffer).equals(sent.value)).toBe(true);
        } else {
          expect(got.value).toEqual(sent.value);
        }
        expect(got.headers).toEqual(sent.headers ?? {});
        expect(got.timestamp).toBeGreaterThan(Date.UTC(2020, 0, 1));
      }
      await reader.consumer.close();
    });
  });
}
