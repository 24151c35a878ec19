import { readFile } from 'node:fs/promises';
import { InputError } from '@gx/platform';

/** `{ "secret": { "env": "NAME" } }` or `{ "secret": { "file": "/run/secrets/name" } }` */
export interface SecretRef {
  secret: { env: string; file?: never } | { file: string; env?: never };
}

export interface SecretResolver {
  /** the secret's value; fails with a message naming the reference, never a value */
  resolve(ref: SecretRef): Promise<string>;
}

export const SECRET_REF_SCHEMA_ID =
  'https://schemas.gov-exchange.cn/connectors/secret-ref.schema.json';

export function isSecretRef(value: unknown): value is SecretRef {
  if (typeof value !== 'object' || value === null || !('secret' in value)) return false;
  const secret = (value as { secret: unknown }).secret;
  return typeof secret === 'object' && secret !== null && ('env' in secret || 'file' in secret);
}

/** Where a reference points, for messages: `环境变量 DB_URL`, `文件 /run/secrets/x`. */
export function describeSecretRef(ref: SecretRef): string {
  return ref.secret.env !== undefined ? `环境变量 ${ref.secret.env}` : `文件 ${ref.secret.file}`;
}

/**
 * Resolves references against the worker's environment and files. A file secret is read
 * each time (a rotated mounted secret is picked up at the task's next start); trailing
 * newlines are trimmed, as `echo secret > file` leaves one.
 */
export function createSecretResolver(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SecretResolver {
  return {
    async resolve(ref) {
      if (ref.secret.env !== undefined) {
        const value = env[ref.secret.env];
        if (value === undefined || value === '') {
          throw new InputError(`找不到密钥: ${describeSecretRef(ref)} 未设置`);
        }
        return value;
      }
      try {
        return (await readFile(ref.secret.file, 'utf8')).replace(/\r?\n$/, '');
      } catch {
        throw new InputError(`找不到密钥: ${describeSecretRef(ref)} 无法读取`);
      }
    },
  };
}
