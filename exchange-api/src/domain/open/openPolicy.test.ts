import { InputError } from '@gx/platform';
import { describe, expect, it } from 'vitest';
import { compileOpenPolicy, defaultOpenPolicy, openPolicyOf, type OpenItem } from './openPolicy.ts';

const ITEMS: OpenItem[] = [
  { name: 'licence_no', label: '许可证编号', dataType: 'string', unit: null, isPersonal: false },
  { name: 'holder', label: '持证人', dataType: 'string', unit: null, isPersonal: true },
  { name: 'issued_on', label: '发证日期', dataType: 'date', unit: null, isPersonal: false },
  { name: 'seats', label: '座位数', dataType: 'integer', unit: '个', isPersonal: false },
];
const KEY = Buffer.alloc(32, 7);

function problemsOf(raw: unknown) {
  try {
    compileOpenPolicy(raw, ITEMS, KEY);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).extensions.errors as { path: string; message: string }[];
  }
  throw new Error('compiled');
}

describe('open policies', () => {
  it('default to every item that is not personal, unmasked', () => {
    const compiled = compileOpenPolicy(defaultOpenPolicy(ITEMS), ITEMS, KEY);
    const record = { licence_no: 'A1', holder: '张三', issued_on: '2026-01-02', seats: 8 };
    expect(compiled.shape(record)).toEqual({ licence_no: 'A1', issued_on: '2026-01-02', seats: 8 });
    expect(compiled.allowsPurpose('OPEN_DATA')).toBe(true);
  });

  it('open a personal item only masked, with the policy engine doing the masking', () => {
    const compiled = compileOpenPolicy(
      {
        fields: ['licence_no', 'holder', 'issued_on'],
        masks: {
          holder: { kind: 'keep_first_last', first: 1, last: 0 },
          issued_on: { kind: 'generalise', to: 'year' },
        },
        rowFilter: { field: 'seats', op: '>', value: 5 },
      },
      ITEMS,
      KEY,
    );
    expect(compiled.shape({ licence_no: 'A1', holder: '张三丰', issued_on: '2026-01-02' })).toEqual(
      {
        licence_no: 'A1',
        holder: '张**',
        issued_on: '2026',
      },
    );
    expect(compiled.matches({ seats: 6 })).toBe(true);
    expect(compiled.matches({ seats: 5 })).toBe(false);
    expect(openPolicyOf(compiled)).not.toHaveProperty('purposes');
  });

  it('report every problem at once: unmasked personal items, unknown fields, bad constants, grant-only parts', () => {
    const problems = problemsOf({
      fields: ['holder', 'owner'],
      rowFilter: { field: 'seats', op: '=', value: 'many' },
      purposes: ['OTHER'],
    });
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['/fields/0', '/fields/1', '/rowFilter/value', '/purposes']),
    );
    expect(problems.find((p) => p.path === '/fields/0')!.message).toContain('个人信息');
    expect(problemsOf({ fields: [] }).length).toBeGreaterThan(0);
    expect(problemsOf('everything').length).toBeGreaterThan(0);
  });
});
