import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InputError, problemsFromAjv, type FieldProblem } from '@gx/platform';
import { jsonSchemaPath } from '@gx/schemas';
import { applyMask, maskMisfit, REMOVED, type Mask } from './masks.ts';
import {
  rowFilterPredicate,
  rowFilterProblems,
  rowFilterSql,
  type FieldType,
  type RowFilter,
  type SqlFragment,
} from './rowFilter.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** A grant's policy as data (schemas/json/exchange/policy.schema.json). */
export interface Policy {
  fields: string[];
  masks?: Record<string, Mask>;
  rowFilter?: RowFilter;
  purposes: string[];
  validFrom?: string;
  validUntil?: string;
  quotas?: { recordsPerDay?: number; requestsPerSecond?: number };
}

export interface CompiledPolicy {
  policy: Policy;
  /** records that pass the row filter (evaluated on the original values) */
  matches(record: Record<string, unknown>): boolean;
  /** the row filter as SQL over a jsonb column, parameters numbered from `firstParam` */
  where(options?: { column?: string; firstParam?: number }): SqlFragment;
  /** allowed fields only, masks applied, in the policy's field order */
  shape(record: Record<string, unknown>): Record<string, unknown>;
  allowsPurpose(purpose: string): boolean;
  isValidAt(when: Date): boolean;
  /**
   * A record key sealed for a pagination cursor: encrypted and authenticated with a key derived
   * from the grant's (or open policy's) secret, so a cursor never discloses a key the policy
   * masks, and a forged or foreign cursor is refused.
   */
  sealCursor(recordKey: string): string;
  /** the record key of a cursor sealed by this policy, or undefined when it is not one */
  openCursor(cursor: string): string | undefined;
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const policySchema = JSON.parse(readFileSync(jsonSchemaPath('exchange', 'policy'), 'utf8')) as {
  $defs: object;
};
const validate = ajv.compile<Policy>(policySchema);
const validateFilter = ajv.compile<RowFilter>({
  $defs: policySchema.$defs,
  $ref: '#/$defs/expression',
});

/** A caller-supplied row filter (e.g. the `filter` query parameter), checked for shape only. */
export function parseRowFilter(value: unknown, path = '/filter'): RowFilter {
  if (!validateFilter(value)) {
    throw new InputError('过滤条件格式有误', [
      { path, message: '应为 {and|or|not} 或 {field, op, value|values} 形式的表达式' },
    ]);
  }
  return value;
}

/**
 * Validate a policy against its schema and against the resource it governs (fields exist,
 * filter constants have the fields' types, masks fit the fields), then compile it once for both
 * the records API (SQL) and the stream enforcement (JavaScript): the same object serves both.
 */
export function compilePolicy(
  raw: unknown,
  types: Record<string, FieldType>,
  grantKey: Buffer,
): CompiledPolicy {
  if (!validate(raw)) {
    throw new InputError('授权策略格式有误', problemsFromAjv(validate.errors));
  }
  const policy = raw;
  const problems: FieldProblem[] = [];
  policy.fields.forEach((f, i) => {
    if (!types[f]) problems.push({ path: `/fields/${i}`, message: `资源没有字段 ${f}` });
  });
  for (const [field, mask] of Object.entries(policy.masks ?? {})) {
    if (!policy.fields.includes(field)) {
      problems.push({ path: `/masks/${field}`, message: '只能对授权字段设置脱敏' });
      continue;
    }
    const misfit = types[field] ? maskMisfit(mask, types[field]) : undefined;
    if (misfit) problems.push({ path: `/masks/${field}`, message: `字段 ${field}：${misfit}` });
  }
  if (policy.rowFilter) problems.push(...rowFilterProblems(policy.rowFilter, types));
  if (
    policy.validFrom &&
    policy.validUntil &&
    Date.parse(policy.validFrom) >= Date.parse(policy.validUntil)
  ) {
    problems.push({ path: '/validUntil', message: '有效期结束须晚于开始' });
  }
  if (problems.length > 0) throw new InputError('授权策略与资源不符', problems);

  const matches = policy.rowFilter ? rowFilterPredicate(policy.rowFilter, types) : () => true;
  const cursorKey = createHmac('sha256', grantKey).update('records-cursor').digest();
  const masks = policy.masks ?? {};
  return {
    policy,
    matches,
    where: (options = {}) =>
      policy.rowFilter
        ? rowFilterSql(policy.rowFilter, types, options)
        : { sql: 'TRUE', params: [] },
    shape(record) {
      const out: Record<string, unknown> = {};
      for (const field of policy.fields) {
        const value = Object.hasOwn(record, field) ? record[field] : null;
        const mask = masks[field];
        const shaped = mask ? applyMask(value, mask, grantKey) : value;
        if (shaped !== REMOVED) out[field] = shaped;
      }
      return out;
    },
    allowsPurpose: (purpose) => policy.purposes.includes(purpose),
    sealCursor(recordKey) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', cursorKey, iv);
      const sealed = Buffer.concat([cipher.update(recordKey, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
    },
    openCursor(cursor) {
      const bytes = Buffer.from(cursor, 'base64url');
      if (bytes.length < 29) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', cursorKey, bytes.subarray(0, 12));
        decipher.setAuthTag(bytes.subarray(-16));
        return Buffer.concat([decipher.update(bytes.subarray(12, -16)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        return undefined;
      }
    },
    isValidAt(when) {
      const t = when.getTime();
      return (
        (!policy.validFrom || t >= Date.parse(policy.validFrom)) &&
        (!policy.validUntil || t < Date.parse(policy.validUntil))
      );
    },
  };
}
