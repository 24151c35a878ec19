import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { buildMatrix, renderMatrix } from './authorizationMatrix.ts';
import { loadAllOperations } from './specOperations.ts';

/** Where the rendered matrix lives; authorization-matrix.test.ts fails when it is stale. */
export const MATRIX_DOC = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../docs/authorization-matrix.md',
);

/** The markdown of the matrix for the specs as they are now. */
export async function renderCurrentMatrix(): Promise<string> {
  const { rows, missing } = buildMatrix(await loadAllOperations());
  if (missing.length)
    throw new Error(
      `operations with security and no row in authorizationMatrix.ts: ${missing.join(', ')}`,
    );
  // formatted as `prettier --check .` expects it
  const options = await prettier.resolveConfig(MATRIX_DOC);
  return prettier.format(renderMatrix(rows), { ...options, filepath: MATRIX_DOC });
}

// `npm run docs:authz`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await writeFile(MATRIX_DOC, await renderCurrentMatrix());
  process.stdout.write(`wrote ${path.relative(process.cwd(), MATRIX_DOC)}\n`);
}
