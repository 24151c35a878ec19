import type { PrismaClient } from '@gx/migrations';
import {
  authorize,
  ConflictError,
  InputError,
  NotFoundError,
  type Actor,
  type FieldProblem,
} from '@gx/platform';
import { createResource } from '../resources/createResource.ts';
import type { ResourceInput } from '../resources/resourceInput.ts';
import { RESOURCE_INCLUDE, resourceView, toResourceInput } from '../resources/resourceView.ts';
import { resourceStatusLabel } from '../resources/statusLabel.ts';
import { updateResource } from '../resources/updateResource.ts';
import {
  assembleWorkbook,
  type AssembledResource,
  type AssembledWorkbook,
} from './assembleWorkbook.ts';
import { joinTransaction } from './joinTransaction.ts';
import type { CellContext } from './parseCell.ts';
import { readWorkbook } from './readWorkbook.ts';
import { withCellValues, WorkbookRejectedError, type WorkbookProblem } from './workbookProblems.ts';

export type ImportPhase = 'reading' | 'validating' | 'writing';

export interface ImportProgress {
  phase: ImportPhase;
  /** rows of both sheets done in this phase */
  processedRows: number;
  /** null while reading: the number of rows is known only at the end of the file */
  totalRows: number | null;
}

export interface ImportResult {
  dryRun: boolean;
  created: number;
  updated: number;
  /** rows of resources that are not drafts, the same as in the directory: left as they are */
  unchanged: number;
  items: number;
  resources: {
    row: number;
    action: 'create' | 'update' | 'unchanged';
    code: string | null;
    name: string;
  }[];
}

export interface ImportWorkbookOptions {
  prisma: PrismaClient;
  actor: Actor;
  /** the .xlsx file */
  file: Buffer;
  /** check everything, write nothing */
  dryRun?: boolean;
  /** wrong cells of a refused file say what they held (`value`) */
  cellValues?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

/** The interactive transaction may run this long per resource (plus a minute), at most 30 min. */
const WRITE_MS_PER_RESOURCE = 250;
const WRITE_MS_MAX = 30 * 60_000;

/** The importer's department: what its cells resolve against. */
async function cellContext(prisma: PrismaClient, departmentCode: string): Promise<CellContext> {
  const department = await prisma.department.findUnique({
    where: { code: departmentCode },
    select: { id: true, code: true, name: true, shortName: true },
  });
  if (!department) throw new NotFoundError(`没有部门 ${departmentCode}`);
  const [themes, functions] = await Promise.all([
    prisma.theme.findMany({ select: { code: true, name: true }, orderBy: { position: 'asc' } }),
    prisma.statutoryFunction.findMany({
      where: { departmentId: department.id },
      select: { code: true, name: true },
      orderBy: { code: 'asc' },
    }),
  ]);
  return { themes, department, functions };
}

/** Where a resource that is not a draft is changed instead of through an import. */
const REVISE_HINTS: Record<string, string> = {
  published: '请先在管理控制台中对该资源「修订」，使其重新成为草稿，再修改或导入',
  in_review: '请等待审核结果：驳回后资源回到草稿，发布后可在管理控制台中「修订」',
  retired: '请先在管理控制台中对该资源「修订」，使其重新成为草稿，再修改或导入',
};

/**
 * A directory entry in a comparable form: what the import would write, with blanks (null,
 * '', [], false) and defaults left out, so that an exported row read back equals its entry.
 */
function comparable(input: Omit<Partial<ResourceInput>, 'providerCode'>): string {
  const clean = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const v = (value as Record<string, unknown>)[key];
        if (v === null || v === undefined || v === '' || v === false) continue;
        if (Array.isArray(v) && v.length === 0) continue;
        if (key === 'dataGrade' && v === 'general') continue;
        out[key] = clean(v);
      }
      return out;
    }
    return typeof value === 'string' ? value.trim() : value;
  };
  return JSON.stringify(clean(input));
}

/**
 * Rows that name an existing resource must name one of the importer's department. A draft is
 * replaced; a resource in any other state (published, in review, retired) and a copy harvested
 * from another catalogue may only appear unchanged — as in an export of the department read
 * back — and are then left as they are. Returns the problems and the codes of such unchanged
 * rows.
 */
