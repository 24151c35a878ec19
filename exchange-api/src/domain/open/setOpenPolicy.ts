import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { canonicalJson, describeActor, type Actor } from '@gx/platform';
import { sha256Hex } from '../evidence/evidenceEntry.ts';
import type { EvidenceSink } from '../sharing/evidenceSink.ts';
import { refuseHarvestedWrite } from '../harvestedEntry.ts';
import { managedOpenResource } from './getOpenPolicy.ts';
import { compileOpenPolicy, openPolicyOf } from './openPolicy.ts';
import { loadOpenResource } from './openResource.ts';
import { openPolicyView } from './openPolicyView.ts';

/** Policies up to this size travel whole in the evidence entry; larger ones by their hash. */
const POLICY_IN_EVIDENCE_CHARS = 3000;

/**
 * The provider's steward sets a resource's open policy (`policy`), or returns it to the default
 * (`null`). The policy is checked by the policy engine against the resource's current items
 * (400 with every problem). The resource's pseudonym key is created with its first policy and
 * kept while policies change (a reset drops it), so pseudonyms stay stable for the public. The
 * change is evidence.
 */
export async function setOpenPolicy({
  pool,
  evidence,
  actor,
  code,
  policy,
  requestHash,
}: {
  pool: Pool;
  evidence: EvidenceSink;
  actor: Actor;
  code: string;
  policy: unknown;
  requestHash: string;
}): Promise<ReturnType<typeof openPolicyView>> {
  const row = await managedOpenResource(pool, actor, code, 'write');
  refuseHarvestedWrite(row, '开放策略');
  let details: Record<string, unknown>;
  if (policy === null) {
    await pool.query('DELETE FROM open_policies WHERE resource_id = $1::uuid', [row.id]);
    details = { change: 'reset' };
  } else {
    // kept on conflict: only a resource's first policy creates its key
    const key = row.pseudonymKey ?? randomBytes(32);
    const stored = openPolicyOf(compileOpenPolicy(policy, row.items, key));
    const { rows } = await pool.query<{ revision: number }>(
      `INSERT INTO open_policies (resource_id, policy, pseudonym_key, updated_by)
       VALUES ($1::uuid, $2::jsonb, $3, $4)
       ON CONFLICT (resource_id) DO UPDATE
         SET policy = excluded.policy, updated_by = excluded.updated_by, updated_at = now(),
             revision = open_policies.revision + 1
       RETURNING revision`,
      [row.id, JSON.stringify(stored), key, describeActor(actor).slice(0, 100)],
    );
    const text = canonicalJson(stored);
    details = {
      change: 'set',
      revision: rows[0]!.revision,
      policyHash: sha256Hex(text),
      ...(text.length <= POLICY_IN_EVIDENCE_CHARS ? { policy: stored } : {}),
    };
  }
  await evidence.append({
    actor: describeActor(actor),
    actorKind: actor.kind,
    department: row.providerCode,
    resourceCode: row.code,
    operation: 'open-data',
    recordCount: 0,
    requestHash,
    details: { access: 'policy', ...details },
  });
  return openPolicyView((await loadOpenResource(pool, code))!);
}
