import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logging/createLogger.ts';

export interface CapturedLogs {
  logger: Logger;
  /** every line written so far, parsed */
  lines(): Record<string, unknown>[];
  /** the raw text written so far */
  text(): string;
}

/** A real pino logger (same redaction as production) that writes into memory. */
export function captureLogs(service = 'test'): CapturedLogs {
  let buffer = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      buffer += chunk.toString('utf8');
      callback();
    },
  });
  const logger = createLogger({ service, level: 'trace', destination });
  return {
    logger,
    text: () => buffer,
    lines: () =>
      buffer
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
