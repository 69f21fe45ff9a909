import { z } from "zod";
import { baseEnv, cacheEnv, databaseEnv, envInt, parseEnv } from "@echoes/shared";

const workerEnv = z.object({
  ...baseEnv,
  ...databaseEnv,
  ...cacheEnv,
  WORKER_METRICS_PORT: envInt(0, 65_535).default(9101),
  WORKER_METRICS_HOST: z.string().min(1).default("0.0.0.0"),
  /** Default concurrency of every queue; the per-queue variables below override it. */
  WORKER_CONCURRENCY: envInt(1, 1000).default(16),
  /** Combat jobs worked at once; defaults to twice COMBAT_BATCH_SIZE, so that one batch fills while another is written. */
  WORKER_CONCURRENCY_COMBAT: envInt(1, 1000).optional(),
  /** Most combat turns resolved in one transaction. */
  COMBAT_BATCH_SIZE: envInt(1, 500).default(64),
  /** Longest a combat turn waits for others to join its batch. */
  COMBAT_BATCH_WAIT_MS: envInt(0, 100).default(2),
  WORKER_CONCURRENCY_LOOT: envInt(1, 1000).optional(),
  WORKER_CONCURRENCY_STATS: envInt(1, 1000).optional(),
  WORKER_CONCURRENCY_WORLD: envInt(1, 100).default(2),
  /** How long a worker holds a job before others may take it back as stalled. */
  WORKER_LOCK_MS: envInt(1_000, 600_000).default(15_000),
  WORKER_STALLED_INTERVAL_MS: envInt(500, 600_000).default(5_000),
  /** Grace period for active jobs at shutdown. */
  WORKER_SHUTDOWN_TIMEOUT_MS: envInt(100, 600_000).default(15_000),
  /** Accepted work with no result after this long is queued again by the sweeper. */
  SWEEP_AFTER_S: envInt(1, 86_400).default(15),
  /** Scale applied to the world tasks' default periods (0.1 = ten times as often). */
  WORLD_TICK_SCALE: z.coerce.number().min(0.01).max(100).default(1),
  /** Turn off the scheduled world tasks (for processes that should only work queues). */
  WORLD_TASKS_ENABLED: z.stringbool().default(true),
  TICK_BATCH: envInt(10, 100_000).default(2_000),
  KEEP_STAT_EVENTS_H: envInt(1, 24 * 365).default(24),
  KEEP_FIGHTS_D: envInt(1, 3650).default(30),
});

export type WorkerConfig = z.infer<typeof workerEnv>;

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return parseEnv(workerEnv, env);
}
