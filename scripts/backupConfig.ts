// The settings `npm run backup`, `npm run restore` and the evidence commands (evidenceCommand.ts)
// share: which database, from the same variables as `npm start`.
import path from 'node:path';
import { loadConfig } from '@gx/platform';
import { rootDir } from './pgTools.ts';

export interface BackupConfig {
  DATABASE_URL?: string;
  DATA_DIR: string;
  EMBEDDED_PG_PORT: number;
}

export function loadBackupConfig(name: string, env: NodeJS.ProcessEnv): BackupConfig {
  return loadConfig<BackupConfig>(
    name,
    {
      type: 'object',
      properties: {
        DATABASE_URL: {
          type: 'string',
          pattern: '^postgres(ql)?://',
          secret: true,
          description: 'the platform database; unset: the embedded database',
        },
        DATA_DIR: { type: 'string', default: '.data', minLength: 1, description: 'embedded data' },
        EMBEDDED_PG_PORT: {
          type: 'integer',
          minimum: 1,
          maximum: 65535,
          default: 54329,
          description: 'port of the embedded PostgreSQL',
        },
      },
    },
    env,
  );
}

/** where the embedded cluster lives (as the launcher puts it) */
export function embeddedDataDir(config: BackupConfig): string {
  return path.join(path.resolve(rootDir, config.DATA_DIR), 'postgres');
}
