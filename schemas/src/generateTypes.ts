// Regenerates the TypeScript types of every OpenAPI spec (openapi-typescript). The output is
// committed; src/generatedTypes.test.ts fails when a spec changed and this was not re-run.
import { writeFile } from 'node:fs/promises';
import { generatedTypesPath, SERVICES } from './index.ts';
import { renderTypes } from './renderTypes.ts';

for (const service of SERVICES) {
  await writeFile(generatedTypesPath(service), await renderTypes(service));
  process.stdout.write(`generated ${generatedTypesPath(service)}\n`);
}
