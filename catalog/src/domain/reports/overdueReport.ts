import type { PrismaClient } from '@gx/migrations';
import type { Actor } from '@gx/platform';
import { dataAuthorityCodes } from '../resources/loadResource.ts';
import { DAYS_OVERDUE_SQL, DUE_AT_SQL, reportScope } from './reportScope.ts';

interface Row {
  code: string;
  name: string;
  department_code: string;
  department_name: string;
  update_cycle: string;
  last_updated_at: Date;
  due_at: Date;
  days_overdue: number;
}

/**
 * Published entries whose data is older than their update cycle allows, most overdue first:
 * overdue from the calendar day (Asia/Shanghai) after the due date, by whole days.
 */
export async function overdueReport({ prisma, actor }: { prisma: PrismaClient; actor: Actor }) {
  const only = reportScope(actor, await dataAuthorityCodes(prisma));
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    `SELECT r.code, r.name, d.code AS department_code, d.name AS department_name, r.update_cycle::text,
            coalesce(r.data_updated_at, r.published_at) AS last_updated_at,
            ${DUE_AT_SQL} AS due_at,
            ${DAYS_OVERDUE_SQL} AS days_overdue
       FROM resources r JOIN departments d ON d.id = r.provider_id
      WHERE r.status = 'published'
        AND ${DAYS_OVERDUE_SQL} > 0
        AND ($1::text IS NULL OR d.code = $1)
      ORDER BY due_at, r.code`,
    only ?? null,
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    departmentCode: r.department_code,
    departmentName: r.department_name,
    updateCycle: r.update_cycle,
    lastUpdatedAt: r.last_updated_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    daysOverdue: Number(r.days_overdue),
  }));
}
