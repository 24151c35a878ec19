import { authorize, InputError, type Actor, type FieldProblem } from '@gx/platform';
import { checkConfigReferences, type ConfigReferences } from './checkConfigReferences.ts';
import type { ConnectorConfig } from './connectorConfig.ts';
import type { ManagementContext } from './managementContext.ts';

/** A configuration's problems with their JSON pointers moved under where it sits in the body. */
export const under = (prefix: string, problems: FieldProblem[]): FieldProblem[] =>
  problems.map((p) => ({ ...p, path: `${prefix}${p.path === '/' ? '' : p.path}` || '/' }));

export interface CheckedConfig {
  config: ConnectorConfig;
  kind: 'source' | 'sink';
  references: ConfigReferences;
}

/**
 * Check a configuration about to be saved: its envelope and type first (400), then whether
 * the caller may manage the named department's connectors (403), then the plugin's options
 * and what the configuration names, all problems in one answer (400).
 * `prefix` is where the configuration sits in the request body (`/config`, or `` for a body
 * that is the configuration).
 */
export async function checkConfigForSave(
  context: ManagementContext,
  actor: Actor,
  input: unknown,
  prefix: string,
): Promise<CheckedConfig> {
  const shape = context.validator.check(input);
  if (!shape.config || !shape.plugin) {
    throw new InputError('连接器配置无效', under(prefix, shape.problems));
  }
  authorize(actor, 'connector.manage', { departmentCode: shape.config.department }, 'write');
  const { problems, references } = await checkConfigReferences(
    context.pool,
    shape.config,
    shape.plugin.kind,
  );
  const all = [...shape.problems, ...problems];
  if (all.length > 0 || !references) throw new InputError('连接器配置无效', under(prefix, all));
  return { config: shape.config, kind: shape.plugin.kind, references };
}
