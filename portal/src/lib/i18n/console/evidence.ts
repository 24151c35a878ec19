import type { Locale } from '../locales.ts';

/**
 * 交换记录: a department's part of the evidence log (who used its data, what it did), in the
 * shape of shell.ts.
 */
const zh = {
  title: '交换记录',
  sidesLabel: '记录范围',
  sides: { provided: '本部门数据的使用', acted: '本部门的操作' },
  leads: {
    provided:
      '其他部门的系统、人员和开放数据用户对本部门资源的每一次查询、核验、导出、订阅交付和被拒绝的调用，以及本部门自己的写入。每条记录都在防篡改的存证链中，可凭存证编号向审计员核验。',
    acted:
      '本部门的人员和系统在交换平台上的每一次操作：调用其他部门的数据、被拒绝的调用、共享申请、数据异议、写入本部门资源。',
  },
  // auditors and the platform's admin look at other departments, or at all of them
  sidesOf: { provided: '该部门数据的使用', acted: '该部门的操作' },
  leadsOf: {
    provided:
      '其他部门的系统、人员和开放数据用户对该部门资源的每一次查询、核验、导出、订阅交付和被拒绝的调用，以及该部门自己的写入。',
    acted:
      '该部门的人员和系统在交换平台上的每一次操作：调用其他部门的数据、被拒绝的调用、共享申请、数据异议、写入该部门资源。',
  },
  allDepartments: '全部部门',
  allLead:
    '全平台的交换记录：各部门的系统、人员和开放数据用户的每一次查询、核验、导出、订阅交付、写入、申请、授权变更、数据异议和被拒绝的调用。选择一个部门，可分别查看该部门数据的使用和该部门的操作。',
  operationLabel: '操作类型',
  allOperations: '全部',
  filter: '筛选',
  operations: {
    query: '查询',
    get: '按主键获取',
    verify: '核验',
    export: '导出',
    'subscription-delivery': '订阅交付',
    ingest: '数据写入',
    request: '共享申请',
    'open-application': '开放申请',
    'grant-change': '授权变更',
    refusal: '拒绝',
    'request-rejected': '驳回共享申请',
    'open-application-rejected': '驳回开放申请',
    'open-data': '开放数据调用',
    objection: '数据异议',
    delete: '删除记录',
  } as Record<string, string>,
  // which grant change (evidenceRows grantChange), after 授权变更：
  grantChanges: {
    granted: '批准',
    'granted-automatic': '自动批准（无条件共享）',
    suspend: '暂停',
    resume: '恢复',
    revoke: '撤销',
    'open-application-approved': '批准开放申请',
  } as Record<string, string>,
  grantChange: (operation: string, change: string) => `${operation}：${change}`,
  changeReason: (reason: string) => `理由：${reason}`,
  caption: (side: string) => `交换记录：${side}`,
  time: '时间',
  operation: '操作',
  actor: '操作方',
  resource: '资源',
  purpose: '用途',
  records: '记录数',
  outcome: '结果',
  outcomes: { ok: '完成', refused: '拒绝' } as Record<string, string>,
  notFound: '未找到记录',
  actorKinds: {
    user: '人员',
    system: '系统',
    developer: '开发者',
    'api-key': 'API key',
    anonymous: '匿名访问',
    connector: '连接器',
    enforcement: '交换平台（按授权交付）',
  } as Record<string, string>,
  seq: '存证序号',
  noDepartment: '（无部门）',
  empty: '没有符合条件的记录。',
  older: '更早的记录',
  newest: '回到最新',
  loadFailed: '未能读取交换记录，请稍后重试。',
  note: '记录按存证链顺序从新到旧排列；完整的存证日志和链校验由审计员在平台上查看。',
  noteOverseer:
    '记录按存证链顺序从新到旧排列。整条存证链的校验：GET /v1/evidence/verify（审计员），或在服务器上运行 npm run evidence:verify。',
  departmentLabel: '部门',
};

export type EvidenceText = typeof zh;

const en: EvidenceText = {
  title: 'Exchange records',
  sidesLabel: 'Which records',
  sides: { provided: 'Use of our data', acted: 'What we did' },
  leads: {
    provided:
      "Every query, verification, export, subscription delivery and refused call on my department's resources, by other departments' systems and staff and by open-data users, and my department's own writes. Each record is in the tamper-evident evidence chain; an auditor can check it by its number.",
    acted:
      "Everything my department's staff and systems did on the exchange: calls on other departments' data, refused calls, sharing requests, data objections, writes to our resources.",
  },
  sidesOf: { provided: "Use of this department's data", acted: 'What this department did' },
  leadsOf: {
    provided:
      "Every query, verification, export, subscription delivery and refused call on this department's resources, by other departments' systems and staff and by open-data users, and the department's own writes.",
    acted:
      "Everything this department's staff and systems did on the exchange: calls on other departments' data, refused calls, sharing requests, data objections, writes to its resources.",
  },
  allDepartments: 'All departments',
  allLead:
    "The whole platform's exchange records: every query, verification, export, subscription delivery, write, request, grant change, data objection and refused call, by every department's systems and staff and by open-data users. Choose a department to see the use of its data and what it did.",
  operationLabel: 'Operation',
  allOperations: 'All',
  filter: 'Filter',
  operations: {
    query: 'Query',
    get: 'Get by key',
    verify: 'Verify',
    export: 'Export',
    'subscription-delivery': 'Subscription delivery',
    ingest: 'Ingest',
    request: 'Sharing request',
    'open-application': 'Open-data application',
    'grant-change': 'Grant change',
    refusal: 'Refusal',
    'request-rejected': 'Sharing request rejected',
    'open-application-rejected': 'Open-data application rejected',
    'open-data': 'Open-data call',
    objection: 'Data objection',
    delete: 'Record deletion',
  },
  grantChanges: {
    granted: 'approved',
    'granted-automatic': 'approved automatically (unconditional sharing)',
    suspend: 'suspended',
    resume: 'resumed',
    revoke: 'revoked',
    'open-application-approved': 'open-data application approved',
  },
  grantChange: (operation: string, change: string) => `${operation}: ${change}`,
  changeReason: (reason: string) => `Reason: ${reason}`,
  caption: (side: string) => `Exchange records: ${side}`,
  time: 'Time',
  operation: 'Operation',
  actor: 'By',
  resource: 'Resource',
  purpose: 'Purpose',
  records: 'Records',
  outcome: 'Outcome',
  outcomes: { ok: 'Done', refused: 'Refused' },
  notFound: 'no record found',
  actorKinds: {
    user: 'Person',
    system: 'System',
    developer: 'Developer',
    'api-key': 'API key',
    anonymous: 'Anonymous',
    connector: 'Connector',
    enforcement: 'The exchange (delivery under the grant)',
  },
  seq: 'Evidence no.',
  noDepartment: '(no department)',
  empty: 'No records match.',
  older: 'Older records',
  newest: 'Back to the newest',
  loadFailed: 'The records could not be read; please try again later.',
  note: 'Newest first, in the order of the evidence chain; auditors see the whole log and check the chain.',
  noteOverseer:
    'Newest first, in the order of the evidence chain. To verify the whole chain: GET /v1/evidence/verify (auditors), or npm run evidence:verify on the server.',
  departmentLabel: 'Department',
};

export function evidenceText(locale: Locale): EvidenceText {
  return locale === 'en' ? en : zh;
}
