import { quoteLexeme } from './searchDocument.ts';
import { hanBigrams, hanWords, normaliseText, textRuns } from './segmentChinese.ts';
import { LEADING_NOISE, NOISE_PHRASES, SYNONYMS, WEAK_WORDS } from './searchSynonyms.ts';

/** One index term of a query: a Han bigram or single character, or another word (prefix). */
export interface QueryTerm {
  lexeme: string;
  prefix: boolean;
}

/** One thing the person asked for: matched when any alternative's terms are all present. */
export interface QueryGroup {
  /** as typed (after normalisation) */
  text: string;
  /** what was typed and its thesaurus equivalents (for ranking by containment, highlights) */
  phrases: string[];
  /**
   * the terms each phrase must contain, without those that contain another's (市场监管 matches
   * whatever 市场监管局 matches, so the longer one adds only index work); the typed phrase's
   * terms come first when it is kept
   */
  alternatives: { phrase: string; terms: QueryTerm[] }[];
  /** the terms of what was typed, without equivalents (the fallbacks for typos use these) */
  typed: QueryTerm[];
}

export interface ParsedQuery {
  /** the normalised query, for trigram similarity and substring matching */
  text: string;
  groups: QueryGroup[];
  /** the typed terms in order, across word boundaries (营业执招: 营业 业执 执招), for typos */
  terms: QueryTerm[];
  /**
   * per word the person separated by spaces (医院 学校), the indices of its groups; only words
   * with a group of two characters or more (a lone 证 says too little to match by itself)
   */
  words: number[][];
}

/** A query keeps at most this many groups (a pasted paragraph is not a better question). */
export const MAX_GROUPS = 12;
const MAX_PHRASE = Math.max(...[...SYNONYMS.keys(), ...NOISE_PHRASES].map((p) => p.length));
const NOISE = new Set(NOISE_PHRASES);

function termsOf(phrase: string): QueryTerm[] {
  const terms: QueryTerm[] = [];
  for (const run of textRuns(phrase)) {
    if (run.isHan) terms.push(...hanBigrams(run.text).map((lexeme) => ({ lexeme, prefix: false })));
    else terms.push({ lexeme: run.text, prefix: /\p{L}/u.test(run.text) });
  }
  const seen = new Set<string>();
  return terms.filter((t) => !seen.has(t.lexeme) && seen.add(t.lexeme));
}

function group(text: string): QueryGroup {
  const phrases = [text, ...(SYNONYMS.get(text) ?? []).filter((p) => p !== text)];
  const all = phrases
    .map((phrase) => ({ phrase, terms: termsOf(phrase) }))
    .filter((a) => a.terms.length > 0);
  const lexemes = all.map((a) => new Set(a.terms.map((t) => `${t.lexeme}${t.prefix ? '*' : ''}`)));
  const covers = (i: number, j: number) => [...lexemes[j]!].every((l) => lexemes[i]!.has(l));
  const alternatives = all.filter(
    (_, i) => !all.some((__, j) => j !== i && covers(i, j) && (!covers(j, i) || j < i)),
  );
  return { text, phrases: all.map((a) => a.phrase), alternatives, typed: termsOf(text) };
}

/**
 * Cut a Han run into groups: thesaurus phrases and noise phrases are found first (longest
 * match, left to right); what lies between is cut into words by hanWords.
 */
function hanGroups(run: string, out: string[]) {
  const chars = Array.from(run);
  let plain = '';
  const flush = () => {
    if (plain) out.push(...hanWords(plain));
    plain = '';
  };
  for (let i = 0; i < chars.length;) {
    let found: string | undefined;
    for (let length = Math.min(MAX_PHRASE, chars.length - i); length >= 1; length -= 1) {
      const candidate = chars.slice(i, i + length).join('');
      if (SYNONYMS.has(candidate) || NOISE.has(candidate)) {
        found = candidate;
        break;
      }
    }
    if (found === undefined) {
      plain += chars[i];
      i += 1;
      continue;
    }
    flush();
    if (!NOISE.has(found)) out.push(found);
    i += Array.from(found).length;
  }
  flush();
}

