import { countdown } from '../../../lib/console/approver/deadline.ts';

/**
 * 办理期限 of a pending request: 剩余 N 个工作日 / 今日到期 / 已超期, rendered on the server at
 * the time of the request (the page is dynamic, so a reload shows the current count).
 */
export function Deadline({
  deadlineAt,
  text,
}: {
  deadlineAt: string | null | undefined;
  text: { daysLeft: (n: number) => string; dueToday: string; overdue: string };
}) {
  if (!deadlineAt) return <>—</>;
  const left = countdown(deadlineAt);
  const label =
    left.kind === 'left'
      ? text.daysLeft(left.days)
      : left.kind === 'today'
        ? text.dueToday
        : text.overdue;
  return (
    <time dateTime={deadlineAt} className={`approver-deadline approver-deadline-${left.kind}`}>
      {label}
    </time>
  );
}
