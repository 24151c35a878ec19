import type { Locale } from '../locales.ts';

/**
 * The steward's side of sharing (本部门申请: asking other departments for their data, following
 * the requests, the grants held), in the shape of shell.ts. Statuses, delivery modes and masks
 * are named as on the approver's pages (approver.ts), so both sides use the same words.
 */
const zh = {
  title: '本部门申请',
  lead: '本部门向其他部门申请共享的数据：提交申请、跟踪审批、查看获得的授权。无条件共享的资源提交后立即授权；有条件共享的资源由提供部门的审核人在办理期限内审批。',
  newRequest: '新建共享申请',
  filterLabel: '按状态筛选',
  requestsTitle: '共享申请',
  caption: '本部门提交的共享申请',
  empty: '没有符合条件的共享申请。',
  provider: '提供部门',
  grantsTitle: '本部门获得的授权',
  grantsLead:
    '提供部门批准的授权范围与状态。暂停、撤销或过期的授权不能调用；系统调用记录按授权计入交换存证。',
  grantsCaption: '本部门获得的授权',
  grantsEmpty: '本部门还没有获得授权。',
  // 新建
  newTitle: '新建共享申请',
  newLead: '先在资源目录中找到要申请的资源，再说明用途、法律依据、需要的字段和共享方式。',
  searchLabel: '检索资源目录',
  searchButton: '检索',
  searchHint: '列出其他部门已发布、可以共享（无条件共享、有条件共享）的资源。',
  found: (shown: number, total: number) =>
    total > shown
      ? `找到 ${total} 条资源，显示前 ${shown} 条；请用更具体的检索词。`
      : `找到 ${total} 条资源。`,
  noMatch: '没有找到可以申请的资源，请换一个检索词。',
  searchFailed: '未能检索资源目录，请稍后重试。',
  choose: (name: string) => `申请此资源：${name}`,
  chooseShort: '申请此资源',
  resourceTitle: '申请的资源',
  otherResource: '换一个资源',
  ownResource: '这是本部门自己的资源，不需要申请。',
  notShared: (basis: string) => `该资源为“不予共享”，不能申请。提供部门的依据：${basis}`,
  unconditional: '该资源为无条件共享：提交后立即授权（仍记入交换存证）。',
  conditional: (conditions: string) =>
    `该资源为有条件共享，提交后由提供部门审批。共享条件：${conditions || '—'}`,
  fieldsLegend: '申请字段',
  fieldsHint:
    '只申请履职需要的字段；未勾选的字段不会交付。标有“个人信息”的字段，提供部门可能要求脱敏。',
  personal: '个人信息',
  purposesLegend: '用途（可多选）',
  purposeText: '用途说明',
  purposeTextHint: '说明业务场景和数据的使用方式，至少 4 个字。提供部门的审核人会看到这段说明。',
  legalLegend: '法律依据',
  legalFunction: '依据的本部门三定职责',
  legalFunctionNone: '（不引用三定职责）',
  legalText: '法律法规依据或其他说明',
  legalHint: '引用本部门的三定职责，或写明法律法规条款，至少填写一项。',
  modesLegend: '共享方式（可多选）',
  periodLegend: '使用期限与数据量（可不填）',
  periodStart: '开始日期',
  periodEnd: '结束日期',
  volume: '预计数据量',
  volumeHint: '例如“每日约 500 条”。',
  submit: '提交申请',
  submitted: (n: string) => `已提交共享申请 ${n}，等待提供部门审批。`,
  granted: (n: string) => `共享申请 ${n} 已获授权。`,
  failed: '申请未提交，请稍后重试。',
  problems: {
    fields: '请至少勾选一个申请字段。',
    purposes: '请选择用途（1 到 10 个）。',
    purposeText: '用途说明至少 4 个字。',
    modes: '请至少选择一种共享方式。',
    legalBasis: '请选择依据的三定职责，或填写法律法规依据。',
    period: '结束日期早于开始日期。',
    date: '日期格式应为 年-月-日。',
  },
  // 详情
  detailTitle: (n: string) => `共享申请 ${n}`,
  withdrawTitle: '撤回申请',
  withdrawLead: '撤回后提供部门不再审批。仍需要数据时可以重新申请。',
  withdraw: '撤回申请',
  withdrawn: (n: string) => `已撤回申请 ${n}。`,
  withdrawFailed: '申请未撤回，请稍后重试。',
  grantTitle: '授权范围',
  grantStatus: '授权状态',
  grantFields: '可获取字段',
  grantMasks: '脱敏',
  noMasks: '不脱敏',
  keep: (first: number, last: number) => `保留前 ${first} 位和后 ${last} 位`,
  grantFilter: '行过滤',
  noFilter: '无（全部记录）',
  and: '并且',
  or: '或者',
  not: '并非',
  in: '属于',
  grantQuotas: '配额',
  perDay: (n: number) => `每日最多 ${n} 条记录`,
  perSecond: (n: number) => `每秒最多 ${n} 次请求`,
  noQuotas: '不限',
  grantValidity: '有效期',
  grantedBy: '批准人',
  callNote: '本部门的系统以自己的客户端凭据调用，每次调用须在请求头中声明授权范围内的用途。',
};

