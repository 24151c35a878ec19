import pg from 'pg';

/** SQLSTATE admin_shutdown: pg_terminate_backend, DROP DATABASE … WITH (FORCE), server stop */
const ADMIN_SHUTDOWN = '57P01';

/**
 * Whether an idle connection ended the way a test's teardown ends it: terminated by the server
 * (57P01) or closed under the client ("Connection terminated", "… unexpectedly").
 */
function isTeardownDisconnect(error: Error & { code?: unknown }): boolean {
  return error.code === ADMIN_SHUTDOWN || error.message.startsWith('Connection terminated');
}

/**
 * A pg.Pool for a test whose database is later dropped `WITH (FORCE)` or whose server is
 * stopped. `pool.end()` resolves before its connections have finished closing, so the drop can
 * cut one that is still closing; node-postgres re-emits that as an 'error' event on the pool, and
 * an 'error' event nobody listens to fails the whole vitest run although every test passed (CI
 * saw `57P01 terminating connection due to administrator command`). Only those disconnections
 * are ignored: any other error of an idle connection is rethrown, as it would be without a
 * listener, so a real fault still fails the run, but without the client pg-pool attaches to it
 * (vitest would print its password). Nothing is logged.
 */
export function testPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', (error: Error & { code?: unknown; client?: unknown }) => {
    if (isTeardownDisconnect(error)) return;
    // pg-pool attaches the client, whose connection parameters hold the password: the report
    // of the unhandled error would print them
    delete error.client;
    throw error;
  });
  return pool;
}
