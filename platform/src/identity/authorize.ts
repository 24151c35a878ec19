import { NotAllowedError, NotFoundError, UnauthenticatedError } from '../errors/errors.ts';
import { hasRole, type Actor } from './Actor.ts';

/**
 * Everything the platform guards. One table decides them all (see docs/authorization.md);
 * services call `authorize` through their Authorized* wrappers and never test roles themselves.
 */
export type Action =
  /** regions, departments, department systems: create, rotate, disable */
  | 'organisation.administer'
  /** a department's own details (contacts) */
  | 'department.update'
  /** see a department's systems */
  | 'department.systems.read'
  /** a department's directory entries: edit drafts, submit */
  | 'resource.manage'
  /** review directory entries: approve, reject, publish, retire (the data authority) */
  | 'resource.review'
  /** ask another department for a resource (共享申请), on behalf of one's own department */
  | 'request.create'
  /** approve or reject requests addressed to a department; suspend, resume, revoke its grants */
  | 'request.decide'
  /** read the evidence log */
  | 'evidence.read'
  /**
   * read a department's part of the evidence log: what it did, and what was done with its data
   * (its own staff; auditors and the admin for any department)
   */
  | 'evidence.department'
  /** call the exchange as a department system (within its grants) */
  | 'exchange.call'
  /** create, rotate, revoke one's own developer API keys */
  | 'apikey.manage'
  /**
   * raise a data objection (数据异议), or withdraw, close or reopen it: on behalf of one's own
   * department, or as a person or API key (open resources; the domain checks which data)
   */
  | 'objection.raise'
  /** answer (accept, reject), mark corrected and correct the record of (更正记录) the objections to a department's data */
  | 'objection.answer'
  /** see every department's objections (the data authority's oversight) */
  | 'objection.oversee'
  /**
   * a department's connectors (sources into its resources, sinks of its subscription grants):
   * create, configure, pause, resume, stop, restart, delete, read their status and offsets
   */
  | 'connector.manage'
  /** harvest sources (采集来源) and their jobs: configure, run, read logs (the platform admin) */
  | 'harvest.manage'
  /** apply for 有条件开放 data (开放申请), follow one's applications, claim the approved key */
  | 'openapp.apply'
  /** see and decide (approve, reject) the open-data applications for a department's resources */
  | 'openapp.decide'
  /** ask publicly for data (数据需求) as a signed-in person; see one's own requests' contact */
  | 'datarequest.create'
  /**
   * answer a data request publicly (已答复, 已开放, 暂不开放) for a department: the wanted one, or
   * one's own when the request names none; see the requests' contact
   */
  | 'datarequest.answer'
  /** rate and comment on a published open dataset; change or delete one's own review */
  | 'review.write'
  /**
   * read the working figures (dashboards: request turnaround, exchange volume) of a department;
   * with the data authority as target, of every department
   */
  | 'report.read';

export interface AuthorizationTarget {
  /** the department that owns the thing acted on */
  departmentCode?: string;
  /** the data authority (数据主管部门) responsible for it, for reviews */
  dataAuthorityCode?: string;
}

const ownDepartment = (actor: Actor, target: AuthorizationTarget) =>
  (actor.kind === 'user' || actor.kind === 'system') &&
  actor.departmentCode !== undefined &&
  actor.departmentCode === target.departmentCode;

