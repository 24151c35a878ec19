import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LogRetentionConfig } from '../log/recordLogConfig.ts';
import type { StreamKind } from '../log/streamKind.ts';
import { GrantDirectory } from './grantDirectory.ts';
import { ExchangeWritesRelay } from './ExchangeWritesRelay.ts';
import { LogRetentionJob } from './LogRetentionJob.ts';
import { PgNotifications } from './pgNotifications.ts';
import { ResourceSchemas } from './resourceSchemas.ts';
import {
  EnforcementRunner,
  SinkRunner,
  SourceRunner,
  type ConnectorSpec,
  type Runner,
  type RunnerDeps,
  type TaskReporter,
} from './runners.ts';

/** What the worker's tasks share, given from outside; the worker adds its own caches. */
export interface ConnectWorkerOptions extends Pick<
  RunnerDeps,
  'pool' | 'log' | 'plugins' | 'secrets' | 'logger' | 'counters' | 'evidence'
> {
  /** a worker that misses heartbeats this long loses its tasks (default 10 000 ms) */
  leaseMs?: number;
  /** how often the worker looks at the connectors without a notification (default 1 000 ms) */
  reconcileMs?: number;
  /** records per enforcement batch (default 500) */
  enforcementBatchSize?: number;
  /**
   * Retention passes over the PostgreSQL record log, run by this worker (none when unset, on
   * Kafka or with interval 0); `recordsPurged` counts what they delete.
   */
  retention?: {
    settings: LogRetentionConfig;
    recordsPurged?: (kind: StreamKind, records: number) => void;
  };
}

interface ConnectorRow {
  name: string;
  kind: 'source' | 'sink';
  type: string;
  state: 'running' | 'paused' | 'stopped';
  generation: number;
  config: {
    options?: Record<string, unknown>;
    batchSize?: number;
    pollIntervalMs?: number;
  };
  resource_code: string | null;
  grant_id: string | null;
  key_fields: string[] | null;
  /** the latest published record schema version of a source's resource */
  schema_version: number | null;
}

interface Running {
  runner: Runner;
  /** what the runner was built from: a change rebuilds it */
  version: string;
}

const specOf = (row: ConnectorRow): ConnectorSpec => ({
  name: row.name,
  kind: row.kind,
  type: row.type,
  generation: row.generation,
  resourceCode: row.resource_code,
  grantId: row.grant_id,
  keyFields: row.key_fields ?? [],
  options: row.config.options ?? {},
  batchSize: row.config.batchSize ?? 500,
  pollIntervalMs: row.config.pollIntervalMs ?? 1_000,
});

/**
 * A connector worker. Workers are processes that may die at any instant; they share the work
 * through PostgreSQL:
 *
 * - every worker is a row in `connect_workers`, kept alive by heartbeat; a worker whose lease
 *   ran out is deleted by the next worker that looks, and its task rows go with it;
 * - a source task has one owner (a unique `connector_tasks` row). The running sources are
 *   spread round-robin over the live workers sorted by id; a worker claims its share when the
 *   previous owner has let go, and lets go of what is no longer its share;
 * - sink and enforcement tasks run on every worker as members of a record-log consumer group,
 *   which divides the partitions among them (and moves a dead member's partitions).
 *
 * Changes to connectors reach workers by `NOTIFY connectors_changed`, with a periodic look as
 * the fallback. Every worker also runs the outbox relay (`ExchangeWritesRelay`, one pass at a
 * time across workers), which puts records written through the exchange API on raw streams.
 */
