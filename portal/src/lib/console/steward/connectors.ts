import type { paths } from '@gx/schemas/generated/connectors';
import { portalConfig } from '../../../config.ts';
import { connectorsClient } from '../../api/clients.ts';
import { bearer } from '../staff.ts';
import { answerOf, type Answer } from './answer.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Connector = Json<paths['/v1/connectors']['get']['responses']['200']>['items'][number];
export type ConnectorStatus = Json<
  paths['/v1/connectors/{name}/status']['get']['responses']['200']
>;
export type DeadLetterPage = Json<
  paths['/v1/connectors/{name}/dead-letters']['get']['responses']['200']
>;

export const CONNECTOR_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const S = 'connectors';

/** The connectors the steward manages (the API shows a steward their department's). */
export async function listConnectors(token: string): Promise<Answer<Connector[]>> {
  const answer = answerOf(
    S,
    await connectorsClient().GET('/v1/connectors', { headers: bearer({ accessToken: token }) }),
  );
  return answer.ok ? { ok: true, data: answer.data.items } : answer;
}

export async function connectorStatus(
  token: string,
  name: string,
): Promise<Answer<ConnectorStatus>> {
  return answerOf(
    S,
    await connectorsClient().GET('/v1/connectors/{name}/status', {
      params: { path: { name } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** The latest few dead letters (total and newest first), read without consuming them. */
export async function latestDeadLetters(
  token: string,
  name: string,
  limit = 5,
): Promise<Answer<DeadLetterPage>> {
  return answerOf(
    S,
    await connectorsClient().GET('/v1/connectors/{name}/dead-letters', {
      params: { path: { name }, query: { limit } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

export async function pauseOrResume(
  token: string,
  name: string,
  op: 'pause' | 'resume',
): Promise<Answer<unknown>> {
  const init = { params: { path: { name } }, headers: bearer({ accessToken: token }) };
  return answerOf(
    S,
    op === 'pause'
      ? await connectorsClient().PUT('/v1/connectors/{name}/pause', init)
      : await connectorsClient().PUT('/v1/connectors/{name}/resume', init),
  );
}

export interface Throughput {
  recordsIn: number;
  recordsOut: number;
  deadLetters: number;
  lag: number | undefined;
}

const METRIC = /^(gx_connector_[a-z_]+)\{([^}]*)\}\s+([0-9.eE+-]+)$/;

/**
 * Records in / out, dead letters and lag per connector, from the connectors service's
 * Prometheus text on /metrics (counters since that process started). Unavailable metrics give
 * an empty map: the page then shows 暂无, the rest of it still works.
 */
export async function connectorThroughput(): Promise<Map<string, Throughput>> {
  const figures = new Map<string, Throughput>();
  let text: string;
  try {
    const response = await fetch(`${portalConfig().CONNECTORS_URL}/metrics`, {
      signal: AbortSignal.timeout(5_000),
      cache: 'no-store',
    });
    if (!response.ok) return figures;
    text = await response.text();
  } catch {
    return figures;
  }
  for (const line of text.split('\n')) {
    const match = METRIC.exec(line.trim());
    if (!match) continue;
    const [, metric, labels, value] = match;
    const connector = /connector="([^"]*)"/.exec(labels!)?.[1];
    if (!connector) continue;
    const entry = figures.get(connector) ?? {
      recordsIn: 0,
      recordsOut: 0,
      deadLetters: 0,
      lag: undefined,
    };
    const n = Number(value);
    if (metric === 'gx_connector_records_in_total') entry.recordsIn = n;
    else if (metric === 'gx_connector_records_out_total') entry.recordsOut = n;
    else if (metric === 'gx_connector_dead_letters_total') entry.deadLetters = n;
    else if (metric === 'gx_connector_lag_records') entry.lag = n;
    else continue;
    figures.set(connector, entry);
  }
  return figures;
}
