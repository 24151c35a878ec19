import type { Grant } from '../../../lib/console/approver/api.ts';
import type { ApproverText } from '../../../lib/i18n/console/approver.ts';

/**
 * Today's use of a grant with quotas, as both parties see it (calls, and records against a
 * records-per-day quota); nothing for a grant without quotas, whose calls are not counted there.
 */
export function GrantUsage({ grant, text }: { grant: Grant; text: ApproverText['grants'] }) {
  const usage = grant.usageToday;
  if (!usage) return null;
  const quotas = (grant.policy as { quotas?: { recordsPerDay?: number } }).quotas;
  return (
    <span className="approver-usage">
      {text.usedToday(usage.requests, usage.records ?? null, quotas?.recordsPerDay)}
    </span>
  );
}

/**
 * What a grant allows in a list's cell — how many fields, how many masked, whether rows are
 * filtered — and today's use against its quotas.
 */
export function GrantScope({ grant, text }: { grant: Grant; text: ApproverText['grants'] }) {
  const policy = grant.policy as {
    fields?: string[];
    masks?: Record<string, unknown>;
    rowFilter?: unknown;
  };
  return (
    <>
      {text.fieldsCount(
        policy.fields?.length ?? 0,
        Object.keys(policy.masks ?? {}).length,
        !!policy.rowFilter,
      )}
      <GrantUsage grant={grant} text={text} />
    </>
  );
}
