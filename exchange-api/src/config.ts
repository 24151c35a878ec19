import {
  loadConfig,
  SERVICE_CONFIG_REQUIRED,
  serviceConfigProperties,
  type ServiceConfig,
} from '@gx/platform';

export const SERVICE_NAME = 'exchange-api';
export const DEFAULT_PORT = 4000;

export interface ExchangeApiConfig extends ServiceConfig {
  /** working days a provider has to decide a conditional sharing request */
  SHARING_DECISION_DAYS: number;
  /** seconds between scheduled evidence chain verifications (0: none) */
  EVIDENCE_VERIFY_INTERVAL_SECONDS: number;
  /** hours between full walks of the evidence chain (0: every pass is full) */
  EVIDENCE_FULL_VERIFY_HOURS: number;
  /** hours a deleted record's key is kept so that consumers hear of the deletion (ADR 0012) */
  RECORD_DELETION_RETENTION_HOURS: number;
  /** seconds between purges of the deleted keys past their retention (0: none) */
  RECORD_DELETION_PURGE_INTERVAL_SECONDS: number;
}

/** The only place this service reads the environment. */
export function loadExchangeApiConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ExchangeApiConfig {
  return loadConfig<ExchangeApiConfig>(
    SERVICE_NAME,
    {
      type: 'object',
      properties: {
        ...serviceConfigProperties(DEFAULT_PORT),
        SHARING_DECISION_DAYS: {
          type: 'integer',
          minimum: 1,
          maximum: 60,
          default: 5,
          description: 'working days a provider has to decide a conditional sharing request',
        },
        EVIDENCE_VERIFY_INTERVAL_SECONDS: {
          type: 'integer',
          minimum: 0,
          maximum: 86_400,
          default: 300,
          description:
            'seconds between scheduled verifications of the evidence chain (0: none; readers of the status then run one when the latest is older than 300 s)',
        },
        EVIDENCE_FULL_VERIFY_HOURS: {
          type: 'integer',
          minimum: 0,
          maximum: 8_760,
          default: 24,
          description:
            'hours between full walks of the evidence chain; the passes between walk only what was appended (0: every pass is full)',
        },
        RECORD_DELETION_RETENTION_HOURS: {
          type: 'integer',
          minimum: 1,
          maximum: 8_760,
          default: 168,
          description:
            "hours a deleted record's key (and each grant's view of it) is kept so that subscribers and connector sinks hear of the deletion; an SSE subscriber resuming from before a purged deletion must resynchronise (410)",
        },
        RECORD_DELETION_PURGE_INTERVAL_SECONDS: {
          type: 'integer',
          minimum: 0,
          maximum: 86_400,
          default: 3_600,
          description:
            'seconds between purges of deleted keys past RECORD_DELETION_RETENTION_HOURS (0: none)',
        },
      },
      required: [...SERVICE_CONFIG_REQUIRED],
    },
    env,
  );
}
