import type { components as CatalogComponents } from '@gx/schemas/generated/catalog';
import type { paths as ExchangePaths } from '@gx/schemas/generated/exchange-api';
import { catalogClient, connectorsClient, exchangeClient } from '../../api/clients.ts';
import { required } from '../../api/errors.ts';
import { bearer, hasAnyRole, type Staff } from '../staff.ts';

export type ExchangeReport =
  ExchangePaths['/v1/reports/exchange']['get']['responses']['200']['content']['application/json'];
type EvidenceVerificationStatus =
  ExchangePaths['/v1/evidence/verification']['get']['responses']['200']['content']['application/json'];

/** One department's row of the catalog's `GET /v1/reports/departments`. */
export interface DepartmentFigures {
  code: string;
  name: string;
  regionName: string;
  total: number;
  byStatus: { draft: number; in_review: number; published: number; retired: number };
  shareable: number;
  openable: number;
  shareableShare: number | null;
  openableShare: number | null;
  overdue: number;
}

/** One entry of the catalog's `GET /v1/reports/overdue`. */
export interface OverdueResource {
  code: string;
  name: string;
  departmentCode: string;
  departmentName: string;
  updateCycle: string;
  lastUpdatedAt: string;
  dueAt: string;
  daysOverdue: number;
}

/**
 * A statutory function no current entry cites, or a published entry citing no function (the
 * catalog's `GET /v1/reports/gaps`), with its department.
 */
export type GapEntry = CatalogComponents['schemas']['GapEntry'];

export interface DeadLetterCount {
  connector: string;
  kind: string;
  department: string;
  count: number;
}

export type EvidenceStatus =
  { visible: true; result: EvidenceVerificationStatus } | { visible: false };

export interface DashboardFigures {
  /** the department shown, or null for the whole city */
  scope: { code: string; name: string } | null;
  /** a department was asked for that the caller may not see (or that does not exist) */
  refused: boolean;
  /** the departments the caller may choose between (the catalog's scope) */
  choices: { code: string; name: string }[];
  departments: DepartmentFigures[];
  totals: {
    total: number;
    byStatus: DepartmentFigures['byStatus'];
    shareable: number;
    openable: number;
    shareableShare: number | null;
    openableShare: number | null;
    overdue: number;
  };
  overdue: OverdueResource[];
  /** 职责与资源缺口: functions without a resource, published resources without a function */
  gaps: { functionsWithoutResource: GapEntry[]; resourcesWithoutFunction: GapEntry[] };
  exchange: ExchangeReport;
  /** null when the caller may not see connectors (auditors, approvers) */
  deadLetters: DeadLetterCount[] | null;
  evidence: EvidenceStatus;
}

const CONNECTOR_ROLES = ['platform-admin', 'steward'] as const;
const EVIDENCE_ROLES = ['platform-admin', 'auditor'] as const;

async function exchangeReport(staff: Staff, department: string | undefined) {
  const answer = await exchangeClient().GET('/v1/reports/exchange', {
    params: { query: department ? { department } : {} },
    headers: bearer(staff),
  });
  if (department && (answer.response.status === 404 || answer.response.status === 400))
    return undefined;
  return required('exchange-api', answer);
}

async function deadLetterCounts(staff: Staff): Promise<DeadLetterCount[] | null> {
  if (!hasAnyRole(staff, CONNECTOR_ROLES)) return null;
  const connectors = required(
    'connectors',
    await connectorsClient().GET('/v1/connectors', { headers: bearer(staff) }),
  ).items;
  return Promise.all(
    connectors.map(async (c) => {
      const page = required(
        'connectors',
        await connectorsClient().GET('/v1/connectors/{name}/dead-letters', {
          params: { path: { name: c.name }, query: { limit: 1 } },
          headers: bearer(staff),
        }),
      );
      return { connector: c.name, kind: c.kind, department: c.department, count: page.total };
    }),
  );
}

async function evidenceStatus(staff: Staff): Promise<EvidenceStatus> {
  if (!hasAnyRole(staff, EVIDENCE_ROLES)) return { visible: false };
  const result = required(
    'exchange-api',
    // the latest scheduled verification: the page never walks the chain itself
    await exchangeClient().GET('/v1/evidence/verification', { headers: bearer(staff) }),
  );
  return { visible: true, result };
}

const share = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;

function totalsOf(departments: DepartmentFigures[]): DashboardFigures['totals'] {
  const sum = (pick: (d: DepartmentFigures) => number) =>
    departments.reduce((s, d) => s + pick(d), 0);
  const published = sum((d) => d.byStatus.published);
  const shareable = sum((d) => d.shareable);
  const openable = sum((d) => d.openable);
  return {
    total: sum((d) => d.total),
    byStatus: {
      draft: sum((d) => d.byStatus.draft),
      in_review: sum((d) => d.byStatus.in_review),
      published,
      retired: sum((d) => d.byStatus.retired),
    },
    shareable,
    openable,
    shareableShare: share(shareable, published),
    openableShare: share(openable, published),
    overdue: sum((d) => d.overdue),
  };
}

/**
 * Every figure of 数据看板, fetched with the member of staff's own token. Which departments
 * they see is the APIs' decision (the catalog's report scope, for its gaps report too, the
 * exchange's `report.read`, the connectors' `connector.manage`); the page only narrows to the
 * department asked for. The dashboard page and its CSV export both read this, so they cannot
 * disagree.
 */
export async function dashboardFigures(
  staff: Staff,
  department: string | undefined,
): Promise<DashboardFigures> {
  const asked = await exchangeReport(staff, department);
  const refused = department !== undefined && asked === undefined;
  const [exchange, catalogReport, overdueReport, gapReport, deadLetters, evidence] =
    await Promise.all([
      asked ?? exchangeReport(staff, undefined).then((r) => r!),
      catalogClient()
        .GET('/v1/reports/departments', { headers: bearer(staff) })
        .then((a) => required('catalog', a)),
      catalogClient()
        .GET('/v1/reports/overdue', { headers: bearer(staff) })
        .then((a) => required('catalog', a)),
      catalogClient()
        .GET('/v1/reports/gaps', { headers: bearer(staff) })
        .then((a) => required('catalog', a)),
      deadLetterCounts(staff),
      evidenceStatus(staff),
    ]);
  const all = catalogReport.departments as unknown as DepartmentFigures[];
  const only = exchange.departmentCode;
  const departments = only ? all.filter((d) => d.code === only) : all;
  const scopeRow = only ? all.find((d) => d.code === only) : undefined;
  const inScope = (g: GapEntry) => !only || g.departmentCode === only;
  return {
    scope: only ? { code: only, name: scopeRow?.name ?? only } : null,
    refused,
    choices: all.map((d) => ({ code: d.code, name: d.name })),
    departments,
    totals: totalsOf(departments),
    overdue: (overdueReport.items as unknown as OverdueResource[]).filter(
      (r) => !only || r.departmentCode === only,
    ),
    gaps: {
      functionsWithoutResource: gapReport.functionsWithoutResource.filter(inScope),
      resourcesWithoutFunction: gapReport.resourcesWithoutFunction.filter(inScope),
    },
    exchange,
    deadLetters: deadLetters && deadLetters.filter((d) => !only || d.department === only),
    evidence,
  };
}
