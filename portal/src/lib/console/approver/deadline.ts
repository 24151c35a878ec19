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
