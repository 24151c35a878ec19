const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

/** 00:00 Asia/Shanghai of the working day (Monday to Friday) `back` working days before `t`'s. */
function workingDayBefore(t: Date, back: number): number {
  let day = Math.floor((t.getTime() + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
  let left = back;
  while (left > 0) {
    day -= DAY;
    const weekday = new Date(day + SHANGHAI_OFFSET).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return day;
}

/**
 * When the demo's sharing request was submitted and decided, as an approver would have taken it:
 * submitted at 09:30 two working days before the seeding day, decided at 15:45 the working day
 * after (Asia/Shanghai), so both lie in the past. The seed makes and approves the request in one
 * instant, which gave the data authority's 审批用时中位数 as 0 秒; these times make the demo's
 * turnaround a working day and some hours (more across a weekend), the same on every start of
 * the same day.
 */
export function demoDecisionTimes(seededAt: Date): { submittedAt: Date; decidedAt: Date } {
  return {
    submittedAt: new Date(workingDayBefore(seededAt, 2) + 9.5 * HOUR),
    decidedAt: new Date(workingDayBefore(seededAt, 1) + 15.75 * HOUR),
  };
}
