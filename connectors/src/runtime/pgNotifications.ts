import type { Logger } from '@gx/platform';
import pg from 'pg';

type Handler = (payload: string) => void;

/**
 * One dedicated connection LISTENing on the runtime's channels (`connectors_changed`,
 * `grant_changed`). It reconnects after a failure; while it is down, the runtime's periodic
 * look still catches every change, only later.
 */
export class PgNotifications {
  readonly #connectionString: string | undefined;
  readonly #poolConfig: pg.PoolConfig;
  readonly #logger: Logger;
  readonly #handlers = new Map<string, Set<Handler>>();
  #client: pg.Client | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(pool: pg.Pool, logger: Logger) {
    this.#poolConfig = pool.options;
    this.#connectionString = pool.options.connectionString;
    this.#logger = logger;
  }

  on(channel: string, handler: Handler): () => void {
    let set = this.#handlers.get(channel);
    if (!set) this.#handlers.set(channel, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ ...this.#poolConfig, connectionString: this.#connectionString });
    client.on('notification', (message) => {
      for (const handler of this.#handlers.get(message.channel) ?? [])
        handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.#logger.warn({ err: error }, 'connector notifications connection failed; reconnecting');
      if (this.#client !== client) return;
      this.#client = undefined;
      client.end().catch(() => {});
      this.#scheduleRestart();
    });
    await client.connect();
    for (const channel of this.#handlers.keys()) await client.query(`LISTEN "${channel}"`);
    this.#client = client;
  }

  #scheduleRestart(): void {
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.start().catch(() => this.#scheduleRestart());
    }, 1_000);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.#client?.end().catch(() => {});
  }
}
