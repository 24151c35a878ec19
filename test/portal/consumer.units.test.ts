// The steward's sharing request and data objection without a browser: what the forms send to the
// exchange, and a grant's policy read back in words (the browser test covers the usual case of
// each).
import { describe, expect, it } from 'vitest';
import { urgentFirst } from '../../portal/src/lib/console/approver/deadline.ts';
import { grantTermsText, filterText } from '../../portal/src/lib/console/consumer/grantTerms.ts';
import { objectionFromForm } from '../../portal/src/lib/console/consumer/objectionForm.ts';
import { pickerHits } from '../../portal/src/lib/console/consumer/pickerHits.ts';
import { requestFromForm } from '../../portal/src/lib/console/consumer/requestForm.ts';
import {
  accountOf,
  actorParts,
  grantChange,
  operationKey,
  outcomeNote,
  personLabel,
  purposeName,
  resourceLookups,
  rowResource,
} from '../../portal/src/lib/console/evidenceRows.ts';
import { approverText } from '../../portal/src/lib/i18n/console/approver.ts';
import { consumerText } from '../../portal/src/lib/i18n/console/consumer.ts';
import { evidenceText } from '../../portal/src/lib/i18n/console/evidence.ts';

const CODE = '101001001-002489129-000016';
const ITEMS = ['id_number', 'name', 'mobile', 'district'];
/** a request form with everything the handler requires, and nothing else */
const COMPLETE: [string, string][] = [
  ['fields', 'mobile'],
  ['purposeCodes', 'CREDIT'],
  ['purposeText', '信用监管核查'],
  ['legalBasisText', '依据'],
  ['deliveryModes', 'verify'],
];

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [k, v] of entries) data.append(k, v);
  return data;
}

describe('the resource picker of 新建共享申请', () => {
  const hit = (code: string, provider: string, status = 'published') => ({
    code,
    provider: { code: provider },
    status,
  });

  it('lists and counts only other departments’ published entries', () => {
    const found = {
      total: 340,
      items: [
        hit('a', 'hz-gaj'),
        hit('own-draft', 'hz-rsj', 'draft'),
        hit('own', 'hz-rsj'),
        hit('b', 'hz-mzj'),
        hit('c', 'hz-gaj'),
      ],
      facets: {
        department: [
          { value: 'hz-gaj', count: 200 },
          { value: 'hz-rsj', count: 40 },
          { value: 'hz-mzj', count: 100 },
        ],
      },
    };
    const picked = pickerHits(found, 'hz-rsj', 2);
    expect(picked.items.map((h) => h.code)).toEqual(['a', 'b']);
    expect(picked.total).toBe(300);
    // everything fits: the count is what is listed
    const all = pickerHits(
      {
        total: 3,
        items: found.items.slice(0, 3),
        facets: { department: [{ value: 'hz-rsj', count: 2 }] },
      },
      'hz-rsj',
      20,
    );
    expect(all).toEqual({ total: 1, items: [hit('a', 'hz-gaj')] });
    expect(consumerText('zh-CN').found(all.items.length, all.total)).toBe('找到 1 条资源。');
  });
});

