const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /^\p{Script=Han}$/u;
/** Han runs, or runs of other letters and digits; everything else separates tokens. */
const RUN = /\p{Script=Han}+|[\p{L}\p{N}]+/gu;

/**
 * Text as the search sees it: NFKC (full-width Latin and digits become ASCII), lower case,
 * and every "other" character — controls, format characters such as RTL marks and zero-width
 * joiners, lone surrogates, private use — turned into a space.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{C}+/gu, ' ')
    .toLowerCase();
}

export interface TextRun {
  text: string;
  isHan: boolean;
}

/** The runs of searchable characters in a text: Han runs and other letter/digit runs. */
export function textRuns(text: string): TextRun[] {
  return Array.from(normaliseText(text).matchAll(RUN), ([run]) => ({
    text: run,
    isHan: HAN.test(run.charAt(0)),
  }));
}

/** Every overlapping two-character window of a Han run (its single character if it has one). */
export function hanBigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 2 <= chars.length; i += 1) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * Words of a Han run as ICU's dictionary segmentation finds them, each at least two
 * characters: ICU knows few government words (公积金 comes out as 公 积 金, 社保 as 社 保), so
 * neighbouring single characters are joined, and a single character left between two words
 * joins the word before it (不动|产|登记 → 不动产 登记), so that each word is a unit a person
 * typed. A one-character run stays one character.
 */
export function hanWords(run: string): string[] {
  const pieces = Array.from(segmenter.segment(run), ({ segment }) => segment);
  const words: string[] = [];
  let singles = '';
  const flushSingles = () => {
    if (!singles) return;
    if (Array.from(singles).length > 1 || words.length === 0) words.push(singles);
    else words[words.length - 1] += singles;
    singles = '';
  };
  for (const piece of pieces) {
    if (Array.from(piece).length === 1) {
      singles += piece;
      continue;
    }
    if (singles && Array.from(singles).length === 1 && words.length === 0) {
      // a single character before the first word belongs to it (空|气质 → 空气质)
      words.push(singles + piece);
      singles = '';
      continue;
    }
    flushSingles();
    words.push(piece);
  }
  flushSingles();
  return words;
}

/**
 * The index terms of a text (CJK bigram indexing, as Lucene's CJKAnalyzer does): every
 * two-character window of each Han run, so that a query meets the document however either was
 * segmented into words; optionally each Han character alone (names, for one-character
 * queries); other letter and digit runs as they are. The order follows the text.
 */
export function segmentChinese(text: string, options: { unigrams?: boolean } = {}): string[] {
  const terms: string[] = [];
  for (const run of textRuns(text)) {
    if (!run.isHan) {
      terms.push(run.text);
      continue;
    }
    const chars = Array.from(run.text);
    if (chars.length === 1) {
      terms.push(run.text);
      continue;
    }
    for (let i = 0; i < chars.length; i += 1) {
      if (options.unigrams) terms.push(chars[i]!);
      if (i + 1 < chars.length) terms.push(chars[i]! + chars[i + 1]!);
    }
  }
  return terms;
}

/** Terms joined by spaces (for `to_tsvector('simple', …)`, which splits on spaces). */
export function searchText(text: string | null | undefined): string {
  return text ? segmentChinese(text).join(' ') : '';
}
