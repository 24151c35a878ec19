import type { ErrorObject } from 'ajv/dist/2020.js';
import type { FieldProblem } from './errors.ts';
import { chineseAjvMessage } from './validationMessages.ts';

/**
 * Ajv's errors as field problems in Chinese, each with its JSON pointer (under `prefix`), a
 * missing or unknown property pointed at by its own name, duplicates dropped. The message never
 * quotes the offending value: it may be a secret or personal data. `messageOf` may word an error
 * its own way (undefined: the usual Chinese message).
 */
export function problemsFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
  messageOf: (error: ErrorObject) => string | undefined = () => undefined,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const problem = toProblem(error, prefix, messageOf);
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function toProblem(
  error: ErrorObject,
  prefix: string,
  messageOf: (error: ErrorObject) => string | undefined,
): FieldProblem {
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
      return {
        path: at || '/',
        message: messageOf(error) ?? chineseAjvMessage(error.keyword, params) ?? '取值无效',
      };
  }
}