async function existingResourceProblems(
  prisma: PrismaClient,
  departmentCode: string,
  workbook: AssembledWorkbook,
): Promise<{
  problems: WorkbookProblem[];
  unchanged: Set<string>;
  excused: Set<WorkbookProblem>;
}> {
  const rows = workbook.codedRows;
  const unchanged = new Set<string>();
  const excused = new Set<WorkbookProblem>();
  const codes = rows.map((r) => r.code);
  if (codes.length === 0) return { problems: [], unchanged, excused };
  const found = await prisma.resource.findMany({
    where: { code: { in: codes } },
    select: {
      code: true,
      status: true,
      provider: { select: { code: true } },
      harvestSource: { select: { name: true } },
    },
  });
  const byCode = new Map(found.map((r) => [r.code, r]));
  // harvested copies too: an export of the department carries them like its own entries
  const settled = found.filter(
    (r) => (r.status !== 'draft' || r.harvestSource) && r.provider.code === departmentCode,
  );
  const stored = new Map(
    (
      await prisma.resource.findMany({
        where: { code: { in: settled.map((r) => r.code) } },
        include: RESOURCE_INCLUDE,
      })
    ).map((row) => {
      const { providerCode: _provider, ...entry } = toResourceInput(resourceView(row));
      return [row.code, comparable(entry)];
    }),
  );
  const problems: WorkbookProblem[] = [];
  for (const resource of rows) {
    const existing = byCode.get(resource.code);
    if (!existing || existing.provider.code !== departmentCode) {
      problems.push(
        resource.problemAt(
          'code',
          `本部门没有资源代码为 ${resource.code} 的信息资源；新编目的资源请清空资源代码`,
        ),
      );
    } else if (existing.status !== 'draft' || existing.harvestSource) {
      // a row whose cells all parsed is compared as it stands: an unchanged one is written
      // nowhere, so the authoring rules do not apply to it (a harvested copy need not meet
      // them: a CKAN dataset has no 信息项)
      const { providerCode: _provider, ...input } = resource.input ?? {};
      if (resource.input && comparable(input) === stored.get(resource.code)) {
        unchanged.add(resource.code);
        for (const problem of resource.ruleProblems) excused.add(problem);
        continue;
      }
      // a harvested copy is read-only for everyone (the API answers 409): its source's catalogue
      // maintains it and no step in this console makes it editable, so that is all there is to
      // say about its row (not the authoring rules it cannot be brought to meet here)
      if (existing.harvestSource) for (const problem of resource.ruleProblems) excused.add(problem);
      const why = existing.harvestSource
        ? `资源 ${resource.code} 由 ${existing.harvestSource.name} 采集，由来源目录维护，此行与目录中的内容不同，不能通过导入修改；请在来源目录修改，下次采集时随之更新`
        : `资源 ${resource.code} 当前状态为「${resourceStatusLabel(existing.status)}」，此行与目录中的内容不同，不能通过导入修改（只有草稿可以）；${REVISE_HINTS[existing.status] ?? '请在管理控制台中修改'}`;
      problems.push(
        resource.problemAt(
          'code',
          `${why}。不修改此资源时请保持此行与导出时一致，或删除此行及其信息项`,
        ),
      );
    }
  }
  return { problems, unchanged, excused };
}

/**
 * New rows (no 资源代码) named like an entry the department already has, or like another new
 * row of the file: importing the same file twice, or a row meant to update an entry whose code
 * was left out, would otherwise catalogue the resource twice without a word. The problem is at
 * the name's cell and says which entry it is, so the steward fills in its code or renames.
 */
async function sameNameProblems(
  prisma: PrismaClient,
  departmentCode: string,
  workbook: AssembledWorkbook,
): Promise<WorkbookProblem[]> {
  const fresh = workbook.resources.filter((r) => !r.code);
  if (fresh.length === 0) return [];
  const names = [...new Set(fresh.map((r) => r.input.name.trim()))];
  const existing = await prisma.resource.findMany({
    where: { provider: { code: departmentCode }, name: { in: names } },
    select: { code: true, name: true, status: true },
    orderBy: { code: 'asc' },
  });
  const byName = new Map<string, (typeof existing)[number]>();
  for (const entry of existing) if (!byName.has(entry.name)) byName.set(entry.name, entry);
  const firstRow = new Map<string, number>();
  const problems: WorkbookProblem[] = [];
  for (const resource of fresh) {
    const name = resource.input.name.trim();
    const entry = byName.get(name);
    const earlier = firstRow.get(name);
    if (entry) {
      problems.push(
        resource.problemAt(
          'name',
          `本部门已有同名信息资源 ${entry.code}（${resourceStatusLabel(entry.status)}）；要修改它，请在此行填写资源代码 ${entry.code}，确属另一资源请换一个名称`,
        ),
      );
    } else if (earlier !== undefined) {
      problems.push(
        resource.problemAt(
          'name',
          `与第 ${earlier} 行的新资源同名；同一资源只需一行，确属不同资源请换一个名称`,
        ),
      );
    } else {
      firstRow.set(name, resource.row);
    }
  }
  return problems;
}

