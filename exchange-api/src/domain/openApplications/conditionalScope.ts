import type { Pool } from 'pg';
import { NotAllowedError } from '@gx/platform';

/** Where a developer applies for 有条件开放 data; named in every refusal. */
export const APPLICATIONS_PATH = '/v1/open-applications';

/**
 * Whether the key is the one an approved, still valid application for the resource yielded.
 * This, not the key's list of resources alone, is what opens 有条件开放 data: a key listing the
 * code without an application (made before applications existed, say) stays refused.
 */
export async function keyHasApprovedApplication(
  pool: Pool,
  apiKeyId: string,
  resourceId: string,
): Promise<boolean> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM open_applications
      WHERE api_key_id = $1 AND resource_id = $2 AND status = 'approved'
        AND (valid_until IS NULL OR valid_until > now())`,
    [apiKeyId, resourceId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Refuse a key scope that lists a 有条件开放 resource unless `apiKeyId` is the key an approved
 * application yielded for it. Used when a developer creates a key (`apiKeyId` null: a new key
 * has no application) and when one is rotated.
 */
export async function refuseUnapprovedConditional(
  pool: Pool,
  resources: readonly string[],
  apiKeyId: string | null,
): Promise<void> {
  if (resources.length === 0) return;
  const { rows } = await pool.query<{ code: string; approved: boolean }>(
    `SELECT r.code,
            EXISTS (SELECT 1 FROM open_applications a
                     WHERE a.api_key_id = $2 AND a.resource_id = r.id AND a.status = 'approved'
                       AND (a.valid_until IS NULL OR a.valid_until > now())) AS approved
       FROM resources r
      WHERE r.code = ANY($1::text[]) AND r.open_type = 'conditional'
      ORDER BY r.code`,
    [resources, apiKeyId],
  );
  const refused = rows.filter((r) => !r.approved).map((r) => r.code);
  if (refused.length > 0)
    throw new NotAllowedError(
      `资源 ${refused.join('、')} 为有条件开放，API key 须通过开放申请（${APPLICATIONS_PATH}）获批后领取`,
      { resources: refused },
    );
}
