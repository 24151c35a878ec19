import Link from 'next/link';
import type { DataRequest } from '../../lib/api/dataRequests.ts';
import { formatDate } from '../../lib/format.ts';
import type { Messages } from '../../lib/i18n/messages.ts';

const STATUS_BADGE: Record<string, string> = {
  pending: 'badge badge-plain',
  answered: 'badge badge-plain',
  opened: 'badge badge-open-open',
  declined: 'badge badge-open-none',
};

/** The request's status as a badge (待答复, 已答复, 已开放, 暂不开放). */
export function RequestStatus({ request, t }: { request: DataRequest; t: Messages }) {
  return (
    <span className={STATUS_BADGE[request.status] ?? 'badge badge-plain'}>
      {t.requests.status[request.status] ?? request.statusLabel}
    </span>
  );
}

/** 部门答复: the answering department's text (escaped by React), and the dataset it opened. */
export function RequestAnswer({ request, t }: { request: DataRequest; t: Messages }) {
  const m = t.requests;
  const answer = request.answer;
  if (!answer) return <p className="note">{m.noAnswer}</p>;
  return (
    <div className="request-answer">
      <p className="request-answer-text" lang="zh-CN">
        {answer.text}
      </p>
      {answer.datasetCode ? (
        <p>
          {m.dataset}：
          <Link href={`/datasets/${encodeURIComponent(answer.datasetCode)}`}>
            {answer.datasetCode}
          </Link>
        </p>
      ) : null}
      <p className="note" lang="zh-CN">
        {m.answeredBy(answer.department?.name ?? '—', formatDate(answer.at))}
      </p>
    </div>
  );
}
