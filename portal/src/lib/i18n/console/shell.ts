import type { Locale } from '../locales.ts';

/**
 * The console's frame (navigation, access pages, the start page). Each console area keeps its
 * own sentences in a file beside this one, in the same shape: `{ 'zh-CN': …, en: … }`.
 */
const zh = {
  title: '工作台',
  navLabel: '工作台导航',
  roleNames: {
    'platform-admin': '平台管理员',
    steward: '数据管理员',
    approver: '审核人',
    auditor: '审计员',
  } as Record<string, string>,
  groups: { steward: '数据管理', approver: '审核与授权', authority: '数据主管部门' },
  links: {
    home: '工作台首页',
    resources: '我的资源',
    import: 'Excel 导入导出',
    objections: '数据异议',
    requests: '数据需求',
    myRequests: '本部门申请',
    connectors: '连接器',
    reviews: '目录审核',
    sharingRequests: '共享申请',
    grants: '共享授权',
    openApplications: '开放申请',
    dashboard: '数据看板',
    organisation: '组织机构',
    evidence: '交换记录',
  },
  signedInAs: (name: string, roles: string, department: string | undefined) =>
    `${name}（${roles}${department ? `，${department}` : ''}）`,
  signInTitle: '请登录工作台',
  signInText: '工作台供各部门的数据管理员、审核人和数据主管部门使用，请用政务账号登录。',
  signIn: '登录',
  notStaffTitle: '此页面仅供政务工作人员使用',
  notStaffText: (name: string) =>
    `${name}，您的账号是开发者账号，没有工作台的权限。开放数据和 API key 请到开发者中心办理。`,
  toDeveloper: '前往开发者中心',
  forbiddenTitle: '您的角色不能使用此页面',
  forbiddenText: '此页面需要其他角色。左侧导航中列出了您可以使用的功能。',
  startLead: '下面按您的角色列出在工作台可以办理的事务，以及从哪里开始。',
  publishGuideTitle: '如何发布一个资源',
  publishGuide: [
    '在“我的资源”中点“新建资源”，填写名称、摘要、共享和开放属性，再逐项填写信息项（字段）。也可以在“Excel 导入导出”中下载模板，批量填写后上传。',
    '保存后资源是草稿，页面会显示生成的数据结构和与上一版本的兼容性。',
    '检查无误后点“提交审核”，由数据主管部门的审核人审核。',
    '审核通过后资源即发布：可共享的资源出现在共享目录中，开放资源出现在开放数据网站上。',
  ],
  consumerGuideTitle: '如何申请其他部门的数据',
  consumerGuide: [
    '在“本部门申请”中点“新建共享申请”，在资源目录中检索并选择资源。',
    '勾选需要的字段，选择用途、说明业务场景，引用本部门的三定职责或法律依据，选择共享方式。',
    '无条件共享的资源立即授权；有条件共享的资源由提供部门审批，结果和授权范围（脱敏、行过滤、配额、有效期）在“本部门申请”中查看。',
    '发现获得的数据有误时，在“数据异议”的“本部门提出的异议”中提出异议，跟踪提供部门的答复。',
  ],
  newSharingRequest: '新建共享申请',
  approverGuideTitle: '审核人的工作',
  approverGuide: [
    '“共享申请”列出其他部门对本部门资源的申请，按办理期限排序。',
    '批准时可缩小字段、为字段设置脱敏、设置行过滤、配额和有效期。',
    '“共享授权”中可暂停、恢复或撤销已批准的授权，撤销 1 秒内生效。',
    '“交换记录”列出其他部门对本部门数据的每一次调用（包括被拒绝的调用）和本部门自己的操作，均来自防篡改的存证。',
  ],
  authorityGuideTitle: '数据主管部门',
  authorityGuide: ['“数据看板”汇总全市和各部门的目录、共享和交换情况，可导出。'],
  auditorGuideTitle: '审计',
  auditorGuide: [
    '“交换记录”列出任一部门的数据被谁、为何用途、以何种方式使用，以及该部门自己的操作；每条记录都在防篡改的存证链中。',
    '“数据看板”显示存证链最近一次自动校验的结果。',
    '要核验存证链，请使用交换平台的存证链校验接口（GET /v1/evidence/verify），或在服务器上运行 npm run evidence:verify 逐条核对全链。',
  ],
};

