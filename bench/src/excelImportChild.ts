/**
 * One measured run of the excelImport benchmark, in its own process so that its peak RSS is
 * its own: `node --import tsx excelImportChild.ts <mode> <databaseUrl> <workbook> <resources> <items>`.
 *
 * - `import`: `importWorkbook` as `POST /v1/excel/import` runs it (read, check every cell and
 *   resource, write all drafts through createResource in one transaction);
 * - `parse`: only reading and checking the workbook (the import's first half);
 * - `insert`: the same resources and items written with raw multi-row INSERTs in one
 *   transaction, no workbook, no validation, no history, no search document.
 *
 * Prints one line `EXCEL_CHILD {"ms":…,"peakRssMb":…,"startRssMb":…,"addedHeapMb":…,…}`.
 */
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { createDatabase, type Actor } from '@gx/platform';
import { assembleWorkbook } from '../../catalog/src/domain/excel/assembleWorkbook.ts';
import { importWorkbook } from '../../catalog/src/domain/excel/importWorkbook.ts';
import { readWorkbook } from '../../catalog/src/domain/excel/readWorkbook.ts';
import { generateResources } from './excelWorkbookGenerator.ts';

const [mode, url, workbookPath, resourceCount, itemsPerResource] = process.argv.slice(2);
const STEWARD: Actor = {
  kind: 'user',
  subject: 'bench-steward',
  username: 'steward.hz-gaj',
  departmentCode: 'hz-gaj',
  regionCode: '330100000000',
  roles: ['steward'],
};
const MB = 1024 * 1024;

async function rawInsert(pool: pg.Pool): Promise<number> {
  const resources = generateResources(Number(resourceCount), Number(itemsPerResource));
  const client = await pool.connect();
  try {
    const provider = await client.query<{ id: string; usc: string }>(
      `SELECT id, unified_social_credit_code AS usc FROM departments WHERE code = 'hz-gaj'`,
    );
    const themes = await client.query<{ code: string; name: string }>(
      'SELECT code, name FROM themes',
    );
    const themeCode = new Map(themes.rows.map((t) => [t.name, t.code]));
    const { id: providerId, usc } = provider.rows[0]!;
    await client.query('BEGIN');
    let rows = 0;
    for (let start = 0; start < resources.length; start += 500) {
      const batch = resources.slice(start, start + 500);
      const params: unknown[] = [];
      const tuples = batch.map((r) => {
        const values = [
          `101001001-${usc.slice(8, 17)}-${String(r.seq).padStart(6, '0')}`,
          r.name,
          r.abstract,
          providerId,
          themeCode.get(r.themeName),
          r.keywords,
          r.format,
          r.sharingType,
          r.sharingConditions,
          r.sharingMethods,
          r.sharingLegalBasis,
          r.openType,
          r.openConditions,
          r.updateCycle,
          '王敏',
          '0571-87280000',
          'steward.hz-gaj',
        ];
        const base = params.length;
        params.push(...values);
        return `(${values.map((_, i) => `$${base + i + 1}`).join(', ')})`;
      });
      const inserted = await client.query<{ id: string; code: string }>(
        `INSERT INTO resources (code, name, abstract, provider_id, theme_code, keywords, format,
           sharing_type, sharing_conditions, sharing_methods, sharing_legal_basis, open_type,
           open_conditions, update_cycle, contact_name, contact_phone, created_by)
         VALUES ${tuples.join(', ')} RETURNING id, code`,
        params,
      );
      rows += batch.length;
      const idBySeq = new Map(inserted.rows.map((r) => [Number(r.code.slice(-6)), r.id]));
      const itemParams: unknown[] = [];
      const itemTuples: string[] = [];
      for (const r of batch) {
        r.items.forEach((item, position) => {
          const values = [
            idBySeq.get(r.seq),
            position,
            item.name,
            item.label,
            item.dataType,
            item.maxLength,
            item.isPersonal,
            item.isKey,
            item.isKey,
          ];
          const base = itemParams.length;
          itemParams.push(...values);
          itemTuples.push(`(${values.map((_, i) => `$${base + i + 1}`).join(', ')})`);
        });
      }
      await client.query(
        `INSERT INTO information_items (resource_id, position, name, label, data_type, max_length,
           is_personal, is_required, is_key) VALUES ${itemTuples.join(', ')}`,
        itemParams,
      );
      rows += itemTuples.length;
    }
    await client.query('COMMIT');
    return rows;
  } finally {
    client.release();
  }
}

async function main() {
  const db = createDatabase({ url: url!, max: 4, applicationName: `bench-excel-${mode}` });
  const file = await readFile(workbookPath!);
  // the import's own memory is what it adds to a process that already holds the upload
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  const startHeap = process.memoryUsage().heapUsed;
  let peakRss = startRss;
  let peakHeap = startHeap;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 10);
  const started = process.hrtime.bigint();
  let rows = 0;
  let detail: Record<string, unknown> = {};
  try {
    if (mode === 'import') {
      const result = await importWorkbook({ prisma: db.prisma, actor: STEWARD, file });
      rows = result.resources.length + result.items;
      detail = { created: result.created, items: result.items };
    } else if (mode === 'parse') {
      const department = await db.prisma.department.findUniqueOrThrow({
        where: { code: 'hz-gaj' },
      });
      const themes = await db.prisma.theme.findMany({ select: { code: true, name: true } });
      const workbook = assembleWorkbook(await readWorkbook(file), {
        themes,
        department,
        functions: [],
      });
      if (workbook.problems.length > 0) {
        throw new Error(`generated workbook has problems: ${JSON.stringify(workbook.problems[0])}`);
      }
      rows = workbook.totalRows;
    } else if (mode === 'insert') {
      rows = await rawInsert(db.pool);
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await db.close();
  process.stdout.write(
    `EXCEL_CHILD ${JSON.stringify({
      mode,
      ms,
      rows,
      startRssMb: startRss / MB,
      peakRssMb: peakRss / MB,
      // heap in use (live objects and not yet collected garbage) above the start
      addedHeapMb: (peakHeap - startHeap) / MB,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      fileBytes: file.length,
      ...detail,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
