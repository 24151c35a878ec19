import type { Grade, ItemType, ResourceInput } from '../resources/resourceInput.ts';

/**
 * The Chinese words stewards see and type in the workbook for each enumeration of the resource
 * input schema (政务信息资源目录编制指南 terms). Import also accepts the schema's own codes
 * (`conditional`), so a file written by a program works too.
 */
export const SHARING_TYPE_LABELS: Record<ResourceInput['sharingType'], string> = {
  unconditional: '无条件共享',
  conditional: '有条件共享',
  none: '不予共享',
};

export const OPEN_TYPE_LABELS: Record<ResourceInput['openType'], string> = {
  open: '无条件开放',
  conditional: '有条件开放',
  none: '不予开放',
};

export const UPDATE_CYCLE_LABELS: Record<ResourceInput['updateCycle'], string> = {
  realtime: '实时',
  daily: '每日',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  yearly: '每年',
  irregular: '不定期',
};

export const FORMAT_LABELS: Record<ResourceInput['format'], string> = {
  database: '数据库',
  spreadsheet: '电子表格',
  document: '电子文档',
  image: '图形图像',
  geo: '地理空间',
  stream: '数据流',
  api: '接口',
  other: '其他',
};

export const SHARING_METHOD_LABELS: Record<'api' | 'file' | 'subscription', string> = {
  api: '接口',
  file: '文件',
  subscription: '订阅',
};

export const GRADE_LABELS: Record<Grade, string> = {
  general: '一般',
  important: '重要',
  core: '核心',
};

export const DATA_TYPE_LABELS: Record<ItemType, string> = {
  string: '字符串',
  integer: '整数',
  number: '数值',
  boolean: '是/否',
  date: '日期',
  datetime: '日期时间',
};

export const YES = '是';
export const NO = '否';

/** Separators between several values in one cell: 、 , ， ; ； and line breaks. */
export const LIST_SEPARATOR = /[、,，;；\r\n]+/u;

/**
 * Other words stewards use for a value, accepted on import but never written: labels of
 * earlier templates and of the console (布尔, 文档, 图像) and the national standard's 逻辑型.
 */
export const LABEL_ALIASES: Record<string, string> = {
  布尔: 'boolean',
  布尔型: 'boolean',
  逻辑型: 'boolean',
  是否: 'boolean',
  文档: 'document',
  图像: 'image',
};

/**
 * Look up a label (or the code itself, or an alias of a code in this table) in a label
 * table; undefined when it is none of these.
 */
export function codeOfLabel<C extends string>(
  labels: Record<C, string>,
  text: string,
): C | undefined {
  const wanted = text.trim();
  for (const [code, label] of Object.entries(labels) as [C, string][]) {
    if (label === wanted || code === wanted) return code;
  }
  const alias = LABEL_ALIASES[wanted];
  return alias !== undefined && alias in labels ? (alias as C) : undefined;
}
