import { canonicalJson, InputError, type FieldProblem } from '@gx/platform';
import {
  EVIDENCE_OPERATIONS,
  type EvidenceEntry,
  type EvidenceInput,
  type EvidenceOperation,
} from './evidenceEntry.ts';

/** The fields of an entry that come from the caller. */
export type NormalisedEvidence = Omit<
  EvidenceEntry,
  'seq' | 'id' | 'prevHash' | 'hash' | 'time' | 'keyId'
>;

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_DETAILS_CHARS = 4096;
const OPERATIONS: ReadonlySet<string> = new Set(EVIDENCE_OPERATIONS);

/**
 * PostgreSQL stores neither NUL characters nor lone UTF-16 surrogates (the driver would turn
 * them into U+FFFD), and a row that is stored differently from how it was hashed would read as
 * tampered ever after. Surrogates are replaced before hashing; NUL is refused.
 */
function wellFormed(text: string): string {
  return text.replace(/\p{Surrogate}/gu, '\uFFFD');
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([key, v]) => key.includes('\u0000') || hasNul(v));
  return false;
}

function normaliseJson(value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(normaliseJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [wellFormed(key), normaliseJson(v)]),
    );
  }
  return value;
}

/**
 * Check and normalise what a caller appends, before it is queued: a value the database would
 * refuse must fail this caller's append alone, never the batch it would have shared.
 */
export function normaliseEvidenceInput(input: EvidenceInput): NormalisedEvidence {
  const problems: FieldProblem[] = [];
  const text = (
    field: keyof EvidenceInput,
    value: unknown,
    max: number,
    required: boolean,
  ): string | null => {
    if (value === undefined || value === null) {
      if (required) problems.push({ path: field, message: 'is required' });
      return null;
    }
    if (typeof value !== 'string' || (required && value.length === 0)) {
      problems.push({ path: field, message: 'must be a non-empty string' });
      return null;
    }
    const normalised = wellFormed(value);
    if (normalised.includes('\u0000'))
      problems.push({ path: field, message: 'must not contain NUL' });
    if ([...normalised].length > max)
      problems.push({ path: field, message: `must have at most ${max} characters` });
    return normalised;
  };

  const actor = text('actor', input.actor, 300, true);
  const actorKind = text('actorKind', input.actorKind, 20, true);
  const department = text('department', input.department, 64, false);
  if (department !== null && !DEPARTMENT_CODE.test(department))
    problems.push({ path: 'department', message: 'must be a department code' });
  const grantId = text('grantId', input.grantId, 100, false);
  const purpose = text('purpose', input.purpose, 500, false);
  const resourceCode = text('resourceCode', input.resourceCode, 100, false);

  if (!OPERATIONS.has(input.operation))
    problems.push({
      path: 'operation',
      message: `must be one of ${EVIDENCE_OPERATIONS.join(', ')}`,
    });
  const outcome = input.outcome ?? (input.operation === 'refusal' ? 'refused' : 'ok');
  if (outcome !== 'ok' && outcome !== 'refused')
    problems.push({ path: 'outcome', message: 'must be ok or refused' });
  if (!Number.isSafeInteger(input.recordCount) || input.recordCount < 0)
    problems.push({ path: 'recordCount', message: 'must be a non-negative integer' });
  if (typeof input.requestHash !== 'string' || !HEX_SHA256.test(input.requestHash))
    problems.push({ path: 'requestHash', message: 'must be a lower-case hex SHA-256' });
  const deliveredDigest = input.deliveredDigest ?? null;
  if (deliveredDigest !== null && !HEX_SHA256.test(deliveredDigest))
    problems.push({ path: 'deliveredDigest', message: 'must be a lower-case hex SHA-256' });

  let details: Record<string, unknown> = {};
  if (input.details !== undefined) {
    if (input.details === null || typeof input.details !== 'object' || Array.isArray(input.details))
      problems.push({ path: 'details', message: 'must be an object' });
    else {
      // the stored jsonb reads back as this text parses: hash what will be read back
      let canonical: string | undefined;
      try {
        canonical = canonicalJson(normaliseJson(input.details));
      } catch {
        problems.push({ path: 'details', message: 'must be plain JSON (no cycles, no bigint)' });
      }
      if (canonical !== undefined) {
        if (canonical.length > MAX_DETAILS_CHARS)
          problems.push({
            path: 'details',
            message: `must be at most ${MAX_DETAILS_CHARS} characters as JSON`,
          });
        details = JSON.parse(canonical) as Record<string, unknown>;
        if (hasNul(details)) problems.push({ path: 'details', message: 'must not contain NUL' });
      }
    }
  }

  if (problems.length > 0)
    throw new InputError(
      `存证记录无效: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      problems.map((p) => ({ ...p, path: `evidence.${p.path}` })),
    );
  return {
    actor: actor!,
    actorKind: actorKind!,
    department,
    grantId,
    purpose,
    resourceCode,
    operation: input.operation as EvidenceOperation,
    outcome,
    recordCount: input.recordCount,
    requestHash: input.requestHash,
    deliveredDigest,
    details,
  };
}
