import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';

export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** expose a pg pool's size, idle and waiting clients */
  observePool(pool: Pool): void;
}

/**
 * One registry per service (not prom-client's global one), so that tests can build several
 * services in one process without metric name clashes.
 */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const pools: Pool[] = [];
  const poolGauge = (name: string, help: string, read: (pool: Pool) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pools.reduce((sum, pool) => sum + read(pool), 0));
      },
    });
  poolGauge(
    'db_pool_connections_total',
    'Connections open in the database pool',
    (p) => p.totalCount,
  );
  poolGauge(
    'db_pool_connections_idle',
    'Idle connections in the database pool',
    (p) => p.idleCount,
  );
  poolGauge(
    'db_pool_requests_waiting',
    'Queries waiting for a pool connection',
    (p) => p.waitingCount,
  );

  return {
    registry,
    httpDuration,
    observePool(pool) {
      pools.push(pool);
    },
  };
}
