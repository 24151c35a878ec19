import { isAllowed, type Actor, type FieldProblem } from '@gx/platform';
import { checkConfigReferences } from './checkConfigReferences.ts';
import { requireCaller, type ManagementContext } from './managementContext.ts';

export interface ConfigValidation {
  type: string;
  errorCount: number;
  errors: FieldProblem[];
}

export interface ValidateConnectorConfigOptions {
  context: ManagementContext;
  actor: Actor;
  /** the plugin type from the path */
  type: string;
  config: unknown;
}

/**
 * Everything creating a connector with this configuration would refuse, without saving it,
 * as Kafka Connect's validate does: the shape, the plugin's options, whether the caller may
 * manage the department's connectors, and what the configuration names. The references are
 * looked up only for a department the caller manages, so the answer says nothing about
 * another department's resources or grants.
 */
export async function validateConnectorConfig({
  context,
  actor,
  type,
  config: input,
}: ValidateConnectorConfigOptions): Promise<ConfigValidation> {
  requireCaller(actor);
  const errors: FieldProblem[] = [];
  let config = input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const given = (input as { type?: unknown }).type;
    if (given === undefined) config = { ...input, type };
    else if (given !== type) {
      errors.push({ path: '/type', message: `与路径中的连接器类型 ${type} 不一致` });
    }
  }
  if (errors.length === 0) {
    const shape = context.validator.check(config);
    errors.push(...shape.problems);
    if (shape.config) {
      if (!isAllowed(actor, 'connector.manage', { departmentCode: shape.config.department })) {
        errors.push({
          path: '/department',
          message: `无权管理部门 ${shape.config.department} 的连接器`,
        });
      } else {
        errors.push(
          ...(await checkConfigReferences(context.pool, shape.config, shape.plugin!.kind)).problems,
        );
      }
    }
  }
  return { type, errorCount: errors.length, errors };
}
