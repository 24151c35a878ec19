import type { Prisma } from '@gx/migrations';
import {
  canonicalJson,
  ConflictError,
  problemsFromAjv,
  sha256Hex,
  UnprocessableError,
  type Actor,
  type FieldProblem,
} from '@gx/platform';
import { loadOpenResource, servedPolicy } from '../open/openResource.ts';
import { compilePolicy } from '../policy/compilePolicy.ts';
import { upsertHostedRecords } from '../records/upsertHostedRecords.ts';
import { subscribedGrants } from '../sharing/openGrant.ts';
import { resourceFieldTypes } from '../sharing/resourceFieldTypes.ts';
import { recordObjectionStep, type ObjectionEvidenceSink } from './objectionEvidence.ts';
import type { ObjectionContext } from './objectionParties.ts';
import { loadDisputedRecord } from './objectionRecord.ts';
import { stepFrom, STEPS } from './objectionStateMachine.ts';
import { applyObjectionStep } from './stepObjection.ts';
import {
  objectionView,
  type CorrectionChange,
  type ObjectionRow,
  type StoredCorrection,
} from './objectionViews.ts';

/** A corrected value: null removes the field from the record (a schema never allows null). */
export type CorrectedValue = string | number | boolean | null;

export interface CorrectObjectionRecordOptions extends ObjectionContext {
  evidence: ObjectionEvidenceSink;
  actor: Actor;
  /** objection id or number */
  id: string;
  /** per field, its corrected value */
  values: Record<string, CorrectedValue>;
  /** a note for the raiser, kept in the thread */
  comment?: string;
  /** hash of the HTTP request, for the evidence entry */
  requestHash: string;
}

type Row = Record<string, unknown>;

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function changesOf(fields: readonly string[], before: Row, after: Row): CorrectionChange[] {
  return fields
    .filter((field) => !same(before[field], after[field]))
    .map((field) => ({ field, before: before[field] ?? null, after: after[field] ?? null }));
}

/**
 * How the raiser sees a record: through the grant it raised under, or, without one, the open
 * policy: fields it may see, masked as they are masked to it. Undefined when neither is left.
 */
async function raiserShape(
  { prisma, pool }: ObjectionContext,
  objection: ObjectionRow,
): Promise<((record: Row) => Row) | undefined> {
  if (objection.grantId) {
    const grant = await prisma.grant.findUnique({ where: { id: objection.grantId } });
    if (!grant) return undefined;
    const types = await resourceFieldTypes(prisma, objection.resourceId);
    const policy = compilePolicy(grant.policy, types, Buffer.from(grant.pseudonymKey));
    return (record) => policy.shape(record);
  }
  const open = await loadOpenResource(pool, objection.resource.code);
  if (!open || objection.resource.openType === 'none') return undefined;
  const policy = servedPolicy(open);
  return (record) => policy.shape(record);
}

/**
 * The values asked for, checked against what the objection lets the steward change: every field
 * the objection disputes is answered (so the raiser sees each one settled); an objection to the
 * record as a whole needs at least one.
 */
function valueProblems(
  objection: ObjectionRow,
  fields: readonly string[],
  values: Record<string, CorrectedValue>,
): FieldProblem[] {
  const problems: FieldProblem[] = Object.keys(values)
    .filter((field) => !fields.includes(field))
    .map((field) => ({
      path: `/values/${field}`,
      message: '只能更正异议所指的信息项（主键不能更正）',
    }));
  if (objection.fields.length > 0) {
    for (const field of fields)
      if (!(field in values)) problems.push({ path: `/values/${field}`, message: '必填' });
  } else if (Object.keys(values).length === 0) {
    problems.push({ path: '/values', message: '请至少更正一个信息项' });
  }
  return problems;
}

/**
 * A repeat of the correction that moved the objection to 已更正: the record already holds the
 * values asked for, so there is nothing to write.
 */
function isRepeat(objection: ObjectionRow, data: Row, values: Record<string, CorrectedValue>) {
  const last = objection.events.at(-1);
  return (
    objection.state === 'corrected' &&
    last?.kind === 'corrected' &&
    last.correction !== null &&
    Object.entries(values).every(([field, value]) => same(data[field], value))
  );
}

