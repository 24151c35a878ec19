import type { Actor } from '@gx/platform';
import { requireCaller, type ManagementContext } from './managementContext.ts';

export interface ConnectorPluginView {
  type: string;
  kind: 'source' | 'sink';
  title: string;
  optionsSchema: object;
  /** sources: the JSON Schema of their positions (位点), with Chinese titles */
  positionSchema?: object;
}

/**
 * The connector types this build knows, each with the JSON Schema of its options, and a
 * source's of its positions (the console words a stored position by its titles).
 */
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
    .map((plugin) => {
      const { type, kind, title, optionsSchema } = plugin;
      return plugin.kind === 'source'
        ? { type, kind, title, optionsSchema, positionSchema: plugin.positionSchema }
        : { type, kind, title, optionsSchema };
    });
}
