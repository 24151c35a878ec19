import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { dataAuthorityCodes } from '../resources/loadResource.ts';
import { DAYS_OVERDUE_SQL, reportScope } from './reportScope.ts';

interface Row {
  code: string;
  name: string;
  region_code: string;
  region_name: string;
  total: number;
  draft: number;
  in_review: number;
  published: number;
  retired: number;
  shareable: number;
  openable: number;
  overdue: number;
}

/**
 * Per department: entries by status, and among published ones how many are shareable
 * (无条件/有条件共享) and openable (无条件/有条件开放), and how many are overdue for their
 * update cycle. Shares are of published entries.
 */
export async function departmentReport({ prisma, actor }: { prisma: PrismaClient; actor: Actor }) {
  const only = reportScope(actor, await dataAuthorityCodes(prisma));
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    `SELECT d.code, d.name, g.code AS region_code, g.name AS region_name,
            count(r.id)::int AS total,
            count(r.id) FILTER (WHERE r.status = 'draft')::int AS draft,
            count(r.id) FILTER (WHERE r.status = 'in_review')::int AS in_review,
            count(r.id) FILTER (WHERE r.status = 'published')::int AS published,
            count(r.id) FILTER (WHERE r.status = 'retired')::int AS retired,
            count(r.id) FILTER (WHERE r.status = 'published' AND r.sharing_type <> 'none')::int AS shareable,
            count(r.id) FILTER (WHERE r.status = 'published' AND r.open_type <> 'none')::int AS openable,
            count(r.id) FILTER (WHERE r.status = 'published'
              AND ${DAYS_OVERDUE_SQL} > 0)::int AS overdue
       FROM departments d
       JOIN regions g ON g.id = d.region_id
       LEFT JOIN resources r ON r.provider_id = d.id
      WHERE ($1::text IS NULL OR d.code = $1)
      GROUP BY d.code, d.name, g.code, g.name
      ORDER BY d.code`,
    only ?? null,
  );
  const share = (part: number, whole: number) =>
    whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;
  const departments = rows.map((r) => ({
    code: r.code,
    name: r.name,
    regionCode: r.region_code,
    regionName: r.region_name,
    total: r.total,
    byStatus: {
      draft: r.draft,
      in_review: r.in_review,
      published: r.published,
      retired: r.retired,
    },
    shareable: r.shareable,
    openable: r.openable,
    shareableShare: share(r.shareable, r.published),
    openableShare: share(r.openable, r.published),
    overdue: r.overdue,
  }));
  const sum = (pick: (d: (typeof departments)[number]) => number) =>
    departments.reduce((s, d) => s + pick(d), 0);
  const published = sum((d) => d.byStatus.published);
  return {
    departments,
    totals: {
      total: sum((d) => d.total),
      published,
      shareable: sum((d) => d.shareable),
      openable: sum((d) => d.openable),
      shareableShare: share(
        sum((d) => d.shareable),
        published,
      ),
      openableShare: share(
        sum((d) => d.openable),
        published,
      ),
      overdue: sum((d) => d.overdue),
    },
  };
}
