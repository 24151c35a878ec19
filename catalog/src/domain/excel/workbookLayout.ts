import {
  DATA_TYPE_LABELS,
  FORMAT_LABELS,
  GRADE_LABELS,
  OPEN_TYPE_LABELS,
  SHARING_METHOD_LABELS,
  SHARING_TYPE_LABELS,
  UPDATE_CYCLE_LABELS,
} from './labels.ts';

/**
 * The directory workbook: one sheet of resources, one of information items, one of
 * instructions. This table is the single description of its columns; the template, the export
 * and the import all read it, so the three cannot drift apart.
 */
export const RESOURCE_SHEET = '信息资源';
export const ITEM_SHEET = '信息项';
export const GUIDE_SHEET = '填写说明';

/** How a cell is read and written. */
export type CellKind =
  | { type: 'text' }
  | { type: 'enum'; labels: Record<string, string>; what: string }
  | { type: 'enumList'; labels: Record<string, string>; what: string }
  | { type: 'textList' }
  | { type: 'date' }
  | { type: 'integer' }
  | { type: 'boolean' }
  | { type: 'theme' }
  | { type: 'department' }
  | { type: 'function' }
  | { type: 'subClass' }
  | { type: 'resourceCode' }
  | { type: 'sequence' };

/** What an empty cell means: leave the property out (its default applies), null, or []. */
export type BlankMeaning = 'omit' | 'null' | 'emptyList';

export interface ColumnSpec {
  /** property of the resource input or information item; `seq` and `code` link the sheets */
  key: string;
  header: string;
  /** other headers accepted on import */
  aliases?: readonly string[];
  /** marked with * in the header; the schema and rules decide, this only tells the steward */
  required?: boolean;
  blank: BlankMeaning;
  kind: CellKind;
  width: number;
  /** for 填写说明 and the cell's input prompt */
  help: string;
}

const enumKind = (labels: Record<string, string>, what: string): CellKind => ({
  type: 'enum',
  labels,
  what,
});

export const RESOURCE_COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'seq',
    header: '资源序号',
    blank: 'omit',
    kind: { type: 'sequence' },
    width: 10,
    help: '本表内每行唯一的编号（如 1、2、3），「信息项」表用它指向这一行；已填资源代码的行可不填',
  },
  {
    key: 'code',
    header: '资源代码',
    blank: 'omit',
    kind: { type: 'resourceCode' },
    width: 30,
    help: '新编目的资源留空（导入时自动赋码）；填写时表示修改本部门这一草稿',
  },
  {
    key: 'name',
    header: '信息资源名称',
    required: true,
    blank: 'omit',
    kind: { type: 'text' },
    width: 28,
    help: '2 到 200 个字',
  },
  {
    key: 'abstract',
    header: '信息资源摘要',
    required: true,
    blank: 'omit',
    kind: { type: 'text' },
    width: 40,
    help: '说明资源的内容、范围和用途，2 到 4000 个字',
  },
  {
    key: 'providerCode',
    header: '提供方部门',
    blank: 'omit',
    kind: { type: 'department' },
    width: 14,
    help: '部门编码（如 hz-gaj）或部门名称；留空即本部门。只能导入本部门的资源',
  },
  {
    key: 'themeCode',
    header: '主题分类',
    required: true,
    blank: 'omit',
    kind: { type: 'theme' },
    width: 22,
    help: '主题名称或主题代码，见本表右侧的主题分类',
  },
  {
    key: 'subClassCode',
    header: '目细目分类',
    blank: 'omit',
    kind: { type: 'subClass' },
    width: 12,
    help: '资源分类的 目(3 位) + 细目(3 位)，6 位数字，留空为 001001；赋码后不能更改',
  },
  {
    key: 'serviceCategory',
    header: '服务分类',
    blank: 'null',
    kind: { type: 'text' },
    width: 14,
    help: '最多 100 个字',
  },
  {
    key: 'keywords',
    header: '关键字',
    blank: 'emptyList',
    kind: { type: 'textList' },
    width: 20,
    help: '多个用「、」分隔，最多 30 个',
  },
  {
    key: 'format',
    header: '信息资源格式',
    required: true,
    blank: 'omit',
    kind: enumKind(FORMAT_LABELS, '信息资源格式'),
    width: 14,
    help: '从下拉列表选择',
  },
  {
    key: 'sharingType',
    header: '共享类型',
    required: true,
    blank: 'omit',
    kind: enumKind(SHARING_TYPE_LABELS, '共享类型'),
    width: 12,
    help: '从下拉列表选择',
  },
  {
    key: 'sharingConditions',
    header: '共享条件',
    blank: 'null',
    kind: { type: 'text' },
    width: 24,
    help: '有条件共享时必填',
  },
  {
    key: 'sharingMethods',
    header: '共享方式',
    blank: 'emptyList',
    kind: { type: 'enumList', labels: SHARING_METHOD_LABELS, what: '共享方式' },
    width: 14,
    help: '可共享时至少一种，多个用「、」分隔；不予共享时留空',
  },
  {
    key: 'sharingLegalBasis',
    header: '不予共享依据',
    blank: 'null',
    kind: { type: 'text' },
    width: 24,
    help: '不予共享时必填：法律、行政法规或政策依据',
  },
  {
    key: 'openType',
    header: '开放属性',
    required: true,
    blank: 'omit',
    kind: enumKind(OPEN_TYPE_LABELS, '开放属性'),
    width: 12,
    help: '从下拉列表选择',
  },
  {
    key: 'openConditions',
    header: '开放条件',
    blank: 'null',
    kind: { type: 'text' },
    width: 24,
    help: '有条件开放时必填',
  },
  {
    key: 'updateCycle',
    header: '更新周期',
    required: true,
    blank: 'omit',
    kind: enumKind(UPDATE_CYCLE_LABELS, '更新周期'),
    width: 10,
    help: '从下拉列表选择',
  },
  {
    key: 'publishDate',
    header: '发布日期',
    blank: 'null',
    kind: { type: 'date' },
    width: 12,
    help: '日期，如 2024-01-31',
  },
  {
    key: 'sourceSystem',
    header: '来源系统',
    blank: 'null',
    kind: { type: 'text' },
    width: 18,
    help: '产生数据的业务系统，最多 200 个字',
  },
  {
    key: 'relatedResourceCodes',
    header: '关联资源代码',
    blank: 'emptyList',
    kind: { type: 'textList' },
    width: 30,
    help: '其他资源的资源代码，多个用「、」分隔',
  },
  {
    key: 'functionCode',
    header: '三定职责编码',
    aliases: ['三定职责'],
    blank: 'null',
    kind: { type: 'function' },
    width: 14,
    help: '本部门三定职责的编码或名称（见本表右侧）',
  },
  {
    key: 'dataGrade',
    header: '数据分级',
    blank: 'omit',
    kind: enumKind(GRADE_LABELS, '数据分级'),
    width: 10,
    help: '留空为一般；资源的分级不低于其最高的信息项分级',
  },
  {
    key: 'contactName',
    header: '联系人',
    blank: 'null',
    kind: { type: 'text' },
    width: 10,
    help: '',
  },
  {
    key: 'contactPhone',
    header: '联系电话',
    blank: 'null',
    kind: { type: 'text' },
    width: 16,
    help: '数字、空格和 + ( ) -',
  },
  {
    key: 'contactEmail',
    header: '联系邮箱',
    blank: 'null',
    kind: { type: 'text' },
    width: 24,
    help: '',
  },
];