export class ConnectWorker {
  readonly id = randomUUID();
  readonly #options: ConnectWorkerOptions;
  readonly #deps: RunnerDeps;
  readonly #notifications: PgNotifications;
  readonly #running = new Map<string, Running>();
  readonly #leaseMs: number;
  #heartbeat: NodeJS.Timeout | undefined;
  #periodic: NodeJS.Timeout | undefined;
  #retention: LogRetentionJob | undefined;
  readonly #relay: ExchangeWritesRelay;
  #reconciling: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: ConnectWorkerOptions) {
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#notifications = new PgNotifications(options.pool, options.logger);
    const { pool, log, plugins, secrets, logger, counters, evidence } = options;
    this.#deps = {
      pool,
      log,
      plugins,
      secrets,
      logger,
      counters,
      evidence,
      grants: new GrantDirectory(options.pool, this.#notifications),
      schemas: new ResourceSchemas(options.pool),
      ensured: new Set(),
    };
    this.#notifications.on('connectors_changed', () => this.reconcileSoon());
    this.#relay = new ExchangeWritesRelay({
      pool,
      log,
      ensured: this.#deps.ensured,
      notifications: this.#notifications,
      logger,
    });
  }

  /** the tasks this worker runs now (`source:name`, `sink:name`, `enforce:code`) */
  tasks(): string[] {
    return [...this.#running.keys()].sort();
  }

  async start(): Promise<void> {
    await this.#register();
    await this.#notifications.start();
    this.#heartbeat = setInterval(
      () => {
        this.#beat().catch((error: unknown) =>
          this.#options.logger.warn({ err: String(error) }, 'connect worker heartbeat failed'),
        );
      },
      Math.max(100, Math.floor(this.#leaseMs / 5)),
    );
    this.#periodic = setInterval(() => this.reconcileSoon(), this.#options.reconcileMs ?? 1_000);
    await this.reconcile();
    if (!this.#stopped) this.#relay.start();
    // after the first look: a worker whose start failed must not leave a purge timer behind
    if (this.#options.retention && !this.#stopped) {
      this.#retention = new LogRetentionJob({
        pool: this.#options.pool,
        log: this.#options.log,
        logger: this.#options.logger,
        ...this.#options.retention,
      });
      this.#retention.start();
    }
  }

  /** look at the connectors again, now or right after the look in progress */
  reconcileSoon(): void {
    if (this.#stopped) return;
    if (this.#reconciling) {
      this.#again = true;
      return;
    }
    this.#reconciling = this.reconcile()
      .catch((error: unknown) =>
        this.#options.logger.warn({ err: String(error) }, 'connect worker reconcile failed'),
      )
      .finally(() => {
        this.#reconciling = undefined;
        if (this.#again) {
          this.#again = false;
          this.reconcileSoon();
        }
      });
  }

  async #register(): Promise<void> {
    await this.#options.pool.query(
      `INSERT INTO connect_workers (id, client, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3 / 1000.0))`,
      [this.id, `${hostname()}:${process.pid}`.slice(0, 200), this.#leaseMs],
    );
  }

  async #beat(): Promise<void> {
    const { rowCount } = await this.#options.pool.query(
      `UPDATE connect_workers SET heartbeat_at = now(),
              expires_at = now() + make_interval(secs => $2 / 1000.0)
        WHERE id = $1`,
      [this.id, this.#leaseMs],
    );
    if (rowCount === 0 && !this.#stopped) {
      // declared dead by another worker (too slow): its tasks were released; stop ours and
      // join again as a live worker
      this.#options.logger.warn({ worker: this.id }, 'connect worker lease lost; rejoining');
      await this.#stopAll();
      await this.#register();
      this.reconcileSoon();
    }
  }

  #reporter(task: string, connector: string | null): TaskReporter {
    const pool = this.#options.pool;
    return {
      ok: async () => {
        await pool.query(
          `INSERT INTO connector_tasks (task, worker_id, connector, state, updated_at)
           VALUES ($1, $2, $3, 'running', now())
           ON CONFLICT (task, worker_id) DO UPDATE SET state = 'running', updated_at = now()`,
          [task, this.id, connector],
        );
      },
      failed: async (message) => {
        await pool.query(
          `INSERT INTO connector_tasks (task, worker_id, connector, state, last_error, last_error_at, updated_at)
           VALUES ($1, $2, $3, 'failed', $4, now(), now())
           ON CONFLICT (task, worker_id) DO UPDATE
             SET state = 'failed', last_error = $4, last_error_at = now(), updated_at = now()`,
          [task, this.id, connector, message.slice(0, 2_000)],
        );
      },
      problem: async (message) => {
        await pool.query(
          `INSERT INTO connector_tasks (task, worker_id, connector, state, last_error, last_error_at, updated_at)
           VALUES ($1, $2, $3, 'running', $4, now(), now())
           ON CONFLICT (task, worker_id) DO UPDATE
             SET last_error = $4, last_error_at = now(), updated_at = now()`,
          [task, this.id, connector, message.slice(0, 2_000)],
        );
      },
    };
  }

  async reconcile(): Promise<void> {
    if (this.#stopped) return;
    const { pool } = this.#options;
    await pool.query('DELETE FROM connect_workers WHERE expires_at < now()');
    const { rows: workers } = await pool.query<{ id: string }>(
      'SELECT id FROM connect_workers ORDER BY id',
    );
    const { rows: connectors } = await pool.query<ConnectorRow>(
      `SELECT c.name, c.kind, c.type, c.state, c.generation, c.config, c.grant_id,
              COALESCE(r.code, gr.code) AS resource_code,
              ARRAY(SELECT i.name FROM information_items i
                     WHERE i.resource_id = COALESCE(c.resource_id, g.resource_id) AND i.is_key
                     ORDER BY i.position) AS key_fields,
              (SELECT max(v.version) FROM resource_schema_versions v
                WHERE v.resource_id = c.resource_id) AS schema_version
         FROM connectors c
         LEFT JOIN resources r ON r.id = c.resource_id
         LEFT JOIN grants g ON g.id = c.grant_id
         LEFT JOIN resources gr ON gr.id = g.resource_id
        ORDER BY c.name`,
    );
    const { rows: claims } = await pool.query<{ task: string; worker_id: string }>(
      `SELECT task, worker_id FROM connector_tasks WHERE task LIKE 'source:%'`,
    );
    const claimedBy = new Map(claims.map((c) => [c.task, c.worker_id]));
    const me = workers.findIndex((w) => w.id === this.id);

    // what this worker should run, with the version each runner is built from
    const wanted = new Map<
      string,
      { version: string; make: () => Runner; connector: string | null }
    >();
    const sources = connectors.filter((c) => c.kind === 'source' && c.state !== 'stopped');
    sources.forEach((row, index) => {
      if (me < 0 || index % workers.length !== me) return;
      const spec = specOf(row);
      const task = `source:${row.name}`;
      wanted.set(task, {
        // a new schema version reopens the task: it reads CSV cells by the fields' types
        version: `${row.generation}:${row.schema_version ?? 0}:${row.state}`,
        connector: row.name,
        make: () => new SourceRunner(this.#deps, this.#reporter(task, row.name), spec),
      });
    });
    for (const row of connectors) {
      if (row.kind !== 'sink' || row.state !== 'running' || !row.grant_id) continue;
      const spec = specOf(row);
      const task = `sink:${row.name}`;
      wanted.set(task, {
        version: String(row.generation),
        connector: row.name,
        make: () => new SinkRunner(this.#deps, this.#reporter(task, row.name), spec),
      });
    }
    // the raw streams with a reader to come: a resource's sources, and the records its provider
    // writes through the exchange (the outbox relay), which its consumers' sinks await
    const resources = new Set(
      connectors.filter((c) => c.resource_code).map((c) => c.resource_code!),
    );
    for (const code of resources) {
      const task = `enforce:${code}`;
      wanted.set(task, {
        version: '1',
        connector: null,
        make: () =>
          new EnforcementRunner(
            this.#deps,
            this.#reporter(task, null),
            code,
            this.#options.enforcementBatchSize ?? 500,
          ),
      });
    }

    // let go of what is no longer ours or has changed
    for (const [task, running] of [...this.#running]) {
      const want = wanted.get(task);
      if (want && want.version === running.version) continue;
      this.#running.delete(task);
      await running.runner.stop();
      await pool.query('DELETE FROM connector_tasks WHERE task = $1 AND worker_id = $2', [
        task,
        this.id,
      ]);
    }
    // start what is ours and not running; a source only once its previous owner let go
    for (const [task, want] of wanted) {
      if (this.#running.has(task) || this.#stopped) continue;
      const paused = want.version.endsWith(':paused');
      if (task.startsWith('source:')) {
        const owner = claimedBy.get(task);
        if (owner && owner !== this.id) continue;
        if (!owner) {
          const { rowCount } = await pool.query(
            `INSERT INTO connector_tasks (task, worker_id, connector) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING`,
            [task, this.id, want.connector],
          );
          if (rowCount === 0) continue;
        }
      }
      const runner = want.make();
      // a paused source keeps its claim (and its place) but does nothing
      if (!paused) runner.start();
      this.#running.set(task, { runner, version: want.version });
    }
  }

  async #stopAll(): Promise<void> {
    const running = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(running.map((r) => r.runner.stop()));
  }

  /** Stop every task (written batches are committed) and leave: the others take over at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#periodic);
    await this.#retention?.stop();
    await this.#relay.stop();
    await this.#reconciling;
    await this.#stopAll();
    await this.#notifications.close();
    await this.#options.pool.query('DELETE FROM connect_workers WHERE id = $1', [this.id]);
  }
}
