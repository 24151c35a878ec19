import { hasRole, NotAllowedError, UnauthenticatedError, type Actor } from '@gx/platform';

/**
 * Directory reports are working figures for staff: platform admins, auditors and the data
 * authority's approvers see every department; other staff see their own department.
 * Returns the department to restrict to, or undefined for all.
 */
export function reportScope(
  actor: Actor,
  dataAuthorityCodes: readonly string[],
): string | undefined {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('报表需要登录');
  if (actor.kind !== 'user' || !actor.departmentCode)
    throw new NotAllowedError('报表仅对部门工作人员开放');
  if (hasRole(actor, 'platform-admin') || hasRole(actor, 'auditor')) return undefined;
  if (hasRole(actor, 'approver') && dataAuthorityCodes.includes(actor.departmentCode))
    return undefined;
  return actor.departmentCode;
}

/** How long data may go without an update before it counts as overdue, per update cycle. */
export const OVERDUE_AFTER: Record<string, string | null> = {
  realtime: '1 day',
  daily: '2 days',
  weekly: '8 days',
  monthly: '32 days',
  quarterly: '95 days',
  yearly: '370 days',
  irregular: null,
};

/** SQL CASE mapping update_cycle to its allowed age (irregular never overdue). */
export const OVERDUE_INTERVAL_SQL = `CASE r.update_cycle
  ${Object.entries(OVERDUE_AFTER)
    .map(
      ([cycle, interval]) => `WHEN '${cycle}' THEN ${interval ? `interval '${interval}'` : 'NULL'}`,
    )
    .join('\n  ')}
END`;

/** When an entry's data falls due: its last update (else its publication) plus its cycle. */
export const DUE_AT_SQL = `coalesce(r.data_updated_at, r.published_at) + ${OVERDUE_INTERVAL_SQL}`;

/** The calendar the directory's due dates are read in (the city's own, 北京时间). */
export const REPORT_TIME_ZONE = 'Asia/Shanghai';

/**
 * Whole calendar days (Asia/Shanghai) from the due date to today: 0 on the due day itself, so
 * two entries due the same date are overdue by the same number of days whatever the hour, and
 * an entry counts as overdue (> 0) only from the day after its due date; NULL when irregular.
 */
export const DAYS_OVERDUE_SQL = `((now() AT TIME ZONE '${REPORT_TIME_ZONE}')::date
  - ((${DUE_AT_SQL}) AT TIME ZONE '${REPORT_TIME_ZONE}')::date)`;