describe('the sharing request form', () => {
  it('sends only the resource’s own fields, known modes and well-formed codes', () => {
    const { body, problems } = requestFromForm(
      form([
        ['fields', 'mobile'],
        ['fields', 'district'],
        ['fields', 'not_an_item'],
        ['fields', 'Bad Name'],
        ['purposeCodes', 'SOCIAL_SECURITY'],
        ['purposeCodes', 'SOCIAL_SECURITY'],
        ['purposeCodes', 'lower'],
        ['purposeText', '  社会保险待遇资格认证  '],
        ['legalBasisFunctionCode', 'ZZ01'],
        ['deliveryModes', 'query'],
        ['deliveryModes', 'teleport'],
        ['periodStart', '2027-01-01'],
        ['periodEnd', '2027-12-31'],
        ['expectedVolume', ''],
      ]),
      CODE,
      ITEMS,
    );
    expect(problems).toEqual([]);
    expect(body).toEqual({
      resourceCode: CODE,
      fields: ['mobile', 'district'],
      purposeCodes: ['SOCIAL_SECURITY'],
      purposeText: '社会保险待遇资格认证',
      legalBasisFunctionCode: 'ZZ01',
      deliveryModes: ['query'],
      periodStart: '2027-01-01',
      periodEnd: '2027-12-31',
    });
  });

  it('names every problem at once and sends nothing', () => {
    const empty = requestFromForm(form([['purposeText', '太短']]), CODE, ITEMS);
    expect(empty.body).toBeUndefined();
    expect(empty.problems).toEqual(['fields', 'purposes', 'purposeText', 'modes', 'legalBasis']);
    const period = requestFromForm(
      form([
        ['fields', 'mobile'],
        ['purposeCodes', 'CREDIT'],
        ['purposeText', '信用监管核查'],
        ['legalBasisText', '《社会信用体系建设规划纲要》'],
        ['deliveryModes', 'verify'],
        ['periodStart', '2027-12-31'],
        ['periodEnd', '2027-01-01'],
      ]),
      CODE,
      ITEMS,
    );
    expect(period.problems).toEqual(['period']);
    const date = requestFromForm(form([...COMPLETE, ['periodStart', '31/12/2027']]), CODE, ITEMS);
    expect(date.problems).toEqual(['date']);
    // eleven purposes are more than the exchange takes
    const many = Array.from({ length: 11 }, (_, i): [string, string] => [
      'purposeCodes',
      `P${String.fromCharCode(65 + i)}`,
    ]);
    expect(
      requestFromForm(
        form([
          ['fields', 'mobile'],
          ...many,
          ['purposeText', '信用监管核查'],
          ['legalBasisText', '依据'],
          ['deliveryModes', 'verify'],
        ]),
        CODE,
        ITEMS,
      ).problems,
    ).toEqual(['purposes']);
  });

  it('names the inputs each problem is about, for the page to mark', () => {
    expect(requestFromForm(form([['purposeText', '太短']]), CODE, ITEMS)).toMatchObject({
      inputs: [
        'fields',
        'purposeCodes',
        'purposeText',
        'deliveryModes',
        'legalBasisFunctionCode',
        'legalBasisText',
      ],
    });
    const dated = (start: string, end: string) =>
      requestFromForm(form([...COMPLETE, ['periodStart', start], ['periodEnd', end]]), CODE, ITEMS);
    expect(dated('2027-01-01', '31/12/2027')).toMatchObject({
      problems: ['date'],
      inputs: ['periodEnd'],
    });
    expect(dated('2027-12-31', '2027-01-01')).toMatchObject({
      problems: ['period'],
      inputs: ['periodStart', 'periodEnd'],
    });
    expect(dated('2027-01-01', '2027-12-31')).not.toHaveProperty('inputs');
  });
});

describe('a grant read back in words', () => {
  const words = {
    a: approverText('zh-CN'),
    t: consumerText('zh-CN'),
    labels: new Map([
      ['district', '所属区县'],
      ['age', '年龄'],
      ['mobile', '手机号码'],
      ['birth_date', '出生日期'],
    ]),
  };

  it('says every kind of row filter the policy language has', () => {
    expect(
      filterText(
        {
          and: [
            { field: 'district', op: 'in', values: ['西湖区', '上城区'] },
            {
              or: [
                { field: 'age', op: '>=', value: 18 },
                { field: 'mobile', op: 'is_null' },
              ],
            },
            { not: { field: 'district', op: 'prefix', value: '萧' } },
          ],
        },
        words,
      ),
    ).toBe(
      '（所属区县 属于 “西湖区”、“上城区”） 并且 （（年龄 大于等于 18） 或者 （手机号码 为空）） 并且 （并非（所属区县 以…开头 “萧”））',
    );
    // a shape the words do not know is shown as it is stored
    expect(filterText({ field: 'x' }, words)).toBe('{"field":"x"}');
  });

  it('names masks, quotas and the fields by their labels', () => {
    expect(
      grantTermsText(
        {
          fields: ['mobile', 'birth_date', 'district'],
          masks: {
            mobile: { kind: 'keep_first_last', first: 3, last: 4 },
            birth_date: { kind: 'generalise', to: 'year' },
            district: { kind: 'redact' },
          },
          quotas: { recordsPerDay: 500, requestsPerSecond: 5 },
        },
        words,
      ),
    ).toEqual({
      fields: '手机号码（mobile）、出生日期（birth_date）、所属区县（district）',
      masks: ['手机号码：保留前 3 位和后 4 位', '出生日期：泛化到年', '所属区县：删除该字段'],
      filter: '无（全部记录）',
      quotas: '每日最多 500 条记录，每秒最多 5 次请求',
    });
    expect(grantTermsText({ fields: ['district'] }, words)).toMatchObject({
      masks: ['不脱敏'],
      quotas: '不限',
    });
  });
});

