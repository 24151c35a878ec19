import pg from 'pg';
import type { Logger } from '@gx/platform';

/** `NOTIFY records_changed '<resource id>'`: records of the resource changed (migration 20261121080000). */
export const RECORDS_CHANNEL = 'records_changed';
/** `NOTIFY grant_changed '<grant id>'`: the grant row changed (status, validity…). */
export const GRANTS_CHANNEL = 'grant_changed';

/** What a running subscription wants to hear about. Handlers only set flags: they must not throw. */
export interface ChangeListener {
  resourceId: string;
  grantId: string;
  /** committed changes to the resource's records */
  onRecords(): void;
  /** the grant changed: re-check it now */
  onGrant(): void;
  /** the listening connection was (re)established: notifications may have been missed */
  onResync(): void;
}

export interface ChangeNotificationsOptions {
  /** the service's DATABASE_URL: LISTEN needs a connection of its own, outside the pool */
  url: string;
  logger: Logger;
  applicationName?: string;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/**
 * One LISTEN connection per process, shared by every subscription stream of the process
 * (a connection per stream would exhaust PostgreSQL's connection limit long before the streams
 * became a load). It is opened when the first stream subscribes and closed when the last one
 * leaves, so an idle process holds no extra connection and shutdown needs no hook of its own:
 * streams end when the server stops listening, and with them the connection. A dropped
 * connection is reopened with backoff while streams remain; after a reconnect every stream is
 * told to resync, since notifications sent in between are lost (streams also poll slowly, so a
 * missed wake costs latency, never data).
 */
export class ChangeNotifications {
  private readonly options: ChangeNotificationsOptions;
  private readonly listeners = new Set<ChangeListener>();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;

  constructor(options: ChangeNotificationsOptions) {
    this.options = options;
  }

  /** true while the LISTEN connection is up; when false, streams fall back to polling */
  get isListening(): boolean {
    return this.client !== undefined;
  }

  /**
   * Register a stream; resolves once the connection listens (or its first attempt failed: the
   * stream then polls until a retry succeeds). Returns the unsubscribe function.
   */
  async subscribe(listener: ChangeListener): Promise<() => void> {
    this.listeners.add(listener);
    await this.ensureConnected();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.disconnect();
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.url,
      application_name: this.options.applicationName ?? 'exchange-api-listen',
      // a silently dead peer must be noticed, or the streams would wait on a connection that
      // will never deliver again
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.dispatch(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${RECORDS_CHANNEL}; LISTEN ${GRANTS_CHANNEL}`);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'change notifications: cannot listen; retrying');
      client.end().catch(() => undefined);
      this.scheduleRetry();
      return;
    }
    if (this.listeners.size === 0) {
      // every stream left while we were connecting
      client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
    for (const listener of this.listeners) listener.onResync();
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.options.logger.warn({ err: error }, 'change notifications: connection lost');
    client.end().catch(() => undefined);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.listeners.size === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.listeners.size > 0) void this.ensureConnected();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private disconnect(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    client?.end().catch(() => undefined);
  }

  private dispatch({ channel, payload }: pg.Notification): void {
    for (const listener of this.listeners) {
      if (channel === RECORDS_CHANNEL && payload === listener.resourceId) listener.onRecords();
      else if (channel === GRANTS_CHANNEL && payload === listener.grantId) listener.onGrant();
    }
  }
}
