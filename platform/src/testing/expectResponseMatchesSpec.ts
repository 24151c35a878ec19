import $RefParser from '@apidevtools/json-schema-ref-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
}
interface ResponseObject {
  content?: Record<string, { schema?: object }>;
}

const documents = new Map<string, Promise<OpenApiDocument>>();
const ajv = new Ajv2020({ strict: false, allErrors: true });

function load(specPath: string) {
  let doc = documents.get(specPath);
  if (!doc) {
    doc = $RefParser.dereference(specPath) as Promise<unknown> as Promise<OpenApiDocument>;
    documents.set(specPath, doc);
  }
  return doc;
}

/**
 * Assert that a response is one the spec declares for this operation: its status is listed,
 * its media type is declared and its body validates against the declared schema.
 */
export async function expectResponseMatchesSpec(
  specPath: string,
  method: string,
  pathTemplate: string,
  res: Response,
): Promise<unknown> {
  const doc = await load(specPath);
  const operation = doc.paths[pathTemplate]?.[method.toLowerCase()];
  expect(operation, `${method} ${pathTemplate} is declared in ${specPath}`).toBeDefined();
  const declared = operation!.responses[String(res.status)] ?? operation!.responses.default;
  expect(declared, `${method} ${pathTemplate} declares status ${res.status}`).toBeDefined();
  const mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const media = declared!.content?.[mediaType];
  expect(media, `${method} ${pathTemplate} ${res.status} declares ${mediaType}`).toBeDefined();
  const body: unknown = mediaType.endsWith('json') ? await res.json() : await res.text();
  if (media!.schema) {
    const validate = ajv.compile(media!.schema);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  }
  return body;
}
