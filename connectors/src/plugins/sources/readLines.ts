import { createReadStream } from 'node:fs';

export interface Line {
  /** the line without its terminator (and, on line 1, without a UTF-8 BOM) */
  text: string;
  /** 1-based */
  number: number;
  /** `\n`, `\r\n`, or `''` for a last line without one */
  terminator: string;
}

/**
 * The lines of a UTF-8 text file, streamed in chunks: memory holds one chunk and one line,
 * whatever the file's size. Multi-byte characters split across chunks are decoded whole.
 */
export async function* readLines(path: string): AsyncGenerator<Line> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 });
  let rest = '';
  let number = 0;
  let isFirstChunk = true;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      let text = rest + chunk;
      if (isFirstChunk && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      isFirstChunk = false;
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        const cr = end > start && text.charCodeAt(end - 1) === 13;
        yield {
          text: text.slice(start, cr ? end - 1 : end),
          number: ++number,
          terminator: cr ? '\r\n' : '\n',
        };
        start = end + 1;
      }
      rest = text.slice(start);
    }
    if (rest.length > 0) yield { text: rest, number: ++number, terminator: '' };
  } finally {
    stream.destroy();
  }
}
