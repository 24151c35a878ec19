import type { ErrorObject } from 'ajv/dist/2020.js';
import { problemsFromAjv as problemsInChinese, type FieldProblem } from '@gx/platform';
import { SECRET_REF_SCHEMA_ID } from '../runtime/secrets.ts';

/**
 * Ajv's errors as field problems in Chinese, each with its JSON pointer (under `prefix`). A plain
 * value where only a secret reference belongs is told how to write the reference instead; the
 * message never quotes the value, which may be that secret.
 */
export function problemsFromAjv(
  errors: readonly ErrorObject[] | null | undefined,
  prefix = '',
): FieldProblem[] {
  return problemsInChinese(errors, prefix, (error) => {
    if (error.schemaPath === `${SECRET_REF_SCHEMA_ID}/type`)
      return '密钥不能直接写在配置中，请改用引用：{ "secret": { "env": "变量名" } } 或 { "secret": { "file": "/路径" } }';
    // a pattern says nothing to a steward: the schema's example says what is expected
    // (errors carry their schema when the validator is verbose)
    const examples = (error.parentSchema as { examples?: unknown } | undefined)?.examples;
    if (error.keyword === 'pattern' && Array.isArray(examples) && typeof examples[0] === 'string')
      return `格式不正确，应形如 ${examples[0]}`;
    return undefined;
  });
}
