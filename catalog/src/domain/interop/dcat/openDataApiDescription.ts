import $RefParser from '@apidevtools/json-schema-ref-parser';
import { openApiSpecPath } from '@gx/schemas';

interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, unknown>;
  components?: { securitySchemes?: Record<string, unknown> };
}

let spec: Promise<OpenApiDocument> | undefined;

/**
 * The OpenAPI description of the open-data API (the `/v1/open/…` part of the exchange's
 * contract), as one self-contained JSON document: the DataService of the DCAT-AP export points
 * its dcat:endpointDescription here. The exchange's contract is the source; it is read once
 * and dereferenced so that the answer holds no relative `$ref` a client could not follow.
 */
export async function openDataApiDescription(
  exchangeUrl: string,
): Promise<Record<string, unknown>> {
  spec ??= (
    $RefParser.dereference(openApiSpecPath('exchange-api')) as Promise<OpenApiDocument>
  ).catch((error: unknown) => {
    spec = undefined;
    throw error;
  });
  const doc = await spec;
  return {
    openapi: doc.openapi,
    info: {
      ...doc.info,
      title: '开放数据接口 / open-data API',
      description:
        '开放信息资源的预览、记录查询和文件下载（政务数据共享交换平台 exchange API 的开放数据部分）。',
    },
    servers: [{ url: exchangeUrl.replace(/\/+$/, '') }],
    paths: Object.fromEntries(
      Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/open/')),
    ),
    components: { securitySchemes: doc.components?.securitySchemes ?? {} },
  };
}
