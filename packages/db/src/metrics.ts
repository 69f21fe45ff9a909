import { Counter, Gauge, Histogram, type Registry, collectDefaultMetrics } from "prom-client";
import { type Database, poolSnapshot } from "./client";
import type { CacheObserver } from "./cache/game-cache";
import type { CacheName } from "./cache/keys";
import type { QueryObserver } from "./pool";

/**
 * Database and cache metrics for a process's registry: statements and their duration by pool,
 * pool connections by state (read at scrape time) and cache lookups by result.
 */
export class DataMetrics implements QueryObserver, CacheObserver {
  private readonly queries: Counter<"pool">;
  private readonly failures: Counter<"pool">;
  private readonly duration: Histogram<"pool">;
  private readonly lookups: Counter<"cache" | "result">;
  /** Statements sent, by pool, since start (tests count round trips with it). */
  readonly sent = { primary: 0, replica: 0 };

  constructor(private readonly registry: Registry) {
    this.queries = new Counter({ name: "db_queries_total", help: "Statements sent to PostgreSQL, by pool.", labelNames: ["pool"], registers: [registry] });
    this.failures = new Counter({ name: "db_query_failures_total", help: "Statements that failed, by pool.", labelNames: ["pool"], registers: [registry] });
    this.duration = new Histogram({
      name: "db_query_duration_seconds",
      help: "Statement round-trip time, by pool.",
      labelNames: ["pool"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    });
    this.lookups = new Counter({
      name: "cache_lookups_total",
      help: "Cache lookups by cache and result (hit, miss, error when Redis was unreachable).",
      labelNames: ["cache", "result"],
      registers: [registry],
    });
  }

  onQuery(role: "primary" | "replica", durationMs: number, failed: boolean): void {
    this.sent[role]++;
    this.queries.inc({ pool: role });
    this.duration.observe({ pool: role }, durationMs / 1000);
    if (failed) this.failures.inc({ pool: role });
  }

  onLookup(cache: CacheName, outcome: "hit" | "miss" | "error"): void {
    this.lookups.inc({ cache, result: outcome });
  }

  /** Registers the pool gauges of an opened database. */
  watchPools(database: Database): void {
    new Gauge({
      name: "db_pool_connections",
      help: "Database pool connections by pool (primary, replica) and state (total, idle, waiting, max).",
      labelNames: ["pool", "state"],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const p of poolSnapshot(database)) {
          this.set({ pool: p.pool, state: "total" }, p.total);
          this.set({ pool: p.pool, state: "idle" }, p.idle);
          this.set({ pool: p.pool, state: "waiting" }, p.waiting);
          this.set({ pool: p.pool, state: "max" }, p.max);
        }
      },
    });
  }
}

/**
 * prom-client's process and runtime metrics, minus the three gauges it names `*_total` (only
 * counters may end in `_total`); their per-type twins `nodejs_active_handles` and friends remain.
 */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) registry.removeSingleMetric(name);
}
