import type { PrismaClient } from '@gx/migrations';
import {
  authorize,
  ConflictError,
  InputError,
  NotFoundError,
  type Actor,
  type FieldProblem,
} from '@gx/platform';
import { harvestedMessage } from '../harvest/assertNotHarvested.ts';
import { createResource } from '../resources/createResource.ts';
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
  items: number;
  resources: { row: number; action: 'create' | 'update'; code: string | null; name: string }[];
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

/** Rows that name an existing resource must name a draft of the importer's department. */
async function existingDraftProblems(
  prisma: PrismaClient,
  departmentCode: string,
  resources: AssembledWorkbook['codedRows'],
): Promise<WorkbookProblem[]> {
  const codes = resources.map((r) => r.code);
  if (codes.length === 0) return [];
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
  const problems: WorkbookProblem[] = [];
  for (const resource of resources) {
    const existing = byCode.get(resource.code);
    // a harvested copy is read-only for everyone: the same 409 the API gives, at its cell
    if (existing?.harvestSource && existing.provider.code === departmentCode) {
      const at = resource.problemAt('code', '').path;
      throw new ConflictError(
        `${at}（${resource.code}）：${harvestedMessage(existing.harvestSource.name)}。未导入任何内容`,
      );
    }
    if (!existing || existing.provider.code !== departmentCode) {
      problems.push(
        resource.problemAt(
          'code',
          `本部门没有资源代码为 ${resource.code} 的信息资源；新编目的资源请清空资源代码`,
        ),
      );
    } else if (existing.status !== 'draft') {
      problems.push(
        resource.problemAt(
          'code',
          `资源 ${resource.code} 当前状态为「${resourceStatusLabel(existing.status)}」，只有草稿可以通过导入修改；已发布的资源请先在目录中「修订」`,
        ),
      );
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
 * rows with one replace that draft, through the same use-cases as the API (createResource /
 * updateResource with history action `import`), all inside one database transaction: a failure
 * while writing (a concurrent edit, a database error) rolls back every row already written.
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
  const problems = [
    ...workbook.problems,
    ...(await existingDraftProblems(prisma, context.department.code, workbook.codedRows)),
  ];
  if (problems.length > 0) {
    throw new WorkbookRejectedError(
      cellValues ? withCellValues(problems, [sheets.resources, sheets.items]) : problems,
    );
  }
  if (workbook.resources.length === 0) {
    throw new WorkbookRejectedError(
      [],
      `「信息资源」表中没有数据行，未导入任何内容（第 1 行是列标题，从第 2 行开始填写）`,
    );
  }
  onProgress({ phase: 'validating', processedRows: totalRows, totalRows });

  const resources: ImportResult['resources'] = workbook.resources.map((r) => ({
    row: r.row,
    action: r.code ? 'update' : 'create',
    code: r.code ?? null,
    name: r.input.name,
  }));
  const items = workbook.resources.reduce((n, r) => n + r.itemRows.length, 0);
  const summary = (dry: boolean): ImportResult => ({
    dryRun: dry,
    created: resources.filter((r) => r.action === 'create').length,
    updated: resources.filter((r) => r.action === 'update').length,
    items,
    resources,
  });
  if (dryRun) return summary(true);

  onProgress({ phase: 'writing', processedRows: 0, totalRows });
  await prisma.$transaction(
    async (tx) => {
      const client = joinTransaction(tx);
      let processedRows = 0;
      for (const [index, resource] of workbook.resources.entries()) {
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
        processedRows += 1 + resource.itemRows.length;
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
