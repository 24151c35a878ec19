import type { ReactNode } from 'react';
import type { SharingRequest } from '../../../lib/console/approver/api.ts';
import { personLabel } from '../../../lib/console/evidenceRows.ts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import type { ApproverText } from '../../../lib/i18n/console/approver.ts';
import { Deadline } from './Deadline.tsx';

export const partyName = (party: unknown) => String((party as { name?: unknown }).name ?? '');

/**
 * What a sharing request asks, as both of its parties see it: who asks (the provider's
 * approver's page) or whom it asks (the requesting steward's page), why, on which legal basis,
 * for which fields (by their labels where known), how, for how long and how much, and where it
 * stands: its deadline while pending, then who decided, when and why.
 */
export function RequestFacts({
  request: r,
  labels,
  purposes,
  party,
  text: a,
}: {
  request: SharingRequest;
  /** the items' labels by field name */
  labels: ReadonlyMap<string, string>;
  /** the purposes' names by code (`GET /v1/purposes`) */
  purposes: ReadonlyMap<string, string>;
  /** the other party, named on the page */
  party: 'consumer' | 'provider';
  text: ApproverText;
}) {
  const q = a.requests;
  const legal = r.legalBasis as { code?: string; name?: string } | null | undefined;
  const facts: [string, ReactNode][] = [
    [q.resource, `${partyName(r.resource)}（${String((r.resource as { code?: unknown }).code)}）`],
    party === 'consumer'
      ? [q.consumer, partyName(r.consumer)]
      : [q.provider, partyName(r.provider)],
    [q.requester, personLabel(r.requestedBy, r.requestedByName, a.automatic) ?? a.none],
    [
      q.purposeCodes,
      a.list(r.purposeCodes.map((c) => (purposes.has(c) ? a.named(purposes.get(c)!, c) : c))),
    ],
    [q.purposeText, r.purposeText ?? a.none],
    [
      q.legalBasis,
      [legal ? `${legal.name}（${legal.code}）` : '', r.legalBasisText ?? '']
        .filter(Boolean)
        .join('；') || a.none,
    ],
    [q.fields, a.list(r.fields.map((f) => (labels.has(f) ? a.named(labels.get(f)!, f) : f)))],
    [q.modes, a.list(r.deliveryModes.map((m) => a.modes[m] ?? m))],
    [
      q.period,
      r.periodStart || r.periodEnd
        ? `${formatDate(r.periodStart)} 至 ${formatDate(r.periodEnd)}`
        : a.none,
    ],
    [q.volume, r.expectedVolume ?? a.none],
    [q.createdAt, formatDateTime(r.createdAt)],
    [
      q.status,
      <span key="s" className={`approver-status approver-status-${r.status}`}>
        {q.statuses[r.status] ?? r.status}
      </span>,
    ],
  ];
  if (r.status === 'pending')
    facts.push([q.deadline, <Deadline key="d" deadlineAt={r.deadlineAt} text={q} />]);
  if (r.decidedAt) {
    facts.push([
      q.decidedBy,
      `${personLabel(r.decidedBy, r.decidedByName, a.automatic) ?? ''}（${formatDateTime(r.decidedAt)}）`,
    ]);
    if (r.decisionReason) facts.push([q.reason, r.decisionReason]);
  }
  return (
    <dl className="approver-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
