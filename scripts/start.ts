// `npm start`: the whole system on its embedded defaults. See platform/src/launcher/launch.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '@gx/platform/launcher';

await launch(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), process.env);
