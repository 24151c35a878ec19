import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, PRISMA_SCHEMA_FILE } from '@gx/migrations';

const run = promisify(execFile);

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe('committed Prisma client', () => {
  it('is what `npm run generate -w @gx/migrations` makes from schema.prisma', async () => {
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'gx-prisma-'));
    try {
      // same file, same relative output path: the generated code embeds the schema text
      await writeFile(path.join(tmp, 'schema.prisma'), await readFile(PRISMA_SCHEMA_FILE));
      await writeFile(
        path.join(tmp, 'prisma.config.ts'),
        `export default { schema: 'schema.prisma' };\n`,
      );
      const prisma = path.join(MIGRATIONS_DIR, '..', 'node_modules', '.bin', 'prisma');
      await run(prisma, ['generate', '--schema', path.join(tmp, 'schema.prisma')], {
        cwd: tmp,
        env: {
          ...process.env,
          PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true',
          PRISMA_HIDE_UPDATE_MESSAGE: '1',
        },
      });
      const committedDir = path.join(MIGRATIONS_DIR, 'src', 'generated', 'prisma');
      const freshDir = path.join(tmp, 'src', 'generated', 'prisma');
      const fresh = await listFiles(freshDir);
      expect(await listFiles(committedDir)).toEqual(fresh);
      const stale: string[] = [];
      for (const file of fresh) {
        const expected = await readFile(path.join(freshDir, file), 'utf8');
        const committed = await readFile(path.join(committedDir, file), 'utf8');
        if (committed !== expected) stale.push(file);
      }
      // a non-empty list means: run `npm run generate -w @gx/migrations` and commit
      expect(stale).toEqual([]);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
