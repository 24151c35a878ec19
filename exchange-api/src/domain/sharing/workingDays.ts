const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3_600_000;

/**
 * `from` plus `days` working days (Monday to Friday, Asia/Shanghai), ending at the same time of
 * day. Public holidays and 调休 make-up days are not known here; a holiday calendar is the
 * obvious next step (docs/ARCHITECTURE.md, sharing requests).
 */
export function addWorkingDays(from: Date, days: number): Date {
  let t = from.getTime();
  let left = days;
  while (left > 0) {
    t += DAY;
    const weekday = new Date(t + SHANGHAI_OFFSET).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return new Date(t);
}
