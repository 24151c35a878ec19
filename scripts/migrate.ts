// `npm run migrate`: apply pending SQL migrations (DATABASE_URL, or the embedded database).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateOnly } from '@gx/platform/launcher';

await migrateOnly(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), process.env);
