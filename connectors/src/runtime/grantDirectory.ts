import {
  compilePolicy,
  effectiveGrantStatus,
  GRANT_STATUS_TEXT,
  type CompiledPolicy,
  type FieldType,
} from '@gx/exchange-api';
import { hmacSha256 } from '@gx/platform';
import type { Pool } from 'pg';
import type { PgNotifications } from './pgNotifications.ts';

/** An active grant that receives a resource's records by subscription (a delivery stream). */
export interface DeliveryGrant {
  id: string;
  consumerCode: string;
  policy: CompiledPolicy;
  /** the record key a consumer sees: the original one, or a pseudonym when the policy hides it */
  deliveryKey(recordKey: string): string;
}

export interface GrantState {
  active: boolean;
  /** why not, in Chinese */
  reason?: string;
}

interface GrantRow {
  id: string;
  status: 'active' | 'suspended' | 'revoked' | 'expired';
  valid_from: Date;
  valid_until: Date | null;
  policy: unknown;
  delivery_modes: string[];
  pseudonym_key: Buffer;
  revision: number;
  resource_id: string;
  resource_revision: number;
  consumer_code: string;
}

const GRANT_COLUMNS = `g.id, g.status, g.valid_from, g.valid_until, g.policy, g.delivery_modes,
  g.pseudonym_key, g.revision, g.resource_id, r.revision AS resource_revision, c.code AS consumer_code
  FROM grants g JOIN resources r ON r.id = g.resource_id JOIN departments c ON c.id = g.consumer_id`;

/** Cached answers live at most this long; a `grant_changed` notification drops them at once. */
const TTL_MS = 1_000;

function grantState(row: GrantRow | undefined, now = new Date()): GrantState {
  if (!row) return { active: false, reason: '授权不存在' };
  const status = effectiveGrantStatus({ status: row.status, validUntil: row.valid_until }, now);
  if (status !== 'active') return { active: false, reason: `授权${GRANT_STATUS_TEXT[status]}` };
  if (row.valid_from.getTime() > now.getTime()) return { active: false, reason: '授权尚未生效' };
  if (!row.delivery_modes.includes('subscription'))
    return { active: false, reason: '授权不包含订阅 (subscription) 方式' };
  return { active: true };
}

/**
 * What enforcement and sinks ask about grants: the active subscription grants of a resource
 * with their compiled policies, and whether one grant may still deliver. Revocation and
 * suspension reach every worker through `grant_changed` (a trigger on grants), so delivery stops
 * within the time it takes to read the next batch; the short cache is only a fallback.
 */
export class GrantDirectory {
  readonly #pool: Pool;
  /** per resource, its non-revoked subscription grants and, of those, the ones active now */
  readonly #byResource = new Map<
    string,
    { at: number; noted: DeliveryGrant[]; active: DeliveryGrant[] }
  >();
  readonly #states = new Map<string, { at: number; state: GrantState }>();
  readonly #compiled = new Map<string, { version: string; grant: DeliveryGrant }>();
  #generation = 0;

  constructor(pool: Pool, notifications?: PgNotifications) {
    this.#pool = pool;
    notifications?.on('grant_changed', () => this.invalidate());
  }

  invalidate(): void {
    this.#generation += 1;
    this.#byResource.clear();
    this.#states.clear();
  }

  async state(grantId: string): Promise<GrantState> {
    const cached = this.#states.get(grantId);
    if (cached && Date.now() - cached.at < TTL_MS) return cached.state;
    const generation = this.#generation;
    const { rows } = await this.#pool.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS} WHERE g.id = $1::uuid`,
      [grantId],
    );
    const state = grantState(rows[0]);
    // a notification that arrived during the query may have made the answer stale
    if (generation === this.#generation) this.#states.set(grantId, { at: Date.now(), state });
    return state;
  }

  /** The resource's subscription grants that may deliver now, with their compiled policies. */
  async subscriptionGrants(resourceId: string): Promise<DeliveryGrant[]> {
    return (await this.#grantsOf(resourceId)).active;
  }

  /**
   * The resource's subscription grants that are not revoked (suspended and expired ones too),
   * with their compiled policies: those a deletion or a record leaving a view is noted for
   * (ADR 0012), as the exchange API notes them, so that a suspended grant's sinks catch up when
   * it is resumed. Deliveries go to `subscriptionGrants` only.
   */
  async notedGrants(resourceId: string): Promise<DeliveryGrant[]> {
    return (await this.#grantsOf(resourceId)).noted;
  }

  /** one query for both lists: the active grants are the noted ones whose state is active */
  async #grantsOf(
    resourceId: string,
  ): Promise<{ noted: DeliveryGrant[]; active: DeliveryGrant[] }> {
    const cached = this.#byResource.get(resourceId);
    if (cached && Date.now() - cached.at < TTL_MS) return cached;
    const generation = this.#generation;
    const { rows } = await this.#pool.query<GrantRow>(
      `SELECT ${GRANT_COLUMNS}
        WHERE g.resource_id = $1::uuid AND g.status <> 'revoked'
          AND 'subscription' = ANY (g.delivery_modes)`,
      [resourceId],
    );
    const noted = await Promise.all(rows.map((row) => this.#compile(row)));
    const active = noted.filter((_grant, i) => grantState(rows[i]).active);
    const lists = { at: Date.now(), noted, active };
    if (generation === this.#generation) this.#byResource.set(resourceId, lists);
    return lists;
  }

  async #compile(row: GrantRow): Promise<DeliveryGrant> {
    const version = `${row.revision}:${row.resource_revision}`;
    const cached = this.#compiled.get(row.id);
    if (cached?.version === version) return cached.grant;
    const { rows: items } = await this.#pool.query<{
      name: string;
      data_type: FieldType;
      is_key: boolean;
    }>(
      `SELECT name, data_type, is_key FROM information_items WHERE resource_id = $1::uuid
        ORDER BY position`,
      [row.resource_id],
    );
    const key = Buffer.from(row.pseudonym_key);
    const policy = compilePolicy(
      row.policy,
      Object.fromEntries(items.map((i) => [i.name, i.data_type])),
      key,
    );
    const keyFields = items.filter((i) => i.is_key).map((i) => i.name);
    // the key travels with every delivered record: when the policy withholds or masks a key
    // field, the consumer gets a stable pseudonym instead (one per grant), never the key itself
    const keyVisible = keyFields.every(
      (field) => policy.policy.fields.includes(field) && !policy.policy.masks?.[field],
    );
    const grant: DeliveryGrant = {
      id: row.id,
      consumerCode: row.consumer_code,
      policy,
      deliveryKey: keyVisible
        ? (recordKey) => recordKey
        : (recordKey) =>
            `p:${hmacSha256(key)(`delivery-key\n${recordKey}`, 'base64url').slice(0, 32)}`,
    };
    this.#compiled.set(row.id, { version, grant });
    return grant;
  }
}