export type ConsoleShellText = typeof zh;

const en: ConsoleShellText = {
  title: 'Console',
  navLabel: 'Console navigation',
  roleNames: {
    'platform-admin': 'Platform admin',
    steward: 'Data steward',
    approver: 'Approver',
    auditor: 'Auditor',
  },
  groups: {
    steward: 'Data management',
    approver: 'Review and grants',
    authority: 'Data authority',
  },
  links: {
    home: 'Console home',
    resources: 'My resources',
    import: 'Excel import/export',
    objections: 'Data objections',
    requests: 'Data requests',
    myRequests: 'Our requests',
    connectors: 'Connectors',
    reviews: 'Directory review',
    sharingRequests: 'Sharing requests',
    grants: 'Grants',
    openApplications: 'Open-data applications',
    dashboard: 'Dashboard',
    organisation: 'Organisation',
    evidence: 'Exchange records',
  },
  signedInAs: (name, roles, department) =>
    `${name} (${roles}${department ? `, ${department}` : ''})`,
  signInTitle: 'Please sign in to the console',
  signInText:
    "The console is for departments' data stewards, approvers and the data authority. Sign in with your government account.",
  signIn: 'Sign in',
  notStaffTitle: 'This page is for government staff',
  notStaffText: (name) =>
    `${name}, yours is a developer account without console rights. Open data and API keys are in the developer center.`,
  toDeveloper: 'Go to the developer center',
  forbiddenTitle: 'Your role cannot use this page',
  forbiddenText: 'This page needs another role. The navigation lists what you can use.',
  startLead: 'What your roles let you do in the console, and where to start.',
  publishGuideTitle: 'How to publish a resource',
  publishGuide: [
    'In “My resources” choose “New resource”, fill in the name, summary, sharing and open attributes, then each information item (field). Or download the template under “Excel import/export”, fill it in and upload it.',
    'Saved, the resource is a draft; the page shows the generated record schema and its compatibility with the last version.',
    'When it is right, choose “Submit for review”; an approver of the data authority reviews it.',
    'Once approved it is published: shareable resources join the sharing directory, open ones the open-data site.',
  ],
  consumerGuideTitle: "How to ask for another department's data",
  consumerGuide: [
    'In “Our requests”, choose “New sharing request” and find the resource in the directory.',
    'Tick the fields you need, choose the purposes and describe the task, cite a statutory function of your department or the law, and choose how the data is delivered.',
    'Unconditionally shared resources are granted at once; conditionally shared ones are decided by the provider. The outcome and what was granted (masks, row filter, quotas, validity) show in “Our requests”.',
    'When data received is wrong, raise an objection under “Data objections”, “Raised by my department”, and follow the provider’s answer.',
  ],
  newSharingRequest: 'New sharing request',
  approverGuideTitle: 'What approvers do',
  approverGuide: [
    "“Sharing requests” lists other departments' requests for your resources, by deadline.",
    'Approving, you may narrow the fields, mask fields, filter rows and set quotas and validity.',
    '“Grants” suspends, resumes or revokes approved grants; a revocation takes effect within 1 s.',
    '“Exchange records” lists every call on your department’s data (refused ones included) and your department’s own acts, from the tamper-evident evidence log.',
  ],
  authorityGuideTitle: 'Data authority',
  authorityGuide: [
    "“Dashboard” sums up the city's and each department's directory, sharing and exchange; it can be exported.",
  ],
  auditorGuideTitle: 'Audit',
  auditorGuide: [
    '“Exchange records” lists who used any department’s data, for what purpose and how, and the department’s own operations; every record is in the tamper-evident evidence chain.',
    '“Dashboard” shows the result of the last automatic check of the evidence chain.',
    'To verify the chain, use the exchange’s chain verification API (GET /v1/evidence/verify), or run npm run evidence:verify on the server.',
  ],
};

export function consoleShellText(locale: Locale): ConsoleShellText {
  return locale === 'en' ? en : zh;
}