/**
 * 更正记录: the provider's steward corrects the record an accepted objection is about, from the
 * objection itself. The corrected record is the stored one with the given fields replaced; it
 * must pass the resource's current record schema (as ingestion checks it: 422 with the problems
 * by field otherwise) and differ from the stored one. It is written to the hosted record store
 * as ingestion writes (change feed, subscribers, data-updated time), and the objection moves to
 * 已更正 in the same transaction, its thread keeping old → new of the changed fields (as stored,
 * and as the raiser's grant shows them). The evidence entry names the fields and digests of the
 * record before and after, never the values. The same values again, once corrected, answer the
 * objection as it is and write nothing.
 */
export async function correctObjectionRecord({
  prisma,
  pool,
  evidence,
  actor,
  id,
  values,
  comment,
  requestHash,
}: CorrectObjectionRecordOptions) {
  const ctx = { prisma, pool };
  const { objection, schema, fields, data } = await loadDisputedRecord(ctx, actor, id);
  const department = objection.provider.code;
  const now = new Date();
  // nothing written, so no evidence and no receipt
  const unchanged = (o: ObjectionRow) => ({
    objection: objectionView(o, { history: true, now, viewerDepartment: department }),
    receipt: undefined,
  });
  if (isRepeat(objection, data, values)) return unchanged(objection);
  stepFrom(objection.state, 'correct');
  const asked = valueProblems(objection, fields, values);
  if (asked.length > 0) throw new UnprocessableError('更正的值有误', asked);
  const shape = await raiserShape(ctx, objection);
  const text = comment?.trim() || null;
  const rule = STEPS.correct;
  const grants = await subscribedGrants(prisma, pool, objection.resourceId);

  const write = prisma.$transaction(async (tx) => {
    // the record as stored now, locked: an ingestion between reading and writing is not undone
    const [stored] = await tx.$queryRaw<{ data: Row }[]>`
      SELECT data FROM records
       WHERE resource_id = ${objection.resourceId}::uuid AND record_key = ${objection.recordKey}
         FOR UPDATE`;
    if (!stored)
      throw new ConflictError(
        '该记录已不在库中（可能已删除），不能在此更正；如确已删除，可直接标记已更正',
      );
    const before = stored.data;
    const after: Row = { ...before };
    for (const [field, value] of Object.entries(values)) {
      if (value === null) delete after[field];
      else after[field] = value;
    }
    if (!schema.validate(after))
      throw new UnprocessableError(
        '更正后的记录不符合资源的记录结构',
        problemsFromAjv(schema.validate.errors, '/values'),
      );
    const changes = changesOf(Object.keys(values), before, after);
    if (changes.length === 0)
      throw new UnprocessableError('更正后的值与当前记录相同，没有需要更正的内容', [
        { path: `/values/${Object.keys(values)[0] ?? ''}`, message: '与当前值相同' },
      ]);
    await upsertHostedRecords(tx, {
      resourceId: objection.resourceId,
      schemaVersion: schema.version,
      rows: [[objection.recordKey!, after]],
      views: { keyFields: schema.keyFields, grants },
    });
    const seen = shape ? { before: shape(before), after: shape(after) } : undefined;
    const correction: StoredCorrection = {
      schemaVersion: schema.version,
      changes,
      raiserView: seen
        ? changes
            .filter((c) => c.field in seen.before || c.field in seen.after)
            .map((c) => ({
              field: c.field,
              before: seen.before[c.field] ?? null,
              after: seen.after[c.field] ?? null,
            }))
        : [],
    };
    const updated = await applyObjectionStep(tx, {
      objection,
      rule,
      actor,
      department,
      comment: text,
      now,
      correction: correction as unknown as Prisma.InputJsonValue,
    });
    return { updated, before, after, changes };
  });
  let written: Awaited<typeof write>;
  try {
    written = await write;
  } catch (error) {
    // the same correction sent twice at once: the second finds the first's work done
    if (error instanceof ConflictError || error instanceof UnprocessableError) {
      const again = await loadDisputedRecord(ctx, actor, id);
      if (isRepeat(again.objection, again.data, values)) return unchanged(again.objection);
    }
    throw error;
  }
  const { updated, before, after, changes } = written;
  const receipt = await recordObjectionStep(
    evidence,
    {
      actor,
      department,
      objection: updated,
      resourceCode: updated.resource.code,
      event: rule.event,
      from: objection.state,
      to: rule.to,
      requestHash,
    },
    {
      recordCount: 1,
      correction: {
        fields: changes.map((c) => c.field),
        before: sha256Hex(canonicalJson(before)),
        after: sha256Hex(canonicalJson(after)),
        schemaVersion: schema.version,
      },
    },
  );
  return {
    objection: objectionView(updated, { history: true, now, viewerDepartment: department }),
    receipt,
  };
}
