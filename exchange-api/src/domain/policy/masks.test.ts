import { describe, expect, it } from 'vitest';
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
});
