import type { DataRequest, DataRequestStatus, Department, User } from '@gx/migrations';
import { isAllowed, type Actor } from '@gx/platform';

export const DATA_REQUEST_INCLUDE = {
  wantedDepartment: true,
  answeredDepartment: true,
  requester: { select: { username: true } },
} as const;

export type DataRequestRow = DataRequest & {
  wantedDepartment: Department | null;
  answeredDepartment: Department | null;
  requester: Pick<User, 'username'>;
};

export const STATUS_LABELS: Record<DataRequestStatus, string> = {
  pending: '待答复',
  answered: '已答复',
  opened: '已开放',
  declined: '暂不开放',
};

const party = (d: Department | null) => (d ? { code: d.code, name: d.name } : null);

/** the caller asked it: the same person, whichever sign-in proved them */
function askedBy(actor: Actor, row: DataRequestRow): boolean {
  return (
    (actor.kind === 'developer' || actor.kind === 'user') &&
    actor.username === row.requester.username
  );
}

/**
 * A steward who may answer it sees the requester's contact; so does the requester. Anyone else
 * (the public list) sees the request and its answer, never who asked or how to reach them.
 */
function seesContact(actor: Actor, row: DataRequestRow): boolean {
  if (askedBy(actor, row)) return true;
  if (actor.kind !== 'user') return false;
  const departmentCode = row.wantedDepartment?.code ?? actor.departmentCode;
  return isAllowed(actor, 'datarequest.answer', { departmentCode });
}

/** The request as the API returns it to `actor`. */
export function dataRequestView(row: DataRequestRow, actor: Actor) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    wantedDepartment: party(row.wantedDepartment),
    ...(seesContact(actor, row) ? { contact: row.contact } : {}),
    ...(askedBy(actor, row) ? { mine: true } : {}),
    status: row.status,
    statusLabel: STATUS_LABELS[row.status],
    answer:
      row.status === 'pending' || row.answer === null || row.answeredAt === null
        ? null
        : {
            text: row.answer,
            datasetCode: row.datasetCode,
            department: party(row.answeredDepartment),
            at: row.answeredAt.toISOString(),
          },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
