/**
 * A deterministic directory workbook for the excelImport benchmark, in the template's layout
 * (the same column table the catalog reads), written with the streaming writer. Every row is
 * valid, so an import writes all of it.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import {
  DATA_TYPE_LABELS,
  FORMAT_LABELS,
  OPEN_TYPE_LABELS,
  UPDATE_CYCLE_LABELS,
} from '../../catalog/src/domain/excel/labels.ts';
import {
  headerText,
  ITEM_COLUMNS,
  ITEM_SHEET,
  RESOURCE_COLUMNS,
  RESOURCE_SHEET,
} from '../../catalog/src/domain/excel/workbookLayout.ts';

export const BENCH_THEMES = [
  '人口基础信息库',
  '法人单位基础信息库',
  '社会信用信息库',
  '公共安全',
  '交通出行',
];

/** One generated resource with its items, as plain values (also what the raw-INSERT baseline writes). */
export interface GeneratedResource {
  seq: number;
  name: string;
  abstract: string;
  themeName: string;
  format: keyof typeof FORMAT_LABELS;
  sharingType: 'unconditional' | 'conditional' | 'none';
  sharingConditions: string | null;
  sharingMethods: ('api' | 'file' | 'subscription')[];
  sharingLegalBasis: string | null;
  openType: keyof typeof OPEN_TYPE_LABELS;
  openConditions: string | null;
  updateCycle: keyof typeof UPDATE_CYCLE_LABELS;
  keywords: string[];
  items: {
    name: string;
    label: string;
    dataType: keyof typeof DATA_TYPE_LABELS;
    maxLength: number | null;
    isKey: boolean;
    isPersonal: boolean;
  }[];
}

const FORMATS = Object.keys(FORMAT_LABELS) as (keyof typeof FORMAT_LABELS)[];
const CYCLES = Object.keys(UPDATE_CYCLE_LABELS) as (keyof typeof UPDATE_CYCLE_LABELS)[];
const ITEM_TEMPLATES = [
  { name: 'record_id', label: '记录编号', dataType: 'string', maxLength: 32, isKey: true },
  { name: 'person_name', label: '姓名', dataType: 'string', maxLength: 50, isPersonal: true },
  { name: 'registered_on', label: '登记日期', dataType: 'date' },
  { name: 'amount', label: '数量', dataType: 'integer' },
  { name: 'updated_at', label: '更新时间', dataType: 'datetime' },
  { name: 'remark', label: '备注', dataType: 'string', maxLength: 500 },
] as const;

export function generateResources(count: number, itemsPerResource: number): GeneratedResource[] {
  return Array.from({ length: count }, (_, i): GeneratedResource => {
    const seq = i + 1;
    // about 9 in 10 shareable, as the national directory reports
    const sharingType = i % 10 === 9 ? 'none' : i % 3 === 0 ? 'conditional' : 'unconditional';
    const openType = (['open', 'conditional', 'none'] as const)[i % 3]!;
    return {
      seq,
      name: `公安业务信息资源第${seq}号`,
      abstract: `第${seq}号信息资源：按${UPDATE_CYCLE_LABELS[CYCLES[i % CYCLES.length]!]}更新的业务登记数据，用于基准测试。`,
      themeName: BENCH_THEMES[i % BENCH_THEMES.length]!,
      format: FORMATS[i % FORMATS.length]!,
      sharingType,
      sharingConditions: sharingType === 'conditional' ? '用于依法履职，需经审批' : null,
      sharingMethods:
        sharingType === 'none' ? [] : i % 2 === 0 ? ['api'] : ['api', 'file', 'subscription'],
      sharingLegalBasis: sharingType === 'none' ? '《中华人民共和国个人信息保护法》' : null,
      openType,
      openConditions: openType === 'conditional' ? '注册开发者申请后开放' : null,
      updateCycle: CYCLES[i % CYCLES.length]!,
      keywords: [`业务${seq % 50}`, '登记'],
      items: Array.from({ length: itemsPerResource }, (_, j) => {
        const template = ITEM_TEMPLATES[j % ITEM_TEMPLATES.length]!;
        return {
          name: j < ITEM_TEMPLATES.length ? template.name : `${template.name}_${j}`,
          label: j < ITEM_TEMPLATES.length ? template.label : `${template.label}${j}`,
          dataType: template.dataType,
          maxLength: 'maxLength' in template ? template.maxLength : null,
          isKey: 'isKey' in template && j === 0,
          isPersonal: 'isPersonal' in template,
        };
      }),
    };
  });
}

/** Write the resources as a directory workbook (new entries: 资源代码 empty, linked by 资源序号). */
export async function writeBenchWorkbook(
  path: string,
  resources: readonly GeneratedResource[],
): Promise<void> {
  const stream = createWriteStream(path);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: false });
  const resourceSheet = workbook.addWorksheet(RESOURCE_SHEET);
  resourceSheet.addRow(RESOURCE_COLUMNS.map(headerText)).commit();
  const resourceValue: Record<string, (r: GeneratedResource) => ExcelJS.CellValue> = {
    seq: (r) => r.seq,
    name: (r) => r.name,
    abstract: (r) => r.abstract,
    themeCode: (r) => r.themeName,
    keywords: (r) => r.keywords.join('、'),
    format: (r) => FORMAT_LABELS[r.format],
    sharingType: (r) =>
      ({ unconditional: '无条件共享', conditional: '有条件共享', none: '不予共享' })[r.sharingType],
    sharingConditions: (r) => r.sharingConditions,
    sharingMethods: (r) =>
      r.sharingMethods
        .map((m) => ({ api: '接口', file: '文件', subscription: '订阅' })[m])
        .join('、'),
    sharingLegalBasis: (r) => r.sharingLegalBasis,
    openType: (r) => OPEN_TYPE_LABELS[r.openType],
    openConditions: (r) => r.openConditions,
    updateCycle: (r) => UPDATE_CYCLE_LABELS[r.updateCycle],
    contactName: () => '王敏',
    contactPhone: () => '0571-87280000',
  };
  for (const r of resources) {
    resourceSheet.addRow(RESOURCE_COLUMNS.map((c) => resourceValue[c.key]?.(r) ?? null)).commit();
  }
  resourceSheet.commit();

  const itemSheet = workbook.addWorksheet(ITEM_SHEET);
  itemSheet.addRow(ITEM_COLUMNS.map(headerText)).commit();
  for (const r of resources) {
    for (const item of r.items) {
      const values: Record<string, ExcelJS.CellValue> = {
        seq: r.seq,
        name: item.name,
        label: item.label,
        dataType: DATA_TYPE_LABELS[item.dataType],
        maxLength: item.maxLength,
        isPersonal: item.isPersonal ? '是' : '否',
        isKey: item.isKey ? '是' : '否',
        isRequired: item.isKey ? '是' : '否',
      };
      itemSheet.addRow(ITEM_COLUMNS.map((c) => values[c.key] ?? null)).commit();
    }
  }
  itemSheet.commit();
  await workbook.commit();
  if (!stream.closed) await once(stream, 'close');
}