describe('a list of sharing requests', () => {
  it('puts the pending ones first, nearest deadline first, then the decided ones newest first', () => {
    const r = (number: string, status: string, createdAt: string, deadlineAt: string | null) => ({
      number,
      status,
      createdAt,
      deadlineAt,
    });
    const requests = [
      r('decided-old', 'approved', '2026-11-01T00:00:00Z', null),
      r('pending-late', 'pending', '2026-11-20T00:00:00Z', '2026-11-27T09:00:00Z'),
      r('decided-new', 'rejected', '2026-11-19T00:00:00Z', '2026-11-26T09:00:00Z'),
      r('pending-no-deadline', 'pending', '2026-11-21T00:00:00Z', null),
      r('pending-soon', 'pending', '2026-11-21T00:00:00Z', '2026-11-24T09:00:00Z'),
      r('withdrawn', 'withdrawn', '2026-11-10T00:00:00Z', null),
    ];
    expect([...requests].sort(urgentFirst).map((x) => x.number)).toEqual([
      'pending-soon',
      'pending-late',
      'pending-no-deadline',
      'decided-new',
      'withdrawn',
      'decided-old',
    ]);
  });
});

describe('the data objection form', () => {
  const GRANTED = ['id_number', 'mobile', 'district'];

  it('names the ticked fields and those given a right value, in the grant’s order', () => {
    const { body, problems } = objectionFromForm(
      form([
        ['recordKey', '  P-0001 '],
        ['fields', 'district'],
        ['claimed.mobile', '13800001111'],
        ['claimed.district', ''],
        ['claimed.name', 'not in the grant: ignored'],
        ['description', '  手机号码与本部门社保登记不一致 '],
        ['links', 'https://example.gov.cn/a.pdf\n\n  http://example.gov.cn/b  \n'],
      ]),
      CODE,
      GRANTED,
    );
    expect(problems).toEqual([]);
    expect(body).toEqual({
      resourceCode: CODE,
      recordKey: 'P-0001',
      fields: ['mobile', 'district'],
      claimedValues: { mobile: '13800001111' },
      description: '手机号码与本部门社保登记不一致',
      evidenceLinks: ['https://example.gov.cn/a.pdf', 'http://example.gov.cn/b'],
    });
  });

  it('sends only a description when nothing else is given', () => {
    expect(objectionFromForm(form([['description', '整体数据过期']]), CODE, GRANTED)).toEqual({
      body: { resourceCode: CODE, description: '整体数据过期' },
      problems: [],
    });
  });

  it('names every problem at once and sends nothing', () => {
    const refused = objectionFromForm(
      form([
        ['fields', 'name'],
        ['description', '   '],
        ['links', 'javascript:alert(1)'],
        ['claimed.mobile', 'x'.repeat(2001)],
      ]),
      CODE,
      GRANTED,
    );
    expect(refused.body).toBeUndefined();
    expect(refused.problems.sort()).toEqual(['description', 'fields', 'links', 'text']);
    // each problem's inputs, for the page to mark: the too long right value, not the others
    expect(refused.inputs?.sort()).toEqual(['claimed.mobile', 'description', 'fields', 'links']);
    const many = objectionFromForm(
      form([
        ['description', '链接太多'],
        ['links', Array.from({ length: 21 }, (_, i) => `https://example.gov.cn/${i}`).join('\n')],
      ]),
      CODE,
      GRANTED,
    );
    expect(many.problems).toEqual(['links']);
    const nul = objectionFromForm(form([['description', 'a\u0000b']]), CODE, GRANTED);
    expect(nul.problems.sort()).toEqual(['description', 'text']);
    expect(nul.inputs).toEqual(['description']);
  });
});

