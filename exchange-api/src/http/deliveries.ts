import type { Request, Response } from 'express';
import { InputError } from '@gx/platform';
import { requestHash } from '../domain/evidence/requestHash.ts';
import { EVIDENCE_RECEIPT_HEADER } from '../domain/evidence/evidenceEntry.ts';
import { parseRowFilter } from '../domain/policy/compilePolicy.ts';

/** how a receipt travels in the `Evidence-Receipt` header (its compact JWS) */
export type ReceiptHeader = (receipt: unknown) => string | undefined;

/** What the caller asked, hashed for the evidence entry (never the credentials in headers). */
export const hashOf = (req: Request) =>
  requestHash({ method: req.method, path: req.path, query: req.query, body: req.body });

export const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A JSON answer with the delivery's receipt in `Evidence-Receipt`. */
export function sendWithReceipt(
  res: Response,
  receiptHeader: ReceiptHeader,
  receipt: unknown,
  body: unknown,
  status = 200,
) {
  const header = receiptHeader(receipt);
  if (header) res.setHeader(EVIDENCE_RECEIPT_HEADER, header);
  res.status(status).json(body);
}

/** A streamed download's receipt covers the bytes sent, so it travels in a trailer after them. */
export function announceReceiptTrailer(res: Response) {
  res.setHeader('Trailer', EVIDENCE_RECEIPT_HEADER);
}

export function endWithReceiptTrailer(
  res: Response,
  receiptHeader: ReceiptHeader,
  receipt: unknown,
) {
  const header = receiptHeader(receipt);
  if (header) res.addTrailers({ [EVIDENCE_RECEIPT_HEADER]: header });
  res.end();
}

/** The `filter` query parameter: a row-filter expression as JSON. */
export function filterParam(req: Request) {
  const raw = text(req.query.filter);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError('filter 不是合法的 JSON', [{ path: 'filter', message: 'JSON 格式错误' }]);
  }
  return parseRowFilter(parsed);
}

/** The `fields` query parameter: a comma-separated projection, naming at least one field. */
export function fieldsParam(req: Request) {
  const fields = text(req.query.fields)
    ?.split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields?.length === 0) {
    // `fields=,` would project nothing: records of no fields are no answer
    throw new InputError('fields 应列出至少一个信息项', [
      { path: 'fields', message: '至少列出一个信息项，用英文逗号分隔' },
    ]);
  }
  return fields;
}
