const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

export interface HighlightOptions {
  /** cut to a snippet of about this many characters around the first match */
  maxLength?: number;
}

/**
 * The text HTML-escaped, with every occurrence of a term wrapped in `<em>…</em>` (overlapping
 * and adjacent matches merged). With `maxLength`, a window around the first match, with `…`
 * where text was cut. Safe to insert as HTML: nothing of the text is left unescaped.
 */
export function highlight(text: string, terms: readonly string[], options: HighlightOptions = {}) {
  const lower = text.toLowerCase();
  const haystack = lower.length === text.length ? lower : text;
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (!term) continue;
    for (let at = haystack.indexOf(term); at >= 0; at = haystack.indexOf(term, at + 1)) {
      ranges.push([at, at + term.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }

  let from = 0;
  let to = text.length;
  if (options.maxLength && text.length > options.maxLength) {
    const first = merged[0]?.[0] ?? 0;
    from = Math.max(
      0,
      Math.min(first - Math.floor(options.maxLength / 4), text.length - options.maxLength),
    );
    to = Math.min(text.length, from + options.maxLength);
    if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from += 1;
    if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to += 1;
  }
  let out = from > 0 ? '…' : '';
  let cursor = from;
  for (const [start, end] of merged) {
    if (end <= from || start >= to) continue;
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    out += `${escapeHtml(text.slice(cursor, s))}<em>${escapeHtml(text.slice(s, e))}</em>`;
    cursor = e;
  }
  out += escapeHtml(text.slice(cursor, to));
  return to < text.length ? `${out}…` : out;
}
