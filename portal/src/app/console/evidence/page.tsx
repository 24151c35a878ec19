import type { Metadata } from 'next';
import Link from 'next/link';
import { ListTable } from '../../../components/console/approver/ListTable.tsx';
import { listDepartments } from '../../../lib/api/catalog.ts';
import { listPurposes } from '../../../lib/api/openApplications.ts';
import { StatusFilters } from '../../../components/console/approver/StatusFilters.tsx';
import {
  EVIDENCE_OPERATIONS,
  EVIDENCE_SIDES,
  listAllEvidence,
  listDepartmentEvidence,
  type EvidencePage,
  type EvidenceSide,
} from '../../../lib/console/departmentEvidence.ts';
import { entriesByCode } from '../../../lib/console/approver/api.ts';
import { getGrant } from '../../../lib/console/consumer/api.ts';
import { grantBasis } from '../../../lib/console/consumer/objectionForm.ts';
import {
  actorParts,
  grantChange,
  operationKey,
  outcomeNote,
  purposeName,
  resourceLookups,
  rowResource,
} from '../../../lib/console/evidenceRows.ts';
import { requireStaff } from '../../../lib/console/requireStaff.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { evidenceText } from '../../../lib/i18n/console/evidence.ts';
import { purposeNames } from '../../../lib/i18n/labels.ts';
import { getPrefs } from '../../../lib/prefs.ts';
import { queryParam } from '../../../lib/queryParam.ts';
import '../../../components/console/approver/approver.css';
import '../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: evidenceText(locale).title };
}

/**
 * The names of the resources a page of entries names, with the viewer's token: by code from the
 * catalog, and for a call refused under a grant (the entry names only the grant) from the grant.
 * A resource or grant the viewer cannot read, or a service that does not answer, leaves the code
 * (or nothing) to stand.
 */
async function lookUpResources(
  token: string,
  entries: EvidencePage['items'],
): Promise<{
  names: Map<string, string>;
  grants: Map<string, { code: string; name: string }>;
}> {
  const { codes, grantIds } = resourceLookups(entries);
  const [found, grantsFound] = await Promise.all([
    entriesByCode(token, codes),
    Promise.all(grantIds.map((id) => getGrant(token, id).catch(() => undefined))),
  ]);
  const names = new Map([...found].map(([code, entry]) => [code, entry.name]));
  const grants = new Map<string, { code: string; name: string }>();
  grantIds.forEach((id, i) => {
    const found = grantsFound[i];
    if (!found?.ok) return;
    const basis = grantBasis(found.data);
    if (basis.resourceCode) grants.set(id, { code: basis.resourceCode, name: basis.resourceName });
  });
  return { names, grants };
}

const CURSOR = /^[1-9][0-9]{0,18}$/;
const DEPARTMENT = /^[a-z0-9][a-z0-9-]{0,63}$/;
/**
 * 交换记录: my department's part of the tamper-evident evidence log — who used our data
 * (`?side=provided`, the default) or what we did (`?side=acted`) — newest first, by operation,
 * a page at a time (`?cursor=`, the exchange's keyset). Auditors and the platform's admin start
 * on every department's records (the whole log) and may choose one department
 * (`?department=`), whose records then read as that department's, not as 本部门.
 */
