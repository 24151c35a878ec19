import type { ErrorObject } from 'ajv/dist/2020.js';
import { chineseAjvMessage, type FieldProblem } from '@gx/platform';
import { SECRET_REF_SCHEMA_ID } from '../runtime/secrets.ts';

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
  return chineseAjvMessage(error.keyword, params) ?? '取值无效';
}
