// The Excel template and the console name the same values with the same words: a steward who
// picks 电子文档 in the console finds 电子文档 in the exported workbook, and can type it back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DATA_TYPE_LABELS,
  FORMAT_LABELS,
  GRADE_LABELS,
  OPEN_TYPE_LABELS,
  SHARING_METHOD_LABELS,
  SHARING_TYPE_LABELS,
  UPDATE_CYCLE_LABELS,
} from '../../catalog/src/domain/excel/labels.ts';
import { parseCell } from '../../catalog/src/domain/excel/parseCell.ts';
import { ITEM_COLUMNS, RESOURCE_COLUMNS } from '../../catalog/src/domain/excel/workbookLayout.ts';
import { approverText } from '../../portal/src/lib/i18n/console/approver.ts';
import { stewardText } from '../../portal/src/lib/i18n/console/steward.ts';
import { label, purposeLabel } from '../../portal/src/lib/i18n/labels.ts';

describe('the Excel template and the portal use the same Chinese labels', () => {
  const steward = stewardText('zh-CN');

  it("the steward's form offers exactly the template's words", () => {
    expect(steward.format).toEqual(FORMAT_LABELS);
    expect(steward.dataType).toEqual(DATA_TYPE_LABELS);
    expect(steward.sharingType).toEqual(SHARING_TYPE_LABELS);
    expect(steward.sharingMethod).toEqual(SHARING_METHOD_LABELS);
    expect(steward.openType).toEqual(OPEN_TYPE_LABELS);
    expect(steward.updateCycle).toEqual(UPDATE_CYCLE_LABELS);
    expect(steward.grade).toEqual(GRADE_LABELS);
    expect(approverText('zh-CN').dataTypes).toEqual(DATA_TYPE_LABELS);
  });

  it('the public pages name formats and data types the same way', () => {
    for (const [code, text] of Object.entries(FORMAT_LABELS)) {
      expect(label('format', code, 'zh-CN')).toBe(text);
    }
    for (const [code, text] of Object.entries(DATA_TYPE_LABELS)) {
      expect(label('dataType', code, 'zh-CN')).toBe(text);
    }
  });

  it('every word the console shows is read back by the import', () => {
    const context = {
      themes: [],
      department: { code: 'hz-gaj', name: '杭州市公安局', shortName: null },
      functions: [],
    };
    const kindOf = (header: string) =>
      [...RESOURCE_COLUMNS, ...ITEM_COLUMNS].find((c) => c.header === header)!.kind;
    for (const [code, text] of Object.entries(steward.format)) {
      expect(parseCell(kindOf('信息资源格式'), text, context)).toEqual({ value: code });
    }
    for (const [code, text] of Object.entries(steward.dataType)) {
      expect(parseCell(kindOf('数据类型'), text, context)).toEqual({ value: code });
    }
  });
});

describe('purpose codes in English', () => {
  // every purpose the migrations insert, as ('CODE', '名称', position…)
  const seeded = ['20261121060000_sharing', '20261123110000_open_data_purposes'].flatMap((dir) =>
    [
      ...readFileSync(
        new URL(`../../migrations/${dir}/migration.sql`, import.meta.url),
        'utf8',
      ).matchAll(/\('([A-Z][A-Z0-9_]+)',\s*'([^']+)',\s*\d+/g),
    ].map(([, code, name]) => ({ code: code!, name: name! })),
  );

  it('every seeded purpose has an English label, and its Chinese one is the database name', () => {
    expect(seeded.map((p) => p.code)).toEqual(
      expect.arrayContaining([
        'ADMIN_APPROVAL',
        'OTHER',
        'RESEARCH',
        'PUBLIC_WELFARE',
        'OPEN_OTHER',
      ]),
    );
    for (const { code, name } of seeded) {
      expect(label('purpose', code, 'zh-CN'), code).toBe(name);
      expect(purposeLabel(code, name, 'en'), code).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('Chinese keeps the exchange name; English labels a known code, else the exchange name', () => {
    expect(purposeLabel('RESEARCH', '科学研究', 'en')).toBe('Scientific research');
    expect(purposeLabel('PUBLIC_SERVICE', '公共服务', 'en')).toBe('Public service');
    expect(purposeLabel('RESEARCH', '科学研究', 'zh-CN')).toBe('科学研究');
    expect(purposeLabel('CITIZEN_SCIENCE', '公民科学', 'en')).toBe('公民科学');
  });
});
