import { segmentChinese } from './segmentChinese.ts';

/** What a resource's search document is built from. */
export interface SearchableResource {
  id: string;
  name: string;
  abstract: string;
  keywords: string[];
  providerName: string;
  providerShortName: string | null;
  themeName: string;
  itemLabels: string[];
}

/** tsvector limits: positions 1–16383, at most 256 positions kept per lexeme. */
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/** A lexeme as a tsvector literal: quoted, quotes doubled, backslashes escaped. */
export function quoteLexeme(term: string): string {
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The resource's full-text document as a tsvector literal, built here rather than by
 * `to_tsvector` so that documents and queries are cut into terms by the same code
 * (segmentChinese) and PostgreSQL's parser never splits a term differently. Weights: name A
 * (with single characters, for one-character queries); keywords, department names and theme
 * B; abstract and field labels C — a match in the name ranks first.
 */
export function buildSearchDocument(r: Omit<SearchableResource, 'id'>): string {
  const positions = new Map<string, string[]>();
  let position = 0;
  const add = (text: string, weight: 'A' | 'B' | 'C', unigrams = false) => {
    for (const term of segmentChinese(text, { unigrams })) {
      position = Math.min(position + 1, MAX_POSITION);
      const list = positions.get(term);
      if (!list) positions.set(term, [`${position}${weight}`]);
      else if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(`${position}${weight}`);
    }
    // a gap between fields, so that no phrase spans two of them
    position = Math.min(position + 1, MAX_POSITION);
  };
  add(r.name, 'A', true);
  for (const text of [...r.keywords, r.providerName, r.providerShortName ?? '', r.themeName]) {
    add(text, 'B');
  }
  add(r.abstract, 'C');
  for (const label of r.itemLabels) add(label, 'C');
  return Array.from(positions, ([term, list]) => `${quoteLexeme(term)}:${list.join(',')}`).join(
    ' ',
  );
}
