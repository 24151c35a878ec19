import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from './clients.ts';
import { outcome, type Outcome } from './errors.ts';

type PreviewAnswer =
  paths['/v1/open/resources/{code}/preview']['get']['responses']['200']['content']['application/json'];
export type OpenColumn = PreviewAnswer['columns'][number];
export type OpenRecord = Record<string, unknown>;

/** The API's own page size limit for previews (exchange-open.yaml: `limit` maximum 50). */
const PREVIEW_LIMIT_MAX = 50;

export interface PreviewWindow {
  columns: OpenColumn[];
  /** the records from `offset` on, at most `count` */
  records: OpenRecord[];
  /** whether the resource holds records after the window */
  hasMore: boolean;
}

/**
 * Records `offset … offset + count` of an open resource's preview. The preview API pages with
 * opaque keyset cursors; the portal's pages are numbered (so `?page=3` is a link anyone can
 * share and that works without JavaScript), so the window is reached by following the cursors
 * in the largest steps the API allows. The portal caps the page number (see MAX_PREVIEW_PAGE)
 * so that one page view costs a handful of requests at most.
 */
export async function readPreviewWindow(
  code: string,
  offset: number,
  count: number,
): Promise<Outcome<PreviewWindow>> {
  const client = exchangeClient();
  const wanted = offset + count;
  const seen: OpenRecord[] = [];
  let columns: OpenColumn[] = [];
  let after: string | undefined;
  for (;;) {
    const limit = Math.min(PREVIEW_LIMIT_MAX, wanted - seen.length);
    const answer = outcome(
      'exchange-api',
      await client.GET('/v1/open/resources/{code}/preview', {
        params: { path: { code }, query: { limit, ...(after ? { after } : {}) } },
      }),
    );
    if (answer.kind !== 'ok') return answer;
    columns = answer.data.columns;
    seen.push(...(answer.data.items as OpenRecord[]));
    // a short page is the last one, whatever cursor it carries
    after = answer.data.items.length < limit ? undefined : (answer.data.nextCursor ?? undefined);
    if (!after || seen.length >= wanted) break;
  }
  return {
    kind: 'ok',
    data: { columns, records: seen.slice(offset, wanted), hasMore: Boolean(after) },
  };
}
