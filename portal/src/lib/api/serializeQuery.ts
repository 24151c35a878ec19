/**
 * RFC 3986 strict percent-encoding: encodeURIComponent leaves `!'()*` as they are, and the
 * services' request validator refuses reserved characters in a query value, so a visitor's
 * search for `PM2.5 (小时)` would otherwise be turned away.
 */
const encode = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** Query strings as the specs declare them: `form` style, arrays exploded (`theme=a&theme=b`). */
export function serializeQuery(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      parts.push(`${encode(name)}=${encode(String(item))}`);
    }
  }
  return parts.join('&');
}