/**
 * Turn what a person typed into query groups. Hostile input is harmless here: only letters,
 * digits and Han characters survive normalisation, every term is quoted when it becomes a
 * tsquery, and the text for similarity is passed as a parameter.
 */
export function parseSearchQuery(q: string): ParsedQuery {
  const text = normaliseText(q).replace(/\s+/gu, ' ').trim();
  const words: string[] = [];
  const runs = textRuns(text);
  const first = runs[0];
  if (first?.isHan && Array.from(first.text).length > 1) {
    const lead = LEADING_NOISE.find((verb) => first.text.startsWith(verb));
    if (lead) first.text = first.text.slice(lead.length);
  }
  for (const run of runs) {
    if (run.isHan) hanGroups(run.text, words);
    else if (!NOISE.has(run.text)) words.push(run.text);
  }
  const strong = words.filter((w) => !WEAK_WORDS.has(w));
  const kept = [...new Set(strong.length > 0 ? strong : words)].slice(0, MAX_GROUPS);
  const groups = kept.map(group).filter((g) => g.alternatives.length > 0);
  const terms = runs.flatMap((run) => termsOf(run.text));
  // keyed by their groups: 医院 医院 is one word
  const typedWords = new Map(
    text.split(' ').map((word) => {
      const indices = groups.flatMap((g, i) => (word.includes(g.text) ? [i] : []));
      return [indices.join(), indices];
    }),
  );
  return {
    text,
    groups,
    terms: groups.length > 0 ? terms : [],
    words: [...typedWords.values()].filter((w) =>
      w.some((i) => Array.from(groups[i]!.text).length > 1),
    ),
  };
}

function lexeme(term: QueryTerm): string {
  return term.prefix ? `${quoteLexeme(term.lexeme)}:*` : quoteLexeme(term.lexeme);
}

/** A group as tsquery text: any alternative with all its terms (or only what was typed). */
export function groupTsquery(g: QueryGroup, typedOnly = false): string {
  if (typedOnly) return `(${g.typed.map((t) => lexeme(t)).join(' & ')})`;
  return g.alternatives.map((a) => `(${a.terms.map((t) => lexeme(t)).join(' & ')})`).join(' | ');
}

/**
 * Typed terms beyond which a query gets no fuzzy fallback by terms: a query of six characters
 * or more says enough that a partial match misleads more than it helps (and checking every
 * pair of common terms is costly); only a name like it (trigram similarity) is offered.
 */
export const MAX_FUZZY_TERMS = 4;

/**
 * The fallback for typos: any two of the typed terms, so that 空气质亮 still finds 空气质量
 * through 空气 and 气质 and 公积经缴存 finds 住房公积金缴存信息 through 公积 and 缴存; empty when
 * there are fewer than two terms or more than MAX_FUZZY_TERMS.
 */
export function typedTermsTsquery(parsed: ParsedQuery): string {
  const terms = [...new Set(parsed.terms.map((t) => lexeme(t)))];
  if (terms.length < 2 || terms.length > MAX_FUZZY_TERMS) return '';
  const pairs: string[] = [];
  for (let i = 0; i < terms.length; i += 1)
    for (let j = i + 1; j < terms.length; j += 1) pairs.push(`(${terms[i]} & ${terms[j]})`);
  return pairs.join(' | ');
}

/** Every group present (`all`), or any term of any group (`any`, for ranking by ts_rank). */
export function queryTsquery(parsed: ParsedQuery, mode: 'all' | 'any'): string {
  if (mode === 'all') return parsed.groups.map((g) => `(${groupTsquery(g)})`).join(' & ');
  const terms = new Set<string>();
  for (const g of parsed.groups)
    for (const a of g.alternatives) for (const t of a.terms) terms.add(lexeme(t));
  return [...terms].join(' | ');
}

/** Strings to mark in names and abstracts: what was typed and the equivalents searched. */
export function highlightTerms(parsed: ParsedQuery): string[] {
  const terms = new Set<string>();
  for (const g of parsed.groups) {
    for (const phrase of g.phrases) terms.add(normaliseText(phrase));
    for (const run of textRuns(g.text)) {
      if (run.isHan) for (const b of hanBigrams(run.text)) terms.add(b);
      else terms.add(run.text);
    }
  }
  return [...terms].filter((t) => t.length > 0);
}
