import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { InputError, problemsFromAjv, type FieldProblem } from '@gx/platform';
import { jsonSchemaPath } from '@gx/schemas';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export type ItemType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'datetime';
export type Grade = 'general' | 'important' | 'core';

export interface InformationItemInput {
  name: string;
  label: string;
  dataType: ItemType;
  unit?: string | null;
  maxLength?: number | null;
  dataGrade?: Grade;
  isPersonal?: boolean;
  isRequired?: boolean;
  isKey?: boolean;
  description?: string | null;
}

/** One directory entry as a steward writes it (schemas/json/catalog/resource-input.schema.json). */
export interface ResourceInput {
  providerCode?: string;
  name: string;
  abstract: string;
  themeCode: string;
  subClassCode?: string;
  serviceCategory?: string | null;
  keywords?: string[];
  format: 'database' | 'spreadsheet' | 'document' | 'image' | 'geo' | 'stream' | 'api' | 'other';
  sharingType: 'unconditional' | 'conditional' | 'none';
  sharingConditions?: string | null;
  sharingMethods?: ('api' | 'file' | 'subscription')[];
  sharingLegalBasis?: string | null;
  openType: 'open' | 'conditional' | 'none';
  openConditions?: string | null;
  updateCycle: 'realtime' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';
  publishDate?: string | null;
  sourceSystem?: string | null;
  relatedResourceCodes?: string[];
  functionCode?: string | null;
  dataGrade?: Grade;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  items: InformationItemInput[];
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile<ResourceInput>(
  JSON.parse(readFileSync(jsonSchemaPath('catalog', 'resource-input'), 'utf8')) as object,
);

/**
 * Check a value against the resource-input JSON Schema and the rules a schema cannot say;
 * every problem is reported at once, each with its JSON pointer.
 */
export function parseResourceInput(value: unknown): ResourceInput {
  if (!validate(value)) {
    throw new InputError('信息资源编目信息不完整或有误', problemsFromAjv(validate.errors));
  }
  const problems = resourceRuleProblems(value);
  if (problems.length > 0) throw new InputError('信息资源编目信息不符合编目规则', problems);
  return value;
}

/** How a rule names another information item of the same resource. */
export interface RuleOptions {
  /** the item at this index of `items`, as the person sees it; default 第 n 个信息项 */
  itemLabel?: (index: number) => string;
}

/** The cataloguing rules beyond field types (政务信息资源目录编制指南). */
export function resourceRuleProblems(
  input: ResourceInput,
  options: RuleOptions = {},
): FieldProblem[] {
  return ruleProblems(input, options);
}

/**
 * Every problem of a value: the schema's and, on the parts of it the schema accepts, the
 * cataloguing rules'. A rule never speaks about a field the schema already refused, nor fires
 * on a value that is missing or of the wrong kind, so a file's wrong cells do not hide the rule
 * problems of its other cells.
 */
export function resourceInputProblems(value: unknown, options: RuleOptions = {}): FieldProblem[] {
  if (validate(value)) return ruleProblems(value, options);
  const schema = problemsFromAjv(validate.errors);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return schema;
  const refused = new Set(schema.map((p) => p.path));
  const rules = ruleProblems(value as Partial<ResourceInput>, options).filter(
    (p) => !refused.has(p.path),
  );
  return [...schema, ...rules];
}

/**
 * The rules, tolerant of a value the schema refused: each rule looks only at values of the
 * right kind, so for a value the schema accepts they are exactly the cataloguing rules.
 */
function ruleProblems(input: Partial<ResourceInput>, options: RuleOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const itemLabel = options.itemLabel ?? ((index: number) => `第 ${index + 1} 个信息项`);
  const blank = (s: unknown) => typeof s !== 'string' || s.trim().length === 0;
  const methods = Array.isArray(input.sharingMethods) ? input.sharingMethods : [];
  const shared = input.sharingType === 'unconditional' || input.sharingType === 'conditional';
  if (input.sharingType === 'none' && blank(input.sharingLegalBasis)) {
    problems.push({
      path: '/sharingLegalBasis',
      message: '不予共享的资源必须注明法律、行政法规或政策依据',
    });
  }
  if (input.sharingType === 'conditional' && blank(input.sharingConditions)) {
    problems.push({ path: '/sharingConditions', message: '有条件共享的资源必须说明共享条件' });
  }
  if (shared && methods.length === 0) {
    problems.push({ path: '/sharingMethods', message: '可共享的资源至少选择一种共享方式' });
  }
  if (input.sharingType === 'none' && methods.length > 0) {
    problems.push({ path: '/sharingMethods', message: '不予共享的资源不应有共享方式' });
  }
  if (input.openType === 'conditional' && blank(input.openConditions)) {
    problems.push({ path: '/openConditions', message: '有条件开放的资源必须说明开放条件' });
  }
  const items = Array.isArray(input.items) ? input.items : [];
  // 核心数据 (数据安全法 第二十一条: 实行更加严格的管理制度) is never opened to the public and
  // never shared without conditions; a resource is core when it or any of its items is
  const core =
    input.dataGrade === 'core' ||
    items.some((item) => typeof item === 'object' && item !== null && item.dataGrade === 'core');
  if (core && (input.openType === 'open' || input.openType === 'conditional')) {
    problems.push({
      path: '/openType',
      message: '含核心数据的资源不得向社会开放，开放属性应为不予开放',
    });
  }
  if (core && input.sharingType === 'unconditional') {
    problems.push({
      path: '/sharingType',
      message: '含核心数据的资源不得无条件共享，应为有条件共享或不予共享',
    });
  }
  const seen = new Map<string, number>();
  items.forEach((item: Partial<InformationItemInput> | null | undefined, index) => {
    if (typeof item !== 'object' || item === null) return;
    if (typeof item.name === 'string') {
      const first = seen.get(item.name);
      if (first !== undefined) {
        problems.push({
          path: `/items/${index}/name`,
          message: `字段名 ${item.name} 与${itemLabel(first)}重复`,
        });
      } else seen.set(item.name, index);
    }
    const typed = typeof item.dataType === 'string';
    if (item.isKey === true && typed && item.dataType !== 'string' && item.dataType !== 'integer') {
      problems.push({ path: `/items/${index}/isKey`, message: '主键字段应为字符串或整数' });
    }
    if (item.maxLength != null && typed && item.dataType !== 'string') {
      problems.push({
        path: `/items/${index}/maxLength`,
        message: '只有字符串字段可以设置最大长度',
      });
    }
  });
  return problems;
}

const GRADE_ORDER: Grade[] = ['general', 'important', 'core'];

/** A resource is graded at least as high as its most sensitive item. */
export function resourceGrade(input: ResourceInput): Grade {
  const highest = input.items.reduce(
    (max, item) => Math.max(max, GRADE_ORDER.indexOf(item.dataGrade ?? 'general')),
    GRADE_ORDER.indexOf(input.dataGrade ?? 'general'),
  );
  return GRADE_ORDER[highest]!;
}
