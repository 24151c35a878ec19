import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FieldProblem } from '@gx/platform';
import { SECRET_REF_SCHEMA_ID } from '../runtime/secrets.ts';

const TYPE_NAMES: Record<string, string> = {
  string: '字符串',
  integer: '整数',
  number: '数值',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  null: 'null',
};

/**
 * Ajv's errors as field problems in Chinese, each with its JSON pointer (under `prefix`). The
 * message never quotes the offending value: it may be a secret written where only a
 * reference belongs.
 */
export function problemsFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const problem = toProblem(error, prefix);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function toProblem(error: ErrorObject, prefix: string): FieldProblem {
  const params = error.params as Record<string, unknown>;
  const at = `${prefix}${error.instancePath}`;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${String(params.missingProperty)}`, message: '必填' };
    case 'additionalProperties':
      return { path: `${at}/${String(params.additionalProperty)}`, message: '不认识的字段' };
    case 'unevaluatedProperties':
      return { path: `${at}/${String(params.unevaluatedProperty)}`, message: '不认识的字段' };
    default:
      return { path: at || '/', message: messageOf(error, params) };
  }
}

function messageOf(error: ErrorObject, params: Record<string, unknown>): string {
  // a plain value where the schema wants `{ "secret": { "env" | "file": … } }`
  if (error.schemaPath === `${SECRET_REF_SCHEMA_ID}/type`) {
    return '密钥不能直接写在配置中，请改用引用：{ "secret": { "env": "变量名" } } 或 { "secret": { "file": "/路径" } }';
  }
  switch (error.keyword) {
    case 'type': {
      const types = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t);
      return `应为${types.join('或')}`;
    }
    case 'enum':
      return `取值应为 ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(' / ')}`;
    case 'const':
      return `取值应为 ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return '格式不正确';
    case 'format':
      return `应为 ${String(params.format)} 格式`;
    case 'minLength':
      return `长度至少为 ${String(params.limit)}`;
    case 'maxLength':
      return `长度至多为 ${String(params.limit)}`;
    case 'minimum':
      return `不能小于 ${String(params.limit)}`;
    case 'maximum':
      return `不能大于 ${String(params.limit)}`;
    case 'exclusiveMinimum':
      return `须大于 ${String(params.limit)}`;
    case 'exclusiveMaximum':
      return `须小于 ${String(params.limit)}`;
    case 'multipleOf':
      return `须为 ${String(params.multipleOf)} 的倍数`;
    case 'minItems':
      return `至少 ${String(params.limit)} 项`;
    case 'maxItems':
      return `至多 ${String(params.limit)} 项`;
    case 'uniqueItems':
      return '不能有重复项';
    case 'minProperties':
      return `至少 ${String(params.limit)} 个字段`;
    case 'maxProperties':
      return `至多 ${String(params.limit)} 个字段`;
    case 'propertyNames':
      return '字段名不符合要求';
    case 'dependentRequired':
      return `同时须填写 ${String(params.missingProperty)}`;
    case 'oneOf':
    case 'anyOf':
      return '不符合任何一种允许的形式';
    case 'not':
      return '不允许的取值';
    case 'if':
      return '不满足条件约束';
    default:
      return '取值无效';
  }
}