export default async function EvidencePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const side: EvidenceSide = params.side === 'acted' ? 'acted' : 'provided';
  const operation = EVIDENCE_OPERATIONS.find((o) => o === params.operation);
  const asked = queryParam(params.cursor);
  const cursor = asked && CURSOR.test(asked) ? asked : undefined;
  const gate = await requireStaff(`/console/evidence?side=${side}`, 'evidence');
  if (!gate.ok) return gate.page;
  const { staff } = gate;
  // auditors and the platform's admin read any department's records, and all of them at once;
  // others their own department's
  const overseer = staff.roles.has('auditor') || staff.roles.has('platform-admin');
  const askedDepartment = queryParam(params.department);
  const chosenDepartment =
    askedDepartment && DEPARTMENT.test(askedDepartment) ? askedDepartment : undefined;
  const department = overseer ? chosenDepartment : staff.departmentCode;
  /** an overseer who has chosen no department: the whole log */
  const everyDepartment = overseer && !department;
  const { locale } = await getPrefs();
  const t = evidenceText(locale);
  const [page, departments, sharingPurposes, openDataPurposes] = await Promise.all([
    everyDepartment
      ? listAllEvidence(staff.accessToken, { operation, cursor })
      : listDepartmentEvidence(staff.accessToken, {
          side,
          operation,
          cursor,
          ...(overseer && department ? { department } : {}),
        }),
    // names for the departments' codes; without the catalog the codes stand
    listDepartments().catch(() => []),
    // names for the purposes' codes (none when the exchange does not answer: the codes stand);
    // 开放申请 cite 开放数据用途, 共享申请 and calls under a grant the sharing ones
    listPurposes(),
    listPurposes('open-data'),
  ]);
  const names = new Map(departments.map((d) => [d.code, d.shortName ?? d.name]));
  const purposes = purposeNames([...sharingPurposes, ...openDataPurposes], locale);
  const items = page.ok ? page.data.items : [];
  const resources = await lookUpResources(staff.accessToken, items);
  const chosen: Record<string, string> = overseer && department ? { department } : {};
  // one's own department is 本部门; a department an overseer chose is 该部门
  const sides = overseer ? t.sidesOf : t.sides;
  const here = (extra: Record<string, string>) =>
    `/console/evidence?${new URLSearchParams({
      ...(everyDepartment ? {} : { side }),
      ...chosen,
      ...(operation ? { operation } : {}),
      ...extra,
    }).toString()}`;
  return (
    <>
      <h1>{t.title}</h1>
      {everyDepartment ? (
        <p className="lead">{t.allLead}</p>
      ) : (
        <>
          <StatusFilters
            label={t.sidesLabel}
            base="/console/evidence"
            param="side"
            filters={EVIDENCE_SIDES}
            current={side}
            names={sides}
            keep={chosen}
          />
          <p className="lead">{(overseer ? t.leadsOf : t.leads)[side]}</p>
        </>
      )}
      <form method="get" action="/console/evidence" className="console-form approver-inline-form">
        {everyDepartment ? null : <input type="hidden" name="side" value={side} />}
        {overseer ? (
          <label>
            {t.departmentLabel}
            <select name="department" defaultValue={department ?? ''}>
              <option value="">{t.allDepartments}</option>
              {departments.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label>
          {t.operationLabel}
          <select name="operation" defaultValue={operation ?? ''}>
            <option value="">{t.allOperations}</option>
            {EVIDENCE_OPERATIONS.map((o) => (
              <option key={o} value={o}>
                {t.operations[o] ?? o}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button">
          {t.filter}
        </button>
      </form>
      <ListTable
        ok={page.ok}
        rows={items.length}
        text={{ loadFailed: t.loadFailed, empty: t.empty }}
        caption={t.caption(everyDepartment ? t.allDepartments : sides[side])}
        head={[t.time, t.operation, t.actor, t.resource, t.purpose, t.records, t.outcome, t.seq]}
      >
        {items.map((e) => {
          const who = actorParts(e.actor);
          const note = outcomeNote(e);
          const resource = rowResource(e, resources.names, resources.grants);
          const operation = t.operations[operationKey(e)] ?? e.operation;
          const change = grantChange(e);
          return (
            <tr key={e.id} data-evidence-seq={e.seq}>
              <td>{formatDateTime(e.time)}</td>
              <td>
                {change
                  ? t.grantChange(operation, t.grantChanges[change.change] ?? change.change)
                  : operation}
                {change?.reason ? (
                  <span className="hint evidence-note"> {t.changeReason(change.reason)}</span>
                ) : null}
              </td>
              <td>
                {who.kind ? `${t.actorKinds[who.kind] ?? who.kind}${who.name ? ' ' : ''}` : null}
                {who.name ? <span className="steward-code">{who.name}</span> : null}
                <span className="hint">
                  {' '}
                  {e.department ? (names.get(e.department) ?? e.department) : t.noDepartment}
                </span>
              </td>
              <td>
                {resource?.name ? `${resource.name} ` : null}
                {resource ? <span className="steward-code">{resource.code}</span> : '—'}
              </td>
              <td>{e.purpose ? purposeName(e.purpose, purposes) : '—'}</td>
              <td>{e.recordCount}</td>
              <td>
                <span className={`approver-status approver-status-${e.outcome}`}>
                  {t.outcomes[e.outcome] ?? e.outcome}
                </span>
                {note ? (
                  <span className="hint evidence-note">
                    {' '}
                    {note.kind === 'refused' ? note.reason : t.notFound}
                  </span>
                ) : null}
              </td>
              <th scope="row">{e.seq}</th>
            </tr>
          );
        })}
      </ListTable>
      <p className="inline-actions">
        {cursor ? <Link href={here({})}>{t.newest}</Link> : null}
        {page.ok && page.data.nextCursor ? (
          <Link href={here({ cursor: page.data.nextCursor })}>{t.older}</Link>
        ) : null}
      </p>
      <p className="note">{overseer ? t.noteOverseer : t.note}</p>
    </>
  );
}
