// The approval form's mask choices without a browser: the browser journey approves with the
// usual masks; this checks what each type of item is offered.
import { describe, expect, it } from 'vitest';
import { shownGrantStatus } from '../../portal/src/lib/console/approver/grantStatus.ts';
import {
  keepFirstName,
  keepLastName,
  maskChoicesFor,
  maskName,
  termsFromForm,
  type EditorItem,
} from '../../portal/src/lib/console/approver/policyForm.ts';
import {
  reviewTrail,
  type HistoryEntry,
} from '../../portal/src/lib/console/approver/reviewTrail.ts';
import { approverText } from '../../portal/src/lib/i18n/console/approver.ts';

describe("the approver's mask choices", () => {
  it('offer each type of item only the masks the exchange grants on it', () => {
    // 性别 (a string) generalised to a year would be delivered empty
    expect(maskChoicesFor('string')).toEqual([
      '',
      'keep_first_last',
      'hmac_pseudonym',
      'generalise_district',
      'redact',
    ]);
    expect(maskChoicesFor('date')).toEqual([
      '',
      'hmac_pseudonym',
      'generalise_year',
      'generalise_month',
      'redact',
    ]);
    expect(maskChoicesFor('datetime')).toEqual(maskChoicesFor('date'));
    expect(maskChoicesFor('integer')).toEqual(['', 'keep_first_last', 'hmac_pseudonym', 'redact']);
    expect(maskChoicesFor('boolean')).toEqual(['', 'hmac_pseudonym', 'redact']);
  });

  it('keep offering a choice carried back from a refused form, so it can be seen and changed', () => {
    expect(maskChoicesFor('string', 'generalise_year')).toContain('generalise_year');
  });
});

describe('部分遮盖 left blank', () => {
  const item = (name: string, label: string): EditorItem => ({
    name,
    label,
    dataType: 'string',
    isPersonal: true,
  });
  const items = [
    item('mobile', '手机号码'),
    item('name', '姓名'),
    item('bank_account', '银行卡号'),
    item('id_number', '公民身份号码'),
  ];
  /** the approval form with every item masked keep_first_last, numbers left blank */
  const form = (values: Record<string, string> = {}) => {
    const all: Record<string, string> = { ...values };
    for (const i of items) all[maskName(i.name)] ??= 'keep_first_last';
    return {
      get: (name: string) => all[name] ?? '',
      getAll: (name: string) => (name === 'fields' ? items.map((i) => i.name) : []),
    };
  };

  it('keeps what suits the item: 138****8000, 张**, the last four of a card, else one and one', () => {
    const { terms, problems } = termsFromForm(form(), items);
    expect(problems).toEqual([]);
    expect(terms.masks).toEqual({
      mobile: { kind: 'keep_first_last', first: 3, last: 4 },
      name: { kind: 'keep_first_last', first: 1, last: 0 },
      bank_account: { kind: 'keep_first_last', first: 0, last: 4 },
      id_number: { kind: 'keep_first_last', first: 1, last: 1 },
    });
  });

  it('keeps exactly what the approver typed', () => {
    const { terms } = termsFromForm(
      form({ [keepFirstName('mobile')]: '0', [keepLastName('mobile')]: '2' }),
      items,
    );
    expect(terms.masks?.mobile).toEqual({ kind: 'keep_first_last', first: 0, last: 2 });
  });
});

describe("the reviewer's view of an entry's history", () => {
  let id = 0;
  const step = (action: string, comment: string | null = null): HistoryEntry => ({
    id: ++id,
    action,
    actor: action === 'reject' || action === 'approve' ? 'hz-dsj.approver' : 'hz-gaj.steward',
    actorName: action === 'reject' || action === 'approve' ? '黄审核' : '李静',
    comment,
    at: `2026-03-0${id}T08:00:00.000Z`,
  });

  it('shows the note of the submission under review and the earlier rejections with reasons', () => {
    const trail = reviewTrail([
      step('create'),
      step('submit', '首次提交，请审核。'),
      step('reject', '缺少共享条件的法律依据。'),
      step('update'),
      step('submit', '已补充法律依据。'),
    ]);
    expect(trail.submission).toEqual({
      actor: 'hz-gaj.steward',
      actorName: '李静',
      at: '2026-03-05T08:00:00.000Z',
      note: '已补充法律依据。',
    });
    // latest first, edits left out
    expect(trail.earlier.map((h) => [h.action, h.comment])).toEqual([
      ['reject', '缺少共享条件的法律依据。'],
      ['submit', '首次提交，请审核。'],
    ]);
  });

  it('says when there was no note and nothing before', () => {
    const trail = reviewTrail([step('create'), step('submit', '  ')]);
    expect(trail.submission?.note).toBeNull();
    expect(trail.earlier).toEqual([]);
    expect(reviewTrail([]).submission).toBeUndefined();
  });
});

describe("a grant's status as the console shows it", () => {
  const now = Date.parse('2026-11-24T10:00:00+08:00');
  const text = approverText('zh-CN');

  it('is 待生效 while an approved grant waits for its first day, when calls are refused', () => {
    const scheduled = { status: 'active', validFrom: '2026-11-25T00:00:00+08:00' };
    expect(text.grants.statuses[shownGrantStatus(scheduled, now)]).toBe('待生效');
    const begun = { status: 'active', validFrom: '2026-11-24T00:00:00+08:00' };
    expect(text.grants.statuses[shownGrantStatus(begun, now)]).toBe('有效');
    const suspended = { status: 'suspended', validFrom: '2026-11-25T00:00:00+08:00' };
    expect(text.grants.statuses[shownGrantStatus(suspended, now)]).toBe('已暂停');
  });

  it('says when an approval takes effect later', () => {
    expect(text.requests.approved('SQ20261124000002', '2026-11-25')).toBe(
      '已批准申请 SQ20261124000002，授权自 2026-11-25 起生效。',
    );
    expect(text.requests.approved('SQ20261124000002', null)).toBe(
      '已批准申请 SQ20261124000002，授权已生效。',
    );
  });
});
