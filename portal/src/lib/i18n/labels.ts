import type { Locale } from './locales.ts';

type Labels = Record<string, { 'zh-CN': string; en: string }>;

/** Chinese names of the directory's coded values, as the catalog's specs define them. */
const LABELS = {
  openType: {
    open: { 'zh-CN': '无条件开放', en: 'Open to all' },
    conditional: { 'zh-CN': '有条件开放', en: 'Open on application' },
    none: { 'zh-CN': '不予开放', en: 'Not open' },
  },
  sharingType: {
    unconditional: { 'zh-CN': '无条件共享', en: 'Shared unconditionally' },
    conditional: { 'zh-CN': '有条件共享', en: 'Shared on request' },
    none: { 'zh-CN': '不予共享', en: 'Not shared' },
  },
  sharingMethod: {
    api: { 'zh-CN': '接口', en: 'API' },
    file: { 'zh-CN': '文件', en: 'File' },
    subscription: { 'zh-CN': '订阅', en: 'Subscription' },
  },
  updateCycle: {
    realtime: { 'zh-CN': '实时', en: 'Real time' },
    daily: { 'zh-CN': '每日', en: 'Daily' },
    weekly: { 'zh-CN': '每周', en: 'Weekly' },
    monthly: { 'zh-CN': '每月', en: 'Monthly' },
    quarterly: { 'zh-CN': '每季度', en: 'Quarterly' },
    yearly: { 'zh-CN': '每年', en: 'Yearly' },
    irregular: { 'zh-CN': '不定期', en: 'Irregular' },
  },
  format: {
    database: { 'zh-CN': '数据库', en: 'Database' },
    spreadsheet: { 'zh-CN': '电子表格', en: 'Spreadsheet' },
    document: { 'zh-CN': '电子文档', en: 'Document' },
    image: { 'zh-CN': '图形图像', en: 'Image' },
    geo: { 'zh-CN': '地理空间', en: 'Geospatial' },
    stream: { 'zh-CN': '数据流', en: 'Stream' },
    api: { 'zh-CN': '接口', en: 'API' },
    other: { 'zh-CN': '其他', en: 'Other' },
  },
  dataGrade: {
    general: { 'zh-CN': '一般数据', en: 'General' },
    important: { 'zh-CN': '重要数据', en: 'Important' },
    core: { 'zh-CN': '核心数据', en: 'Core' },
  },
  dataType: {
    string: { 'zh-CN': '字符串', en: 'Text' },
    integer: { 'zh-CN': '整数', en: 'Integer' },
    number: { 'zh-CN': '数值', en: 'Number' },
    boolean: { 'zh-CN': '是/否', en: 'Yes/no' },
    date: { 'zh-CN': '日期', en: 'Date' },
    datetime: { 'zh-CN': '日期时间', en: 'Date and time' },
  },
  // 服务分类 is free text in the catalog (at most 100 characters), its value Chinese words: these
  // are the categories the directory uses, which the editor offers; any other value is kept
  serviceCategory: {
    公共服务: { 'zh-CN': '公共服务', en: 'Public services' },
    社会管理: { 'zh-CN': '社会管理', en: 'Social management' },
    市场监管与信用: { 'zh-CN': '市场监管与信用', en: 'Market regulation and credit' },
    经济运行: { 'zh-CN': '经济运行', en: 'Economic operation' },
    行政管理: { 'zh-CN': '行政管理', en: 'Public administration' },
  },
  themeKind: {
    base: { 'zh-CN': '基础信息库', en: 'Base database' },
    domain: { 'zh-CN': '主题信息库', en: 'Thematic domain' },
  },
  departmentKind: {
    agency: { 'zh-CN': '政府部门', en: 'Government agency' },
    court: { 'zh-CN': '法院', en: 'Court' },
    procuratorate: { 'zh-CN': '检察院', en: 'Procuratorate' },
    congress: { 'zh-CN': '人大', en: "People's congress" },
    cppcc: { 'zh-CN': '政协', en: 'CPPCC' },
    state_enterprise: { 'zh-CN': '国有企业', en: 'State enterprise' },
    public_institution: { 'zh-CN': '事业单位', en: 'Public institution' },
    other: { 'zh-CN': '其他', en: 'Other' },
  },
  changeAction: {
    create: { 'zh-CN': '编目', en: 'Catalogued' },
    update: { 'zh-CN': '修改', en: 'Edited' },
    submit: { 'zh-CN': '提交审核', en: 'Submitted for review' },
    approve: { 'zh-CN': '审核通过并发布', en: 'Approved and published' },
    reject: { 'zh-CN': '退回修改', en: 'Sent back' },
    publish: { 'zh-CN': '重新发布', en: 'Republished' },
    retire: { 'zh-CN': '下线', en: 'Retired' },
    revise: { 'zh-CN': '修订', en: 'Reopened for revision' },
    import: { 'zh-CN': 'Excel 导入', en: 'Imported from Excel' },
  },
  // 用途编码 (GET /v1/purposes): the API gives the Chinese names; these give the English ones
  purpose: {
    // 开放数据用途, a 开放申请's 用途类别
    RESEARCH: { 'zh-CN': '科学研究', en: 'Scientific research' },
    PUBLIC_WELFARE: { 'zh-CN': '公益服务', en: 'Public-interest service' },
    INNOVATION: { 'zh-CN': '创新应用', en: 'Innovative application' },
    TEACHING: { 'zh-CN': '教学培训', en: 'Teaching and training' },
    JOURNALISM: { 'zh-CN': '新闻报道', en: 'Journalism' },
    COMMERCIAL: { 'zh-CN': '商业开发', en: 'Commercial development' },
    OPEN_OTHER: { 'zh-CN': '其他', en: 'Other' },
    // sharing purposes, which 开放申请 made before 开放数据用途 existed may cite
    ADMIN_APPROVAL: { 'zh-CN': '行政审批', en: 'Administrative approval' },
    LAW_ENFORCEMENT: { 'zh-CN': '行政执法', en: 'Administrative law enforcement' },
    PUBLIC_SERVICE: { 'zh-CN': '公共服务', en: 'Public service' },
    SOCIAL_SECURITY: { 'zh-CN': '社会保障', en: 'Social security' },
    CREDIT: { 'zh-CN': '信用监管', en: 'Credit supervision' },
    EMERGENCY: { 'zh-CN': '应急管理', en: 'Emergency management' },
    JUDICIAL: { 'zh-CN': '司法协查', en: 'Judicial assistance' },
    STATISTICS: { 'zh-CN': '统计分析', en: 'Statistical analysis' },
    PLANNING: { 'zh-CN': '规划决策', en: 'Planning and decision-making' },
    OTHER: { 'zh-CN': '其他', en: 'Other' },
  },
} satisfies Record<string, Labels>;

export type LabelGroup = keyof typeof LABELS;

/** The 服务分类 the resource editor offers (see LABELS.serviceCategory). */
export const SERVICE_CATEGORIES = Object.keys(LABELS.serviceCategory);

/** The name of a coded value in the visitor's language; the code itself if unknown. */
export function label(group: LabelGroup, value: string, locale: Locale): string {
  const entry = (LABELS[group] as Labels)[value];
  return entry ? entry[locale] : value;
}

/**
 * A purpose code's name in the visitor's language: in Chinese the exchange's own name (the
 * source of truth), in English the label above, or the exchange's Chinese name for a code added
 * since (better than the bare code).
 */
export function purposeLabel(code: string, name: string, locale: Locale): string {
  const entry = (LABELS.purpose as Labels)[code];
  return locale === 'en' && entry ? entry.en : name;
}

/**
 * The exchange's purposes (`GET /v1/purposes`) by code, each named in the visitor's language
 * (purposeLabel): what the pages that name a request's or a record's purposes look codes up in.
 */
export function purposeNames(
  purposes: readonly { code: string; name: string }[],
  locale: Locale,
): Map<string, string> {
  return new Map(purposes.map((p) => [p.code, purposeLabel(p.code, p.name, locale)]));
}
