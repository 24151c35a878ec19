// The console's 变更历史 reads as words: a field by its label, a coded value by its name — the
// 资源分类 too, which the diff holds as six digits (目 + 细目) under the code's 类项.
import { describe, expect, it } from 'vitest';
import {
  diffRows,
  readablePath,
  readableValue,
  subClassText,
} from '../../portal/src/lib/diffText.ts';
import { stewardText } from '../../portal/src/lib/i18n/console/steward.ts';

describe('the history diff of a directory entry', () => {
  const zh = stewardText('zh-CN');
  const en = stewardText('en');

  it('names the 资源分类 by 目 and 细目, after its theme where the page knows it', () => {
    const [row] = diffRows([{ path: '/subClassCode', before: null, after: '002003' }]);
    expect(readablePath(row!.path, zh)).toBe('资源分类');
    expect(readableValue(row!.path, row!.after, zh)).toBe('目 002 · 细目 003');
    expect(readableValue(row!.path, row!.after, en)).toBe('category 002 · subcategory 003');
    expect(subClassText('001001', zh, '人口基础信息库')).toBe('人口基础信息库 · 目 001 · 细目 001');
    // a creation's whole record reads the same, field by field
    const created = diffRows([
      { path: '/', before: null, after: { name: '常住人口', subClassCode: '001001' } },
    ]);
    expect(created.map((d) => readableValue(d.path, d.after, zh))).toEqual([
      '常住人口',
      '目 001 · 细目 001',
    ]);
    // anything that is not six digits is shown as it is
    expect(readableValue('/subClassCode', '00100', zh)).toBe('00100');
  });
});
