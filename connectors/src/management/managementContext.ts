import type pg from 'pg';
import {
  NotAllowedError,
  UnauthenticatedError,
  type Actor,
  type AuthenticatedActor,
  type Logger,
} from '@gx/platform';
import type { RecordLog } from '../log/RecordLog.ts';
import type { ConnectorPlugin } from '../runtime/plugin.ts';
import type { SecretResolver } from '../runtime/secrets.ts';
import type { ConfigValidator } from './createConfigValidator.ts';

/** What the management use-cases work with: the database, the record log and the plugins. */
export interface ManagementContext {
  pool: pg.Pool;
  recordLog: RecordLog;
  plugins: readonly ConnectorPlugin[];
  /** the connector envelope and every plugin's options schema, compiled once */
  validator: ConfigValidator;
  /**
   * resolves the secrets a plugin's `release` needs when a connector is deleted (a CDC
   * source's connection)
   */
  secrets: SecretResolver;
  logger: Logger;
}

/** Every management operation needs a known caller: anonymous ones get 401 before anything. */
export function requireCaller(actor: Actor): AuthenticatedActor {
  if (actor.kind === 'anonymous') throw new UnauthenticatedError('需要登录或提供访问令牌');
  // the contract's security is bearerAuth only: a developer's open-data key manages nothing here
  if (actor.kind === 'api-key') throw new NotAllowedError('此接口不接受 API key，请使用访问令牌');
  return actor;
}
