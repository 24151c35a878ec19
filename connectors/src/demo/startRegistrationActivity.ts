import pg from 'pg';
import { Random } from '@gx/platform';
import { quoteIdentifier } from './demoTables.ts';
import { NewRegistrations, registrationChange, type Registration } from './demoRegistrations.ts';

export interface StartRegistrationActivityOptions {
  /** the registration system's database */
  url: string;
  table: string;
  keyField: string;
  /** default 10 s */
  intervalMs?: number;
  /** where failures are reported (once per distinct message) */
  log?: (message: string) => void;
}

export interface RegistrationActivity {
  /** waits for a running step, then closes the connection */
  stop(): Promise<void>;
}

/**
 * The registration system at work, so that the tax side visibly follows: at once and then every
 * `intervalMs`, one enterprise is registered and one existing enterprise changes (moves,
 * changes its scope or capital, or is deregistered). Each write sets `updated_at`, which is
 * what the source connector reads by. Steps never overlap; one writer in autocommit mode, so
 * rows commit in `updated_at` order and a source with no lag window skips none.
 */
export function startRegistrationActivity(
  options: StartRegistrationActivityOptions,
): RegistrationActivity {
  const intervalMs = options.intervalMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 1,
    application_name: 'gx-demo registrations',
    // a stuck step must not hold up the launcher's shutdown for long
    connectionTimeoutMillis: 5_000,
    statement_timeout: 5_000,
  });
  // the server going away during shutdown must not crash the launcher
  pool.on('error', () => undefined);
  const table = quoteIdentifier(options.table);
  const key = quoteIdentifier(options.keyField);
  const rng = new Random(Date.now());
  let registrations: NewRegistrations | undefined;
  let lastProblem: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const step = async () => {
    if (!registrations) {
      const { rows } = await pool.query<{ key: string }>(
        `SELECT ${key}::text AS key FROM ${table}`,
      );
      registrations = new NewRegistrations(
        options.keyField,
        rows.map((r) => r.key),
      );
    }
    const founded = registrations.next();
    const fields = Object.keys(founded);
    await pool.query(
      `INSERT INTO ${table} (${fields.map(quoteIdentifier).join(', ')})
       SELECT ${fields.map(quoteIdentifier).join(', ')}
         FROM jsonb_populate_record(NULL::${table}, $1::jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(founded)],
    );
    const { rows } = await pool.query<Registration>(
      `SELECT * FROM ${table} WHERE status IN ('存续', '在业') AND ${key} <> $1
        ORDER BY random() LIMIT 1`,
      [founded[options.keyField]],
    );
    const current = rows[0];
    if (!current) return;
    const { set } = registrationChange(rng, current, registrations.next());
    const columns = Object.keys(set);
    await pool.query(
      `UPDATE ${table}
          SET ${columns.map((c, i) => `${quoteIdentifier(c)} = $${i + 2}`).join(', ')},
              updated_at = clock_timestamp()
        WHERE ${key} = $1`,
      [current[options.keyField], ...columns.map((c) => set[c])],
    );
  };

  const run = () => {
    running = step()
      .then(() => {
        lastProblem = undefined;
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!stopped && message !== lastProblem) {
          options.log?.(`demo registrations: ${message}`);
          lastProblem = message;
        }
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(run, intervalMs);
      });
  };
  run();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await pool.end();
    },
  };
}
