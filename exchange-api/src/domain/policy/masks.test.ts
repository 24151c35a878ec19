import { describe, expect, it } from 'vitest';
import { InputError } from '@gx/platform';
import { compilePolicy } from './compilePolicy.ts';
import { applyMask, generalise, hmacPseudonym, keepFirstLast, REMOVED } from './masks.ts';

describe('masks', () => {
  it('keep_first_last keeps both ends of Chinese names, ID numbers and phones', () => {
    expect(keepFirstLast('欧阳娜娜')).toBe('欧**娜');
    expect(keepFirstLast('330106199001011234', 6, 4)).toBe('330106********1234');
    expect(keepFirstLast('13800138000', 3, 4)).toBe('138****8000');
    expect(keepFirstLast('张三')).toBe('张*');
    expect(keepFirstLast('李')).toBe('李');
    expect(keepFirstLast('')).toBe('');
    // supplementary-plane characters count as one
    expect(keepFirstLast('𠀋𠀋𠀋')).toBe('𠀋*𠀋');
  });

  it('hmac_pseudonym is stable within a grant and different across grants', () => {
    const a = Buffer.from('grant-a-key');
    const b = Buffer.from('grant-b-key');
    expect(hmacPseudonym('330106199001011234', a)).toBe(hmacPseudonym('330106199001011234', a));
    expect(hmacPseudonym('330106199001011234', a)).not.toBe(hmacPseudonym('330106199001011234', b));
    expect(hmacPseudonym('330106199001011234', a)).not.toContain('3301');
    expect(hmacPseudonym('330106199001011234', a)).toHaveLength(22);
  });

  it('generalise: dates to year or month, addresses to district', () => {
    expect(generalise('1990-05-17', 'year')).toBe('1990');
    expect(generalise('2026-11-21T08:00:00+08:00', 'month')).toBe('2026-11');
    expect(generalise('浙江省杭州市西湖区文三路90号', 'district')).toBe('浙江省杭州市西湖区');
    expect(generalise('杭州市上城区解放路138号3幢', 'district')).toBe('杭州市上城区');
    expect(generalise('北京市海淀区中关村大街1号', 'district')).toBe('北京市海淀区');
    expect(generalise('浙江省淳安县千岛湖镇', 'district')).toBe('浙江省淳安县');
    expect(generalise('浙江省义乌市稠城街道', 'district')).toBe('浙江省义乌市');
    expect(generalise('内蒙古自治区呼和浩特市新城区', 'district')).toBe(
      '内蒙古自治区呼和浩特市新城区',
    );
    expect(generalise('文三路90号', 'district')).toBeNull();
    expect(generalise('文三路阳光小区', 'district')).toBeNull();
    expect(generalise('not a date', 'year')).toBeNull();
  });

  it('redact removes the field; nulls stay null', () => {
    const key = Buffer.from('k');
    expect(applyMask('秘密', { kind: 'redact' }, key)).toBe(REMOVED);
    expect(applyMask(null, { kind: 'keep_first_last' }, key)).toBeNull();
    expect(applyMask(12345, { kind: 'keep_first_last', first: 1, last: 1 }, key)).toBe('1***5');
  });

  it('a policy whose mask does not fit its field is refused, naming the field', () => {
    const types = {
      gender: 'string',
      birth_date: 'date',
      mobile: 'string',
      insured: 'boolean',
      income: 'number',
    } as const;
    const refusal = (masks: object) => {
      try {
        compilePolicy(
          { fields: Object.keys(types), purposes: ['SOCIAL_SECURITY'], masks },
          types,
          Buffer.alloc(32),
        );
      } catch (error) {
        if (error instanceof InputError)
          return error.extensions.errors as { path: string; message: string }[];
        throw error;
      }
      return [];
    };
    // 性别 generalised to a year would be null in every record
    expect(refusal({ gender: { kind: 'generalise', to: 'year' } })).toEqual([
      { path: '/masks/gender', message: '字段 gender：按年/月泛化只适用于日期或日期时间字段' },
    ]);
    expect(refusal({ birth_date: { kind: 'generalise', to: 'district' } })[0]?.message).toBe(
      '字段 birth_date：泛化到区县只适用于文本（地址）字段',
    );
    expect(refusal({ insured: { kind: 'keep_first_last' } })[0]?.path).toBe('/masks/insured');
    expect(refusal({ birth_date: { kind: 'keep_first_last' } })[0]?.path).toBe('/masks/birth_date');
    // what fits is granted: every type takes a pseudonym or removal
    expect(
      refusal({
        gender: { kind: 'redact' },
        birth_date: { kind: 'generalise', to: 'month' },
        mobile: { kind: 'keep_first_last', first: 3, last: 4 },
        insured: { kind: 'hmac_pseudonym' },
        income: { kind: 'keep_first_last' },
      }),
    ).toEqual([]);
  });

  it('a policy that breaks its schema is refused in Chinese, each problem at its field', () => {
    let problems: unknown;
    try {
      compilePolicy({ fields: 'gender', masks: {} }, { gender: 'string' }, Buffer.alloc(32));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems = error.extensions.errors;
    }
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '/fields', message: '应为数组' },
        { path: '/purposes', message: '必填' },
      ]),
    );
  });
});
