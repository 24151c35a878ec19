import type { paths } from '@gx/schemas/generated/exchange-api';
import { exchangeClient } from './clients.ts';
import { outcome, required, type Outcome } from './errors.ts';

type PopularAnswer =
  paths['/v1/open/popular']['get']['responses']['200']['content']['application/json'];
export type PopularDataset = PopularAnswer['items'][number];
export type DatasetUsage =
  paths['/v1/open/resources/{code}/usage']['get']['responses']['200']['content']['application/json'];

/** The window the portal speaks of (近30天). */
export const USAGE_DAYS = 30;

/** 最常用数据: open datasets ranked by API calls and downloads in the last 30 days. */
export async function listPopularDatasets(limit: number): Promise<PopularDataset[]> {
  const answer = await exchangeClient().GET('/v1/open/popular', {
    params: { query: { days: USAGE_DAYS, limit } },
  });
  return required('exchange-api', answer).items;
}

/** A dataset's calls and downloads in the last 30 days; not-found when it is not open. */
export async function getDatasetUsage(code: string): Promise<Outcome<DatasetUsage>> {
  return outcome(
    'exchange-api',
    await exchangeClient().GET('/v1/open/resources/{code}/usage', {
      params: { path: { code }, query: { days: USAGE_DAYS } },
    }),
  );
}
