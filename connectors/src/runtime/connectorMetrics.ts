import type pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { NotFoundError, type Logger } from '@gx/platform';
import { consumerLag } from '../log/consumerLag.ts';
import type { RecordLog } from '../log/RecordLog.ts';
import type { StreamKind } from '../log/streamKind.ts';
import { streamGroups, streamNames } from './streamNames.ts';

/** What the connector runtime reports as it moves records; one call per batch. */
export interface ConnectorMetrics {
  /** records a source stored in its resource's raw stream */
  recordsIn(connector: string, n: number): void;
  /** records a sink wrote to its target and committed */
  recordsOut(connector: string, n: number): void;
  /** records a connector put in its dead-letter stream */
  deadLetters(connector: string, n: number): void;
  /** a failed poll, write or task start (each retry that fails counts) */
  error(connector: string): void;
  /** records a retention pass deleted from the PostgreSQL record log */
  recordsPurged(kind: StreamKind, n: number): void;
}

export interface CreateConnectorMetricsOptions {
  pool: pg.Pool;
  recordLog: RecordLog;
  /** where a failed lag computation is reported (the scrape answers without the gauge) */
  logger?: Logger;
}

/**
 * Sink lag of every sink connector, in one query on the PostgreSQL log: per connector the
 * records of its grant's delivery stream its group has not committed (end − committed, from 0
 * when it never committed), 0 before the stream exists. Stream and group names are built here
 * from the prefixes `streamNames.delivery` and `streamGroups.sink` put before the id.
 */
const POSTGRES_SINK_LAG = `
  SELECT c.name AS connector,
         coalesce(sum(greatest(p.next_offset - coalesce(o.committed_offset, 0), 0)), 0)::float8 AS lag
    FROM connectors c
    LEFT JOIN log_streams s ON s.name = $1 || c.grant_id::text
    LEFT JOIN log_partitions p ON p.stream_id = s.id
    LEFT JOIN log_group_offsets o
      ON o.group_name = $2 || c.name AND o.stream_id = p.stream_id AND o.partition = p.partition
   WHERE c.kind = 'sink'
   GROUP BY c.name`;

/**
 * The connector metrics, on the service's registry (served at `/metrics`): counters of records
 * in, out and dead-lettered and of errors, labelled by connector, `gx_connector_lag_records`
 * computed at each scrape from the record log, and `gx_log_records_purged_total` by stream kind
 * (what the workers' retention passes deleted from the PostgreSQL log), and
 * `gx_exchange_outbox_records`, the exchange-side writes waiting for a worker's relay (a
 * number that only grows means no worker is running). Register once per
 * registry: a process that runs both the management API and workers shares one instance.
 */
export function createConnectorMetrics(
  registry: Registry,
  { pool, recordLog, logger }: CreateConnectorMetricsOptions,
): ConnectorMetrics {
  const counter = (name: string, help: string) =>
    new Counter({ name, help, labelNames: ['connector'] as const, registers: [registry] });
  const recordsIn = counter(
    'gx_connector_records_in_total',
    'Records source connectors stored in their resource raw streams',
  );
  const recordsOut = counter(
    'gx_connector_records_out_total',
    'Records sink connectors wrote to their targets and committed',
  );
  const deadLetters = counter(
    'gx_connector_dead_letters_total',
    'Records connectors put in their dead-letter streams',
  );
  const errors = counter('gx_connector_errors_total', 'Failed polls, writes and task starts');
  const purged = new Counter({
    name: 'gx_log_records_purged_total',
    help: 'Records retention deleted from the PostgreSQL record log, by stream kind',
    labelNames: ['stream_kind'] as const,
    registers: [registry],
  });
  // every kind from 0, so that a rate over the series works before the first purge
  for (const kind of ['raw', 'delivery', 'dead-letter'] as const)
    purged.inc({ stream_kind: kind }, 0);

  const sinkLag = async (): Promise<{ connector: string; lag: number }[]> => {
    if (recordLog.transport === 'postgres') {
      const { rows } = await pool.query<{ connector: string; lag: number }>(POSTGRES_SINK_LAG, [
        streamNames.delivery(''),
        streamGroups.sink(''),
      ]);
      return rows;
    }
    // Kafka: one OffsetFetch and one ListOffsets per sink; the sinks come in one query
    const { rows } = await pool.query<{ name: string; grant_id: string }>(
      `SELECT name, grant_id::text AS grant_id FROM connectors WHERE kind = 'sink'`,
    );
    return Promise.all(
      rows.map(async ({ name, grant_id }) => {
        const stream = streamNames.delivery(grant_id);
        try {
          await recordLog.partitions(stream);
        } catch (error) {
          if (error instanceof NotFoundError) return { connector: name, lag: 0 };
          throw error;
        }
        const lag = await consumerLag(recordLog, streamGroups.sink(name), [stream]);
        return { connector: name, lag: lag.total };
      }),
    );
  };

  new Gauge({
    name: 'gx_connector_lag_records',
    help: 'Records of a sink connector delivery stream not yet committed by the sink',
    labelNames: ['connector'] as const,
    registers: [registry],
    async collect() {
      // deleted connectors must disappear from the scrape, not keep their last value
      this.reset();
      try {
        for (const { connector, lag } of await sinkLag()) this.set({ connector }, Number(lag));
      } catch (error) {
        logger?.warn({ err: error }, 'connector lag unavailable for this scrape');
      }
    },
  });

  new Gauge({
    name: 'gx_exchange_outbox_records',
    help: 'Records written through the exchange API (ingestion, corrections) not yet relayed to their raw streams by a connector worker',
    registers: [registry],
    async collect() {
      try {
        const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM record_outbox');
        this.set(Number(rows[0]!.n));
      } catch (error) {
        logger?.warn({ err: error }, 'exchange outbox size unavailable for this scrape');
      }
    },
  });

  return {
    recordsIn: (connector, n) => recordsIn.inc({ connector }, n),
    recordsOut: (connector, n) => recordsOut.inc({ connector }, n),
    deadLetters: (connector, n) => deadLetters.inc({ connector }, n),
    error: (connector) => errors.inc({ connector }),
    recordsPurged: (kind, n) => purged.inc({ stream_kind: kind }, n),
  };
}