/** A write-phase failure of one resource, told at its row; InputErrors become cell problems. */
function atRow(resource: AssembledResource, error: unknown): unknown {
  if (error instanceof InputError && !(error instanceof WorkbookRejectedError)) {
    const errors = (error.extensions.errors ?? []) as FieldProblem[];
    return new WorkbookRejectedError(resource.locate(errors, error.message));
  }
  if (error instanceof NotFoundError) {
    return new WorkbookRejectedError([
      resource.problemAt('code', `本部门没有资源代码为 ${resource.code ?? ''} 的信息资源`),
    ]);
  }
  if (error instanceof ConflictError) {
    return new ConflictError(
      `「信息资源」表第 ${resource.row} 行（${resource.code ?? resource.input.name}）：${error.message}。未导入任何内容`,
    );
  }
  return error;
}

/**
 * A steward imports a directory workbook (sheets 信息资源 and 信息项) for their department.
 *
 * All or nothing: every row is checked first and any problem refuses the whole file with every
 * problem at its cell (WorkbookRejectedError). Then rows without 资源代码 become new drafts and
 * rows with one replace that draft; rows of resources that are not drafts (published, in review,
 * retired) pass only unchanged, as an export of the department has them, and are left as they
 * are (`unchanged`), so an edited export can be imported again. Drafts are written through
 * the same use-cases as the API (createResource / updateResource with history action
 * `import`), all inside one database transaction: a failure while writing (a concurrent edit,
 * a database error) rolls back every row already written.
 */
export async function importWorkbook({
  prisma,
  actor,
  file,
  dryRun = false,
  cellValues = false,
  onProgress = () => {},
}: ImportWorkbookOptions): Promise<ImportResult> {
  const departmentCode =
    actor.kind === 'user' || actor.kind === 'system' ? actor.departmentCode : undefined;
  authorize(actor, 'resource.manage', { departmentCode }, 'write');
  const context = await cellContext(prisma, departmentCode!);

  onProgress({ phase: 'reading', processedRows: 0, totalRows: null });
  const sheets = await readWorkbook(file, {
    onRows: (rows) => onProgress({ phase: 'reading', processedRows: rows, totalRows: null }),
  });
  const workbook = assembleWorkbook(sheets, context);
  const { totalRows } = workbook;
  onProgress({ phase: 'validating', processedRows: 0, totalRows });
  const existing = await existingResourceProblems(prisma, context.department.code, workbook);
  const problems = [
    ...workbook.problems.filter((p) => !existing.excused.has(p)),
    ...existing.problems,
    ...(await sameNameProblems(prisma, context.department.code, workbook)),
  ];
  if (problems.length > 0) {
    throw new WorkbookRejectedError(
      cellValues ? withCellValues(problems, [sheets.resources, sheets.items]) : problems,
    );
  }
  // the rows to import: the sound ones, and unchanged rows the directory's rules were waived for
  const sound = new Set(workbook.resources.map((r) => r.code));
  const rows = [
    ...workbook.resources,
    ...workbook.codedRows.filter((r) => existing.unchanged.has(r.code) && !sound.has(r.code)),
  ].sort((a, b) => a.row - b.row);
  if (rows.length === 0) {
    throw new WorkbookRejectedError(
      [],
      `「信息资源」表中没有数据行，未导入任何内容（第 1 行是列标题，从第 2 行开始填写）`,
    );
  }
  onProgress({ phase: 'validating', processedRows: totalRows, totalRows });

  const resources: ImportResult['resources'] = rows.map((r) => ({
    row: r.row,
    action: !r.code ? 'create' : existing.unchanged.has(r.code) ? 'unchanged' : 'update',
    code: r.code ?? null,
    name: r.input!.name,
  }));
  const items = rows.reduce((n, r) => n + r.itemRows.length, 0);
  const summary = (dry: boolean): ImportResult => ({
    dryRun: dry,
    created: resources.filter((r) => r.action === 'create').length,
    updated: resources.filter((r) => r.action === 'update').length,
    unchanged: resources.filter((r) => r.action === 'unchanged').length,
    items,
    resources,
  });
  if (dryRun) return summary(true);

  onProgress({ phase: 'writing', processedRows: 0, totalRows });
  await prisma.$transaction(
    async (tx) => {
      const client = joinTransaction(tx);
      let processedRows = 0;
      for (const [index, row] of rows.entries()) {
        processedRows += 1 + row.itemRows.length;
        if (resources[index]!.action === 'unchanged' || !('locate' in row)) {
          onProgress({ phase: 'writing', processedRows, totalRows });
          continue;
        }
        const resource = row;
        try {
          const view = resource.code
            ? await updateResource({
                prisma: client,
                actor,
                code: resource.code,
                input: resource.input,
                action: 'import',
              })
            : await createResource({
                prisma: client,
                actor,
                input: resource.input,
                action: 'import',
              });
          resources[index]!.code = view.code;
        } catch (error) {
          throw atRow(resource, error);
        }
        onProgress({ phase: 'writing', processedRows, totalRows });
      }
    },
    {
      maxWait: 10_000,
      timeout: Math.min(WRITE_MS_MAX, 60_000 + WRITE_MS_PER_RESOURCE * workbook.resources.length),
    },
  );
  return summary(false);
}
