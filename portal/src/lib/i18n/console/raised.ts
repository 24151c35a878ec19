import type { Locale } from '../locales.ts';
import type { RaiserStep } from '../../console/steward/feedback.ts';
import type { ObjectionProblem } from '../../console/consumer/objectionForm.ts';

/**
 * The raising side of data objections (本部门提出的异议: my department says another department's
 * data is wrong), in the shape of shell.ts. States and the provider's decisions are named as on
 * the provider's page (steward.ts), so both sides use the same words.
 */
const zh = {
  tabsLabel: '异议范围',
  tabReceived: '对本部门数据的异议',
  tabRaised: '本部门提出的异议',
  raisedLead:
    '本部门认为其他部门共享的数据有误时提出的异议，以及提供部门的答复。对答复满意可以确认关闭，不满意可以写明理由重新打开；提供部门驳回或更正之前可以撤回。',
  raise: '提出数据异议',
  noRaised: '本部门还没有提出过数据异议。',
  provider: '提供部门',
  providerAnswer: '提供部门的答复',
  stepComment: {
    withdraw: '撤回说明（可不填）',
    close: '关闭说明（可不填）',
    reopen: '重新打开的理由',
  } satisfies Record<RaiserStep, string>,
  stepButton: {
    withdraw: '撤回异议',
    close: '确认关闭',
    reopen: '重新打开',
  } satisfies Record<RaiserStep, string>,
  stepDone: {
    withdraw: (n: string) => `已撤回数据异议 ${n}。`,
    close: (n: string) => `已关闭数据异议 ${n}。`,
    reopen: (n: string) => `已重新打开数据异议 ${n}，等待提供部门重新答复。`,
  } satisfies Record<RaiserStep, (n: string) => string>,
  stepFailed: '操作未完成，请稍后重试。',
  reasonNeeded: '重新打开时请写明理由。',
  // 提出
  newTitle: '提出数据异议',
  newLead:
    '只能对本部门有效授权范围内的数据提出异议：授权包含的字段、授权允许看到的记录。提供部门须在 5 个工作日内答复。',
  back: '返回数据异议',
  chooseLead: '选择依据的授权（本部门持有的有效授权）：',
  noGrants: '本部门没有有效的授权，不能提出数据异议。共享数据须先在“本部门申请”中申请。',
  choose: (name: string) => `对此授权的数据提出异议：${name}`,
  chooseShort: '提出异议',
  grantNotActive: '该授权目前不是“有效”状态，不能据此提出异议。',
  grantTitle: '依据的授权',
  recordKey: '记录主键（可不填）',
  recordKeyHint: (fields: string) =>
    `按主键（${fields}）指明有误的记录；整个资源或某个字段普遍有误时可不填。`,
  recordKeyMasked:
    '授权中的主键字段已脱敏或不提供，不能按主键指明记录；请在异议说明中描述是哪条记录。',
  fieldsLegend: '有误的字段（可不选）',
  fieldsHint: '勾选有误的字段；知道正确值时填在字段旁。只能选择授权包含的字段。',
  masked: '已脱敏',
  claimed: (label: string) => `${label}的正确值`,
  description: '异议说明',
  descriptionHint: '说明哪里有误、依据是什么，例如与本部门业务记录核对的结果。',
  linksLabel: '证明材料链接（每行一个，可不填）',
  submit: '提交异议',
  submitted: (n: string) => `已提出数据异议 ${n}，等待提供部门答复。`,
  failed: '异议未提交，请稍后重试。',
  problems: {
    description: '请填写异议说明。',
    text: '有文字过长或含有不能保存的字符。',
    fields: '只能选择授权包含的字段。',
    links: '证明材料链接应为 http(s) 地址，每行一个，最多 20 个。',
  } satisfies Record<ObjectionProblem, string>,
};

export type RaisedText = typeof zh;

const en: RaisedText = {
  tabsLabel: 'Which objections',
  tabReceived: "About my department's data",
  tabRaised: 'Raised by my department',
  raisedLead:
    "Objections my department raised against other departments' shared data, and the providers' answers. Close one when the answer satisfies you, reopen it with a reason when it does not; withdraw it until the provider declines or corrects.",
  raise: 'Raise a data objection',
  noRaised: 'My department has raised no data objections.',
  provider: 'Provider',
  providerAnswer: "The provider's answer",
  stepComment: {
    withdraw: 'Why withdraw (optional)',
    close: 'Closing remark (optional)',
    reopen: 'Why reopen',
  },
  stepButton: { withdraw: 'Withdraw', close: 'Close', reopen: 'Reopen' },
  stepDone: {
    withdraw: (n: string) => `Data objection ${n} withdrawn.`,
    close: (n: string) => `Data objection ${n} closed.`,
    reopen: (n: string) => `Data objection ${n} reopened; the provider answers again.`,
  },
  stepFailed: 'Not done; please try again later.',
  reasonNeeded: 'Say why you reopen it.',
  newTitle: 'Raise a data objection',
  newLead:
    "Only data my department's active grants show can be objected to: the fields a grant covers, the records it lets the department see. The provider answers within 5 working days.",
  back: 'Back to data objections',
  chooseLead: 'Choose the grant (active grants my department holds):',
  noGrants:
    'My department holds no active grant, so it cannot raise objections. Ask for data under Our requests first.',
  choose: (name: string) => `Object to data of this grant: ${name}`,
  chooseShort: 'Object',
  grantNotActive: 'This grant is not active; no objection can be raised under it.',
  grantTitle: 'Under the grant',
  recordKey: 'Record key (optional)',
  recordKeyHint: (fields: string) =>
    `Name the wrong record by its key (${fields}); leave empty when a field is wrong throughout.`,
  recordKeyMasked:
    'The grant masks or leaves out the key, so a record cannot be named by it; describe the record in the text.',
  fieldsLegend: 'Wrong fields (optional)',
  fieldsHint:
    'Tick the wrong fields; give the right value beside a field when you know it. Only fields the grant covers.',
  masked: 'masked',
  claimed: (label: string) => `Right value of ${label}`,
  description: 'What is wrong',
  descriptionHint:
    "Say what is wrong and how you know, e.g. a check against my department's own records.",
  linksLabel: 'Links to supporting material (one per line, optional)',
  submit: 'Raise the objection',
  submitted: (n: string) => `Data objection ${n} raised; the provider answers next.`,
  failed: 'The objection was not raised; please try again later.',
  problems: {
    description: 'Say what is wrong.',
    text: 'A text is too long or holds characters that cannot be stored.',
    fields: 'Only fields the grant covers can be chosen.',
    links: 'Links must be http(s) addresses, one per line, at most 20.',
  },
};

export function raisedText(locale: Locale): RaisedText {
  return locale === 'en' ? en : zh;
}
