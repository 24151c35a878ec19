import type { paths } from '@gx/schemas/generated/connectors';
import { portalConfig } from '../../../config.ts';
import { connectorsClient } from '../../api/clients.ts';
import { bearer } from '../staff.ts';
import { connectorFromForm } from './connectorForm.ts';
import { answerOf, type Answer } from './answer.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type Connector = Json<paths['/v1/connectors']['get']['responses']['200']>['items'][number];
export type ConnectorStatus = Json<
  paths['/v1/connectors/{name}/status']['get']['responses']['200']
>;
export type DeadLetterPage = Json<
  paths['/v1/connectors/{name}/dead-letters']['get']['responses']['200']
>;
export type ConnectorOffsets = Json<
  paths['/v1/connectors/{name}/offsets']['get']['responses']['200']
>;
export type ConnectorPlugin = Json<
  paths['/v1/connector-plugins']['get']['responses']['200']
>[number];
export type ConfigValidation = Json<
  paths['/v1/connector-plugins/{type}/config/validate']['put']['responses']['200']
>;
type ConnectorConfig =
  paths['/v1/connectors']['post']['requestBody']['content']['application/json']['config'];

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

/** What the steward may ask of a connector from the list (a connector the API does not show is refused). */
export type ConnectorChange = 'pause' | 'resume' | 'stop' | 'restart';

/** 暂停, 恢复 (also after 停止), 停止 (workers let go of its tasks), 重启 (tasks rebuilt). */
export async function changeConnector(
  token: string,
  name: string,
  change: ConnectorChange,
): Promise<Answer<unknown>> {
  const init = { params: { path: { name } }, headers: bearer({ accessToken: token }) };
  const client = connectorsClient();
  switch (change) {
    case 'pause':
      return answerOf(S, await client.PUT('/v1/connectors/{name}/pause', init));
    case 'resume':
      return answerOf(S, await client.PUT('/v1/connectors/{name}/resume', init));
    case 'stop':
      return answerOf(S, await client.PUT('/v1/connectors/{name}/stop', init));
    case 'restart':
      return answerOf(S, await client.POST('/v1/connectors/{name}/restart', init));
  }
}

/** Where a connector resumes: a source's position, a sink's committed offsets and lag. */
export async function connectorOffsets(
  token: string,
  name: string,
): Promise<Answer<ConnectorOffsets>> {
  return answerOf(
    S,
    await connectorsClient().GET('/v1/connectors/{name}/offsets', {
      params: { path: { name } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** 重置位点: a stopped connector starts over (the API answers 409 to any other). */
export async function resetOffsets(token: string, name: string): Promise<Answer<ConnectorOffsets>> {
  return answerOf(
    S,
    await connectorsClient().DELETE('/v1/connectors/{name}/offsets', {
      params: { path: { name } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** 重新同步存量数据: a sink's grant receives every stored record again; how many were queued. */
export async function requestInitialLoad(
  token: string,
  name: string,
): Promise<Answer<{ queued: number }>> {
  return answerOf(
    S,
    await connectorsClient().POST('/v1/connectors/{name}/initial-load', {
      params: { path: { name } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

export async function deleteConnector(token: string, name: string): Promise<Answer<unknown>> {
  return answerOf(
    S,
    await connectorsClient().DELETE('/v1/connectors/{name}', {
      params: { path: { name }, query: {} },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** A connector's configuration: secret references, never values. */
export async function connectorConfig(
  token: string,
  name: string,
): Promise<Answer<ConnectorConfig>> {
  return answerOf(
    S,
    await connectorsClient().GET('/v1/connectors/{name}/config', {
      params: { path: { name } },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** The connector types this build knows, each with the JSON Schema of its options. */
export async function listPlugins(token: string): Promise<Answer<ConnectorPlugin[]>> {
  return answerOf(
    S,
    await connectorsClient().GET('/v1/connector-plugins', {
      headers: bearer({ accessToken: token }),
    }),
  );
}

/**
 * 校验: every problem creating or saving `config` would meet, each with its JSON pointer, without
 * saving anything (the API answers 200 for any object).
 */
export async function validateConfig(
  token: string,
  type: string,
  config: Record<string, unknown>,
): Promise<Answer<ConfigValidation>> {
  return answerOf(
    S,
    await connectorsClient().PUT('/v1/connector-plugins/{type}/config/validate', {
      params: { path: { type } },
      body: config as never,
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** 创建: the connector starts running at once. */
export async function createConnector(
  token: string,
  name: string,
  config: Record<string, unknown>,
): Promise<Answer<Connector>> {
  return answerOf(
    S,
    await connectorsClient().POST('/v1/connectors', {
      body: { name, config: config as unknown as ConnectorConfig },
      headers: bearer({ accessToken: token }),
    }),
  );
}

/** 修改配置: workers rebuild the connector's tasks with the new configuration. */
export async function saveConnectorConfig(
  token: string,
  name: string,
  config: Record<string, unknown>,
): Promise<Answer<Connector>> {
  return answerOf(
    S,
    await connectorsClient().PUT('/v1/connectors/{name}/config', {
      params: { path: { name } },
      body: config as unknown as ConnectorConfig,
      headers: bearer({ accessToken: token }),
    }),
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

/** The connector form as a refusal brought it back: what was typed and what is wrong with it. */
export interface ReviewedConnectorForm {
  name: string;
  /** the plugin type: the form's own, else the configuration's (empty when neither says) */
  type: string;
  configText: string;
  /** the connectors API's problems with the configuration, by JSON pointer */
  problems: ConfigValidation['errors'];
  /** the inputs the refusal is about */
  refused: ('name' | 'config')[];
}

/**
 * A refused connector form read again, as the action read it: its own problems (a name, JSON
 * syntax), else the API's problems with the configuration, asked once more rather than carried
 * in the URL. `refusedOnly`: a form that came back with a passed check needs no asking.
 */
export async function reviewConnectorForm(
  token: string,
  carried: FormData,
  refusedOnly: boolean,
): Promise<ReviewedConnectorForm> {
  const name = typeof carried.get('name') === 'string' ? String(carried.get('name')) : '';
  const form = connectorFromForm(carried, { withName: name.trim() !== '' });
  const reviewed: ReviewedConnectorForm = {
    name: form.name,
    type: form.type,
    configText: form.configText,
    problems: [],
    refused: [...new Set(form.problems.map((p) => p.input))],
  };
  if (!refusedOnly || form.problems.length > 0 || !form.config) return reviewed;
  const checked = await validateConfig(token, form.type, form.config);
  if (checked.ok && checked.data.errorCount > 0) {
    reviewed.problems = checked.data.errors;
    reviewed.refused.push('config');
  }
  return reviewed;
}
