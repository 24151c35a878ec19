/**
 * A query parameter given once, as a page's `searchParams` holds it; undefined when it is absent
 * or repeated (a repeated one is not what the page's own links make).
 */
export function queryParam(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
