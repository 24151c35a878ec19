const DAY = 86_400_000;
const SHANGHAI_OFFSET = 8 * 3_600_000;

/** The calendar day (Asia/Shanghai) of an instant, as a day number since the epoch. */
const shanghaiDay = (t: number) => Math.floor((t + SHANGHAI_OFFSET) / DAY);
const isWorkingDay = (day: number) => {
  const weekday = new Date(day * DAY).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

export type Countdown = { kind: 'left'; days: number } | { kind: 'today' } | { kind: 'overdue' };

/**
 * 办理期限 as an approver counts it: the working days (Monday to Friday, Asia/Shanghai, as the
 * exchange sets the deadline) after today up to the deadline's day; `today` when it falls due
 * today, `overdue` once it has passed. Holidays are not known, as in the exchange.
 */
export function countdown(deadlineAt: string, now: Date = new Date()): Countdown {
  const deadline = Date.parse(deadlineAt);
  if (deadline <= now.getTime()) return { kind: 'overdue' };
  const today = shanghaiDay(now.getTime());
  const last = shanghaiDay(deadline);
  if (last === today) return { kind: 'today' };
  let days = 0;
  for (let d = today + 1; d <= last; d += 1) if (isWorkingDay(d)) days += 1;
  return days === 0 ? { kind: 'today' } : { kind: 'left', days };
}

/**
 * Sharing requests in the order to work on them: pending ones first, the nearest deadline first
 * (none last); then the decided ones, newest first.
 */
export function urgentFirst(
  x: { status: string; deadlineAt?: string | null; createdAt: string },
  y: { status: string; deadlineAt?: string | null; createdAt: string },
): number {
  const pending = (r: typeof x) => r.status === 'pending';
  if (pending(x) !== pending(y)) return pending(x) ? -1 : 1;
  if (pending(x)) {
    if (!x.deadlineAt || !y.deadlineAt) return (x.deadlineAt ? 0 : 1) - (y.deadlineAt ? 0 : 1);
    return x.deadlineAt.localeCompare(y.deadlineAt);
  }
  return y.createdAt.localeCompare(x.createdAt);
}