export type ConsumerText = typeof zh;

const en: ConsumerText = {
  title: 'Our requests',
  lead: "Data my department asks other departments for: submit a request, follow its review, see the grants received. Unconditionally shared resources are granted at once; conditionally shared ones are decided by the provider's approvers within the deadline.",
  newRequest: 'New sharing request',
  filterLabel: 'Filter by status',
  requestsTitle: 'Sharing requests',
  caption: 'Sharing requests my department made',
  empty: 'No sharing requests match.',
  provider: 'Provider',
  grantsTitle: 'Grants my department holds',
  grantsLead:
    "What each provider granted, and the grant's state. Suspended, revoked or expired grants cannot be called; every call is recorded in the exchange evidence under its grant.",
  grantsCaption: 'Grants my department holds',
  grantsEmpty: 'My department holds no grants yet.',
  newTitle: 'New sharing request',
  newLead:
    'Find the resource in the directory first, then state the purpose, the legal basis, the fields and how the data is to be delivered.',
  searchLabel: 'Search the directory',
  searchButton: 'Search',
  searchHint:
    "Lists other departments' published resources that can be shared (unconditionally or conditionally).",
  found: (shown: number, total: number) =>
    total > shown
      ? `${total} resources found, the first ${shown} shown; try more specific words.`
      : `${total} resources found.`,
  noMatch: 'No resource that can be requested matches; try other words.',
  searchFailed: 'The directory could not be searched; please try again later.',
  choose: (name: string) => `Request this resource: ${name}`,
  chooseShort: 'Request this resource',
  resourceTitle: 'Requested resource',
  otherResource: 'Choose another resource',
  ownResource: "This is my department's own resource; it needs no request.",
  notShared: (basis: string) =>
    `This resource is not shared and cannot be requested. The provider's basis: ${basis}`,
  unconditional:
    'This resource is shared unconditionally: the request is granted at once (and recorded in the evidence).',
  conditional: (conditions: string) =>
    `This resource is shared on conditions; the provider decides. Conditions: ${conditions || '—'}`,
  fieldsLegend: 'Fields',
  fieldsHint:
    'Ask only for the fields your duties need; unticked fields are never delivered. The provider may mask fields marked as personal data.',
  personal: 'Personal data',
  purposesLegend: 'Purposes (one or more)',
  purposeText: 'Purpose',
  purposeTextHint:
    "Describe the task and how the data will be used, at least 4 characters. The provider's approver reads this.",
  legalLegend: 'Legal basis',
  legalFunction: "My department's statutory function",
  legalFunctionNone: '(no statutory function cited)',
  legalText: 'Law, regulation or other basis',
  legalHint: 'Cite a statutory function of my department, or the article of law, or both.',
  modesLegend: 'Delivery modes (one or more)',
  periodLegend: 'Period and volume (optional)',
  periodStart: 'From',
  periodEnd: 'Until',
  volume: 'Expected volume',
  volumeHint: 'For example “about 500 records a day”.',
  submit: 'Submit the request',
  submitted: (n: string) => `Sharing request ${n} submitted; the provider will decide.`,
  granted: (n: string) => `Sharing request ${n} was granted.`,
  failed: 'The request was not submitted; please try again later.',
  problems: {
    fields: 'Tick at least one field.',
    purposes: 'Choose one to ten purposes.',
    purposeText: 'The purpose needs at least 4 characters.',
    modes: 'Choose at least one delivery mode.',
    legalBasis: 'Choose a statutory function, or state the legal basis.',
    period: 'The end date is before the start date.',
    date: 'Dates are written year-month-day.',
  },
  detailTitle: (n: string) => `Sharing request ${n}`,
  withdrawTitle: 'Withdraw the request',
  withdrawLead:
    'A withdrawn request is no longer decided. If the data is still needed, request it again.',
  withdraw: 'Withdraw',
  withdrawn: (n: string) => `Request ${n} withdrawn.`,
  withdrawFailed: 'The request was not withdrawn; please try again later.',
  grantTitle: 'What was granted',
  grantStatus: 'Grant status',
  grantFields: 'Fields',
  grantMasks: 'Masks',
  noMasks: 'None',
  keep: (first: number, last: number) => `first ${first} and last ${last} characters kept`,
  grantFilter: 'Row filter',
  noFilter: 'None (every record)',
  and: 'and',
  or: 'or',
  not: 'not',
  in: 'is one of',
  grantQuotas: 'Quotas',
  perDay: (n: number) => `at most ${n} records a day`,
  perSecond: (n: number) => `at most ${n} requests a second`,
  noQuotas: 'None',
  grantValidity: 'Valid',
  grantedBy: 'Granted by',
  callNote:
    "My department's systems call with their own client credentials and state, in a header, a purpose the grant allows.",
};

export function consumerText(locale: Locale): ConsumerText {
  return locale === 'en' ? en : zh;
}
