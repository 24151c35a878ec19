/**
 * The plans of the directory search's statements over the catalogSearch benchmark's 470 000
 * entries: run the benchmark once with `CATALOG_SEARCH_KEEP=1`, then
 *
 *   npx tsx bench/src/probes/searchExplain.ts 市场监管局 [staff] [--timing]
 *
 * `staff` searches as a steward of the first department (else anonymously). The probe runs
 * `searchResources` as the portal does, then `EXPLAIN (ANALYZE, BUFFERS)` each statement it sent;
 * `--timing` instead repeats the search 20 times and prints the median and the slowest.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Prisma, type PrismaClient } from '@gx/migrations';
import { createDatabase, EmbeddedPostgres, type Actor } from '@gx/platform';
import { freePort } from '@gx/platform/testing';
import { searchResources } from '../../../catalog/src/domain/search/searchResources.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const [q = '市场监管局', ...flags] = process.argv.slice(2);

const embedded = new EmbeddedPostgres({
  dataDir: path.join(repoRoot, '.data/bench/catalogSearch'),
  port: Number(process.env.PROBE_PG_PORT) || (await freePort()),
  database: 'catalog_search_bench',
});
const url = await embedded.start();
const db = createDatabase({ url, max: 2 });
const client = new pg.Client({ connectionString: url });
await client.connect();
try {
  let actor: Actor = { kind: 'anonymous' };
  if (flags.includes('staff')) {
    const { rows } = await client.query<{ code: string }>(
      'SELECT code FROM departments ORDER BY code LIMIT 1',
    );
    actor = {
      kind: 'user',
      subject: 'probe',
      username: 'probe',
      departmentCode: rows[0]!.code,
      roles: ['steward'],
    };
  }
  const sent: Prisma.Sql[] = [];
  const recording = new Proxy(db.prisma, {
    get(target, key, receiver) {
      if (key !== '$queryRaw') return Reflect.get(target, key, receiver) as unknown;
      return (strings: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => {
        const sql = Array.isArray(strings)
          ? Prisma.sql(strings as TemplateStringsArray, ...values)
          : (strings as Prisma.Sql);
        sent.push(sql);
        return target.$queryRaw(sql);
      };
    },
  }) as PrismaClient;
  const search = () => searchResources({ prisma: recording, actor, q, filters: {}, pageSize: 20 });
  if (flags.includes('--timing')) {
    const ms: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const t = performance.now();
      await search();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    process.stdout.write(
      `${q}: median ${ms[10]!.toFixed(1)} ms, slowest ${ms.at(-1)!.toFixed(1)} ms\n`,
    );
  } else {
    const result = await search();
    process.stdout.write(`${q}: ${result.total} matches (${result.mode})\n`);
    for (const sql of sent) {
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql.text}`,
        sql.values,
      );
      process.stdout.write(`\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
    }
  }
} finally {
  await client.end();
  await db.close();
  await embedded.stop();
}
