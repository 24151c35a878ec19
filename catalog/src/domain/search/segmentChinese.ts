const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;

/**
 * Split text into search tokens: ICU's dictionary word segmentation for Chinese (空气质量 →
 * 空气 质量), lower-cased Latin words and numbers as they are, and every Han bigram of each
 * Han run so that a query segmented differently from the document still meets it.
 */
export function segmentChinese(text: string): string[] {
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC'))) {
    if (!isWordLike) continue;
    const word = segment.toLowerCase();
    tokens.push(word);
    if (HAN.test(word) && word.length > 2) {
      for (let i = 0; i + 2 <= word.length; i += 1) tokens.push(word.slice(i, i + 2));
    }
  }
  return tokens;
}

/** Tokens joined for `to_tsvector('simple', …)`: the database only splits on spaces. */
export function searchText(text: string | null | undefined): string {
  return text ? segmentChinese(text).join(' ') : '';
}
