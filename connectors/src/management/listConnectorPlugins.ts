import type { Actor } from '@gx/platform';
import { requireCaller, type ManagementContext } from './managementContext.ts';

export interface ConnectorPluginView {
  type: string;
  kind: 'source' | 'sink';
  title: string;
  optionsSchema: object;
}

/** The connector types this build knows, each with the JSON Schema of its options. */
export function listConnectorPlugins({
  context,
  actor,
}: {
  context: ManagementContext;
  actor: Actor;
}): ConnectorPluginView[] {
  requireCaller(actor);
  return [...context.plugins]
    .sort((a, b) => a.type.localeCompare(b.type))
    .map(({ type, kind, title, optionsSchema }) => ({ type, kind, title, optionsSchema }));
}
