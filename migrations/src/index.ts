import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding `schema.prisma` and the `<YYYYMMDDHHMMSS>_<name>/migration.sql` folders. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PRISMA_SCHEMA_FILE = path.join(MIGRATIONS_DIR, 'schema.prisma');

export * from './generated/prisma/client.ts';