describe('交换记录 rows', () => {
  it('name the actor by kind and account, the department code apart', () => {
    expect(actorParts('user:hz-gaj.steward@hz-gaj')).toEqual({
      kind: 'user',
      name: 'hz-gaj.steward',
      department: 'hz-gaj',
    });
    expect(actorParts('system:hz-rsj-system@hz-rsj')).toEqual({
      kind: 'system',
      name: 'hz-rsj-system',
      department: 'hz-rsj',
    });
    // a developer signed up with an e-mail address keeps it whole
    expect(actorParts('developer:li.ming@example.cn')).toEqual({
      kind: 'developer',
      name: 'li.ming@example.cn',
    });
    expect(actorParts('api-key:3f2a')).toEqual({ kind: 'api-key', name: '3f2a' });
    expect(actorParts('anonymous')).toEqual({ kind: 'anonymous', name: '' });
    // connectors by their names (what a batch of two source connectors brought), and the
    // enforcement's deliveries, which name no connector
    expect(actorParts('connector:scjg-enterprises-in,scjg-cdc')).toEqual({
      kind: 'connector',
      name: 'scjg-enterprises-in、scjg-cdc',
    });
    expect(actorParts('connector-enforcement')).toEqual({ kind: 'enforcement', name: '' });
    // anything else is shown as it came
    expect(actorParts('robot:x@y')).toEqual({ kind: undefined, name: 'robot:x@y' });
    expect(accountOf('user:hz-gaj.approver@hz-gaj')).toBe('hz-gaj.approver');
    expect(accountOf('hz-rsj.steward')).toBe('hz-rsj.steward');
    expect(accountOf(null)).toBeNull();
  });

  it('name the exchange’s automatic grant of a 无条件共享 resource as such, not as a person', () => {
    const zh = approverText('zh-CN');
    const en = approverText('en');
    // createSharingRequest records `system` as who decided and who granted
    expect(personLabel('system', null, zh.automatic)).toBe('系统自动批准');
    expect(personLabel('system', undefined, en.automatic)).toBe('Approved automatically');
    expect(personLabel('user:hz-gaj.approver@hz-gaj', '王强', zh.automatic)).toBe(
      '王强（hz-gaj.approver）',
    );
    expect(personLabel('system:hz-rsj-system@hz-rsj', null, zh.automatic)).toBe('hz-rsj-system');
    expect(personLabel(null, null, zh.automatic)).toBeNull();
  });

  it('say why a call was refused, and that a get found nothing', () => {
    expect(
      outcomeNote({
        operation: 'refusal',
        outcome: 'refused',
        details: { mode: 'query', reason: 'not-allowed', detail: '用途 STATISTICS 不在授权范围内' },
      }),
    ).toEqual({ kind: 'refused', reason: '用途 STATISTICS 不在授权范围内' });
    expect(outcomeNote({ operation: 'get', outcome: 'ok', details: { found: false } })).toEqual({
      kind: 'not-found',
    });
    expect(outcomeNote({ operation: 'get', outcome: 'ok', details: {} })).toBeUndefined();
    expect(outcomeNote({ operation: 'refusal', outcome: 'refused' })).toBeUndefined();
    expect(
      outcomeNote({
        operation: 'refusal',
        outcome: 'refused',
        details: { detail: 'x'.repeat(900) },
      }),
    ).toEqual({ kind: 'refused', reason: 'x'.repeat(300) });
  });

  it('say which grant change an entry records, with the reason given', () => {
    const zh = evidenceText('zh-CN');
    const change = (details: Record<string, unknown>) =>
      grantChange({ operation: 'grant-change', details });
    expect(
      change({ change: 'suspend', from: 'active', to: 'suspended', reason: ' 核查中 ' }),
    ).toEqual({ change: 'suspend', reason: '核查中' });
    expect(change({ change: 'resume', from: 'suspended', to: 'active', reason: null })).toEqual({
      change: 'resume',
    });
    expect(change({ change: 'granted', automatic: true })?.change).toBe('granted-automatic');
    for (const key of ['suspend', 'resume', 'revoke', 'granted', 'open-application-approved'])
      expect(zh.grantChanges[change({ change: key })!.change], key).toBeDefined();
    expect(grantChange({ operation: 'grant-change', details: {} })).toBeUndefined();
    expect(grantChange({ operation: 'query', details: { change: 'x' } })).toBeUndefined();
  });

  it("tell a developer's 开放申请 from a department's 共享申请 (both are recorded as requests)", () => {
    const open = { operation: 'request', details: { openApplication: 'x', event: 'submitted' } };
    expect(operationKey(open)).toBe('open-application');
    expect(evidenceText('zh-CN').operations[operationKey(open)]).toBe('开放申请');
    expect(operationKey({ operation: 'request', details: { request: 'y' } })).toBe('request');
    expect(operationKey({ operation: 'query' })).toBe('query');
    // a provider's rejection of an application is not a refused call
    const rejected = { operation: 'refusal', details: { requestNumber: 'SQ1', reason: '不符合' } };
    expect(evidenceText('zh-CN').operations[operationKey(rejected)]).toBe('驳回共享申请');
    const refusedOpen = { operation: 'refusal', details: { openApplication: 'x', reason: '不' } };
    expect(evidenceText('zh-CN').operations[operationKey(refusedOpen)]).toBe('驳回开放申请');
    const refusedCall = { operation: 'refusal', details: { mode: 'query', reason: 'not-allowed' } };
    expect(evidenceText('zh-CN').operations[operationKey(refusedCall)]).toBe('拒绝');
  });

  it('name the resource, from the grant when the entry names only the grant', () => {
    const GRANT = '0f7e6b1c-4a2d-4c1e-9a3b-2d5e8f9a1b2c';
    const entries = [
      { resourceCode: CODE, grantId: GRANT },
      { resourceCode: null, grantId: GRANT },
      { resourceCode: CODE, grantId: null },
      { resourceCode: null, grantId: null },
    ];
    // each code and grant once; a grant only where the entry names no resource
    expect(resourceLookups(entries)).toEqual({ codes: [CODE], grantIds: [GRANT] });
    const names = new Map([[CODE, '居民联系方式']]);
    const grants = new Map([[GRANT, { code: CODE, name: '居民联系方式' }]]);
    expect(rowResource(entries[0]!, names, grants)).toEqual({ code: CODE, name: '居民联系方式' });
    expect(rowResource(entries[1]!, names, grants)).toEqual({ code: CODE, name: '居民联系方式' });
    expect(rowResource(entries[3]!, names, grants)).toBeUndefined();
    // a resource the lookup did not find keeps its code; a grant it did not find, nothing
    expect(rowResource(entries[2]!, new Map(), grants)).toEqual({ code: CODE });
    expect(rowResource(entries[1]!, names, new Map())).toBeUndefined();
  });

  it('name the purpose, an unknown code as it came', () => {
    const purposes = new Map([['SOCIAL_SECURITY', '社会保障']]);
    expect(purposeName('SOCIAL_SECURITY', purposes)).toBe('社会保障');
    expect(purposeName('NOT_LISTED', purposes)).toBe('NOT_LISTED');
  });
});
