import {
  authorize,
  hasRole,
  NotAllowedError,
  NotFoundError,
  UnauthenticatedError,
  type Actor,
} from '@gx/platform';
import type { Pool } from 'pg';

/**
 * Which department's figures the caller gets: `department` when asked for and allowed, else the
 * whole city for those who oversee it (platform admin, auditors, the data authority's staff)
 * and their own department for everyone else. The decision is the `report.read` row of the
 * authorization table; a department the caller may not see answers 404 like a missing one.
 * Returns the department code to restrict to, or undefined for the whole city.
 */
export async function exchangeReportScope({
  pool,
  actor,
  department,
}: {
  pool: Pool;
  actor: Actor;
  department?: string;
}): Promise<string | undefined> {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('报表需要登录');
  if (actor.kind !== 'user' || !actor.departmentCode)
    throw new NotAllowedError('报表仅对部门工作人员开放');
  const { rows } = await pool.query<{ code: string }>(
    'SELECT code FROM departments WHERE is_data_authority',
  );
  const authorities = rows.map((r) => r.code);
  // the data authority's staff oversee every department: the city is their target
  const ownAuthority = authorities.includes(actor.departmentCode)
    ? actor.departmentCode
    : undefined;
  if (department !== undefined) {
    authorize(
      actor,
      'report.read',
      { departmentCode: department, dataAuthorityCode: ownAuthority },
      'read',
    );
    const known = await pool.query('SELECT 1 FROM departments WHERE code = $1', [department]);
    if (known.rowCount === 0) throw new NotFoundError('部门不存在');
    return department;
  }
  const city = hasRole(actor, 'platform-admin') || hasRole(actor, 'auditor') || ownAuthority;
  if (city) {
    authorize(actor, 'report.read', { dataAuthorityCode: ownAuthority }, 'read');
    return undefined;
  }
  authorize(actor, 'report.read', { departmentCode: actor.departmentCode }, 'read');
  return actor.departmentCode;
}
