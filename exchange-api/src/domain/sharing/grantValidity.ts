import type { FieldProblem } from '@gx/platform';

/** A day (`2026-12-31`, as the request stores it) in China Standard Time. */
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** today's date in China Standard Time */
export const todayInChina = (now = new Date()) =>
  new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/** The requested period of use (dates, China Standard Time) as a grant's validity bounds. */
export function requestedWindow(
  periodStart: string | Date | null | undefined,
  periodEnd: string | Date | null | undefined,
): { validFrom?: string; validUntil?: string } {
  const start = periodStart instanceof Date ? dayOf(periodStart) : periodStart;
  const end = periodEnd instanceof Date ? dayOf(periodEnd) : periodEnd;
  return {
    ...(start ? { validFrom: `${start}T00:00:00+08:00` } : {}),
    ...(end ? { validUntil: `${end}T23:59:59+08:00` } : {}),
  };
}

/**
 * The validity a grant gets on approval: what the approver set, else the period the consumer
 * asked for. Approval only narrows a request, so it may not begin before the requested period
 * or end after it; and a grant that would be over before it is made is refused, not stored.
 */
export function grantValidity(
  requested: { validFrom?: string; validUntil?: string },
  set: { validFrom?: string; validUntil?: string },
  now: Date,
): { validFrom?: string; validUntil?: string; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const day = (bound: string) => bound.slice(0, 10);
  if (
    set.validFrom &&
    requested.validFrom &&
    Date.parse(set.validFrom) < Date.parse(requested.validFrom)
  ) {
    problems.push({
      path: '/validFrom',
      message: `早于申请的使用期限（自 ${day(requested.validFrom)} 起）：授权只能缩小申请的范围`,
    });
  }
  if (
    set.validUntil &&
    requested.validUntil &&
    Date.parse(set.validUntil) > Date.parse(requested.validUntil)
  ) {
    problems.push({
      path: '/validUntil',
      message: `晚于申请的使用期限（至 ${day(requested.validUntil)}）：授权只能缩小申请的范围`,
    });
  }
  const validFrom = set.validFrom ?? requested.validFrom;
  const validUntil = set.validUntil ?? requested.validUntil;
  if (validUntil && Date.parse(validUntil) <= now.getTime()) {
    problems.push({
      path: '/validUntil',
      message: set.validUntil
        ? '有效期结束时间已过：请填写将来的时间'
        : `申请的使用期限已于 ${day(validUntil)} 结束：请驳回，由申请方重新申请`,
    });
  }
  return {
    ...(validFrom ? { validFrom } : {}),
    ...(validUntil ? { validUntil } : {}),
    problems,
  };
}