const RULES: Record<Action, (actor: Actor, target: AuthorizationTarget) => boolean> = {
  'organisation.administer': (a) => a.kind === 'user' && hasRole(a, 'platform-admin'),
  'department.update': (a, t) =>
    (a.kind === 'user' && hasRole(a, 'platform-admin')) ||
    (hasRole(a, 'steward') && ownDepartment(a, t)),
  'department.systems.read': (a, t) =>
    (a.kind === 'user' && hasRole(a, 'platform-admin')) ||
    ((hasRole(a, 'steward') || hasRole(a, 'approver')) && ownDepartment(a, t)),
  'resource.manage': (a, t) => a.kind === 'user' && hasRole(a, 'steward') && ownDepartment(a, t),
  'resource.review': (a, t) =>
    a.kind === 'user' &&
    hasRole(a, 'approver') &&
    t.dataAuthorityCode !== undefined &&
    a.departmentCode === t.dataAuthorityCode,
  'request.create': (a, t) =>
    ((a.kind === 'user' && hasRole(a, 'steward')) ||
      (a.kind === 'system' && hasRole(a, 'system'))) &&
    ownDepartment(a, t),
  'request.decide': (a, t) => a.kind === 'user' && hasRole(a, 'approver') && ownDepartment(a, t),
  'evidence.read': (a) =>
    a.kind === 'user' && (hasRole(a, 'auditor') || hasRole(a, 'platform-admin')),
  'evidence.department': (a, t) =>
    RULES['evidence.read'](a, t) ||
    (a.kind === 'user' && (hasRole(a, 'steward') || hasRole(a, 'approver')) && ownDepartment(a, t)),
  'exchange.call': (a, t) => a.kind === 'system' && hasRole(a, 'system') && ownDepartment(a, t),
  'apikey.manage': (a) => (a.kind === 'developer' || a.kind === 'user') && hasRole(a, 'developer'),
  'objection.raise': (a, t) =>
    RULES['request.create'](a, t) ||
    (a.kind === 'developer' && hasRole(a, 'developer')) ||
    a.kind === 'api-key',
  'objection.answer': (a, t) => a.kind === 'user' && hasRole(a, 'steward') && ownDepartment(a, t),
  'objection.oversee': (a, t) =>
    a.kind === 'user' &&
    (hasRole(a, 'platform-admin') ||
      hasRole(a, 'auditor') ||
      ((hasRole(a, 'steward') || hasRole(a, 'approver')) &&
        t.dataAuthorityCode !== undefined &&
        a.departmentCode === t.dataAuthorityCode)),
  'connector.manage': (a, t) =>
    (a.kind === 'user' && hasRole(a, 'platform-admin')) ||
    (((a.kind === 'user' && hasRole(a, 'steward')) ||
      (a.kind === 'system' && hasRole(a, 'system'))) &&
      ownDepartment(a, t)),
  'harvest.manage': (a) => a.kind === 'user' && hasRole(a, 'platform-admin'),
  'openapp.apply': (a) => (a.kind === 'developer' || a.kind === 'user') && hasRole(a, 'developer'),
  'openapp.decide': (a, t) =>
    a.kind === 'user' && (hasRole(a, 'steward') || hasRole(a, 'approver')) && ownDepartment(a, t),
  'datarequest.create': (a) =>
    (a.kind === 'developer' || a.kind === 'user') && hasRole(a, 'developer'),
  'review.write': (a) => (a.kind === 'developer' || a.kind === 'user') && hasRole(a, 'developer'),
  'report.read': (a, t) =>
    a.kind === 'user' &&
    (hasRole(a, 'platform-admin') ||
      hasRole(a, 'auditor') ||
      ((hasRole(a, 'steward') || hasRole(a, 'approver')) &&
        (ownDepartment(a, t) ||
          (t.dataAuthorityCode !== undefined && a.departmentCode === t.dataAuthorityCode)))),
  'datarequest.answer': (a, t) => a.kind === 'user' && hasRole(a, 'steward') && ownDepartment(a, t),
};

export function isAllowed(actor: Actor, action: Action, target: AuthorizationTarget = {}): boolean {
  // own properties only: an action name such as `toString` must never find a rule
  if (!Object.hasOwn(RULES, action)) return false;
  return RULES[action](actor, target) === true;
}

/** Who may, in the words of a refusal (403): a caller who is told no learns who to ask. */
const WHO_MAY: Record<Action, string> = {
  'organisation.administer': '仅平台管理员可以办理',
  'department.update': '仅本部门的数据管理员（steward）或平台管理员可以办理',
  'department.systems.read': '仅本部门的数据管理员、审批人或平台管理员可以查看',
  'resource.manage': '仅提供部门的数据管理员（steward）可以办理',
  'resource.review': '仅数据主管部门的审批人（approver）可以审核',
  'request.create': '仅本部门的数据管理员或本部门的业务系统可以申请',
  'request.decide': '仅提供部门的审批人（approver）可以办理',
  'evidence.read': '仅审计员或平台管理员可以查看',
  'evidence.department': '仅本部门的数据管理员、审批人，或审计员、平台管理员可以查看',
  'exchange.call': '仅部门的业务系统（客户端凭证）可以调用，且只能为本部门',
  'apikey.manage': '仅开发者账号可以管理 API key',
  'objection.raise': '仅使用方部门的数据管理员或业务系统、开发者可以提出',
  'objection.answer': '仅提供部门的数据管理员（steward）可以答复',
  'objection.oversee': '仅数据主管部门、审计员或平台管理员可以督办',
  'connector.manage': '仅本部门的数据管理员、本部门的业务系统或平台管理员可以管理',
  'harvest.manage': '仅平台管理员可以管理目录汇聚',
  'openapp.apply': '仅开发者账号可以申请',
  'openapp.decide': '仅提供部门的数据管理员或审批人可以审核',
  'datarequest.create': '仅开发者账号可以提出数据需求',
  'review.write': '仅开发者账号可以评价',
  'report.read': '仅本部门的数据管理员、审批人，或数据主管部门、审计员、平台管理员可以查看',
  'datarequest.answer': '仅被请求部门的数据管理员（steward）可以答复',
};

/**
 * Throw unless `actor` may perform `action` on `target`. Anonymous callers get 401. A denied
 * `read` answers 404 so that it does not reveal the thing exists; a denied `write` answers 403.
 */
export function authorize(
  actor: Actor,
  action: Action,
  target: AuthorizationTarget,
  mode: 'read' | 'write',
): void {
  if (isAllowed(actor, action, target)) return;
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或提供访问令牌');
  if (mode === 'read') throw new NotFoundError('资源不存在或无权查看');
  throw new NotAllowedError(`无权执行此操作：${WHO_MAY[action]}（${action}）`);
}
