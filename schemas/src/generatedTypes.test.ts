import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedTypesPath, SERVICES } from './index.ts';
import { renderTypes } from './renderTypes.ts';

describe('generated OpenAPI types', () => {
  it.each(SERVICES)(
    '%s types match its spec (run `npm run generate -w @gx/schemas`)',
    async (service) => {
      const committed = await readFile(generatedTypesPath(service), 'utf8');
      expect(committed).toBe(await renderTypes(service));
    },
  );
});