export const ITEM_COLUMNS: readonly ColumnSpec[] = [
  {
    key: 'seq',
    header: '资源序号',
    blank: 'omit',
    kind: { type: 'sequence' },
    width: 10,
    help: '此信息项所属资源在「信息资源」表中的资源序号（或填资源代码）',
  },
  {
    key: 'code',
    header: '资源代码',
    blank: 'omit',
    kind: { type: 'resourceCode' },
    width: 30,
    help: '此信息项所属资源的资源代码（或填资源序号）',
  },
  {
    key: 'name',
    header: '字段名',
    required: true,
    blank: 'omit',
    kind: { type: 'text' },
    width: 18,
    help: '小写字母开头，只含小写字母、数字和下划线，如 id_number；同一资源内不能重复',
  },
  {
    key: 'label',
    header: '中文名称',
    required: true,
    blank: 'omit',
    kind: { type: 'text' },
    width: 16,
    help: '最多 100 个字',
  },
  {
    key: 'dataType',
    header: '数据类型',
    required: true,
    blank: 'omit',
    kind: enumKind(DATA_TYPE_LABELS, '数据类型'),
    width: 10,
    help: '从下拉列表选择',
  },
  {
    key: 'unit',
    header: '计量单位',
    blank: 'null',
    kind: { type: 'text' },
    width: 10,
    help: '如 元、千克、μg/m³',
  },
  {
    key: 'maxLength',
    header: '最大长度',
    blank: 'null',
    kind: { type: 'integer' },
    width: 10,
    help: '只用于字符串，1 到 100000 的整数',
  },
  {
    key: 'dataGrade',
    header: '数据分级',
    blank: 'omit',
    kind: enumKind(GRADE_LABELS, '数据分级'),
    width: 10,
    help: '留空为一般',
  },
  {
    key: 'isPersonal',
    header: '个人信息',
    aliases: ['是否个人信息'],
    blank: 'omit',
    kind: { type: 'boolean' },
    width: 10,
    help: '是 / 否，留空为否',
  },
  {
    key: 'isRequired',
    header: '必填',
    aliases: ['是否必填'],
    blank: 'omit',
    kind: { type: 'boolean' },
    width: 8,
    help: '是 / 否，留空为否',
  },
  {
    key: 'isKey',
    header: '主键',
    aliases: ['是否主键'],
    blank: 'omit',
    kind: { type: 'boolean' },
    width: 8,
    help: '是 / 否，留空为否；主键只能是字符串或整数',
  },
  {
    key: 'description',
    header: '说明',
    blank: 'null',
    kind: { type: 'text' },
    width: 30,
    help: '最多 1000 个字',
  },
];

/** A header as written: required columns carry a leading *. */
export function headerText(column: ColumnSpec): string {
  return column.required ? `*${column.header}` : column.header;
}

/** The column a header names, ignoring * marks, spaces and full-width parentheses notes. */
export function columnOfHeader(
  columns: readonly ColumnSpec[],
  text: string,
): ColumnSpec | undefined {
  const bare = text
    .replace(/[*＊\s]/gu, '')
    .replace(/[（(][^）)]*[）)]$/u, '')
    .trim();
  return columns.find((c) => c.header === bare || (c.aliases ?? []).includes(bare));
}

/** Column letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetter(column: number): string {
  let n = column;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
