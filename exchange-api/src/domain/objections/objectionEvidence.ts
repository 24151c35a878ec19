import { describeActor, type Actor } from '@gx/platform';
import type { EvidenceInput } from '../evidence/evidenceEntry.ts';
import type { ObjectionEventKind, ObjectionState } from './objectionStateMachine.ts';

/** What the objections module records as evidence (存证): one `objection` entry per step. */
export interface ObjectionEvidenceSink {
  append(input: EvidenceInput & { operation: 'objection' }): Promise<unknown>;
}

/**
 * Append one step of an objection to the evidence log. Record keys, descriptions and claimed
 * values may hold personal data and stay out of the log; the objection number leads to them,
 * and the request hash lets the caller prove what it sent.
 */
export function recordObjectionStep(
  evidence: ObjectionEvidenceSink,
  step: {
    actor: Actor;
    department: string | null;
    objection: { id: string; number: string; grantId: string | null; fields: string[] };
    resourceCode: string;
    event: ObjectionEventKind;
    from: ObjectionState | null;
    to: ObjectionState;
    requestHash: string;
  },
  /** a step that wrote a record (更正记录): one record, and what changed in it as digests */
  wrote?: { recordCount: number; correction: Record<string, unknown> },
): Promise<unknown> {
  return evidence.append({
    actor: describeActor(step.actor),
    actorKind: step.actor.kind,
    department: step.department,
    grantId: step.objection.grantId,
    resourceCode: step.resourceCode,
    operation: 'objection',
    recordCount: wrote?.recordCount ?? 0,
    requestHash: step.requestHash,
    details: {
      objection: step.objection.number,
      objectionId: step.objection.id,
      event: step.event,
      from: step.from,
      to: step.to,
      fields: step.objection.fields,
      ...(wrote ? { correction: wrote.correction } : {}),
    },
  });
}
