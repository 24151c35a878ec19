// The services' specs as express-openapi-validator reads them (bundled into one document): a
// request body or parameter that is a `$ref` into another operation (`#/paths/…`, what bundling
// makes of a side file's component used twice) is looked up by its last segment in
// `components` by the validator, not found, and then not validated at all — an invalid
// request passes. Such components must be named in the service's root spec.
import { fileURLToPath } from 'node:url';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { describe, expect, it } from 'vitest';

const SPECS = ['exchange-api.yaml', 'catalog.yaml', 'connectors.yaml'];
const dir = fileURLToPath(new URL('../../../schemas/openapi/', import.meta.url));

interface Operation {
  requestBody?: { $ref?: string };
  parameters?: { $ref?: string }[];
}

describe('bundled service specs', () => {
  for (const file of SPECS) {
    it(`${file}: every request body and parameter resolves in components or inline`, async () => {
      const spec = (await $RefParser.bundle(`${dir}${file}`)) as {
        paths: Record<string, Record<string, Operation | { $ref?: string }[]>>;
      };
      const intoPaths: string[] = [];
      const check = (where: string, ref: string | undefined) => {
        if (ref?.startsWith('#/paths/')) intoPaths.push(`${where} → ${ref}`);
      };
      for (const [path, item] of Object.entries(spec.paths)) {
        for (const [method, value] of Object.entries(item)) {
          if (Array.isArray(value)) {
            value.forEach((p, i) => check(`${path} parameters/${i}`, p.$ref));
            continue;
          }
          const operation = value as Operation;
          check(`${method} ${path} requestBody`, operation.requestBody?.$ref);
          operation.parameters?.forEach((p, i) =>
            check(`${method} ${path} parameters/${i}`, p.$ref),
          );
        }
      }
      expect(intoPaths).toEqual([]);
    });
  }
});
