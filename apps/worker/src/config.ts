import { z } from "zod";
import { baseEnv, cacheEnv, databaseEnv, emailEnv, envInt, parseEnv, resolveJwtSecret, tokenEnv } from "@echoes/shared";

const workerEnv = z
  .object({
    ...baseEnv,
    ...databaseEnv,
    ...cacheEnv,
    ...emailEnv,
    /** The server secret; the worker derives the key of emailed tokens and unsubscribe links from it. */
    JWT_SECRET: tokenEnv.JWT_SECRET,
    WORKER_METRICS_PORT: envInt(0, 65_535).default(9101),
    WORKER_METRICS_HOST: z.string().min(1).default("0.0.0.0"),
    /** Default concurrency of every queue; the per-queue variables below override it. */
    WORKER_CONCURRENCY: envInt(1, 1000).default(16),
    /** Combat jobs worked at once; defaults to COMBAT_BATCH_SIZE times one more than COMBAT_BATCH_IN_FLIGHT, so that a batch fills while the others are written. */
    WORKER_CONCURRENCY_COMBAT: envInt(1, 1000).optional(),
    /** Most combat turns resolved in one transaction. */
    COMBAT_BATCH_SIZE: envInt(1, 500).default(64),
    /**
     * Longest a combat turn waits for others to join its batch when no batch is being written; with 0
     * it goes at the end of the event loop's turn, with whatever came in it.
     */
    COMBAT_BATCH_WAIT_MS: envInt(0, 100).default(0),
    /**
     * Combat batches a worker writes at once. The turns that arrive while they are written go
     * together in the next batch, so under load batches grow without a wait, and when the load is
     * light a turn goes at once.
     */
    COMBAT_BATCH_IN_FLIGHT: envInt(1, 100).default(1),
    WORKER_CONCURRENCY_LOOT: envInt(1, 1000).optional(),
    WORKER_CONCURRENCY_STATS: envInt(1, 1000).optional(),
    WORKER_CONCURRENCY_WORLD: envInt(1, 100).default(2),
    /** Emails sent at once, which is also the most SMTP connections a worker opens. */
    WORKER_CONCURRENCY_EMAIL: envInt(1, 100).default(4),
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
    /** Applied statistics events are kept this long; the daily summary reads the last 24 hours of them. */
    KEEP_STAT_EVENTS_H: envInt(1, 24 * 365).default(48),
    KEEP_FIGHTS_D: envInt(1, 3650).default(30),
    /** The hour (UTC) at which each opted-in player who played in the 24 hours before gets a summary. */
    DAILY_SUMMARY_HOUR: envInt(0, 23).default(0),
    /** Sent and given-up emails are kept this long (for support questions), then deleted. */
    KEEP_EMAILS_D: envInt(1, 3650).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.KEEP_STAT_EVENTS_H < 25) {
      ctx.addIssue({ code: "custom", path: ["KEEP_STAT_EVENTS_H"], message: "must be at least 25: the daily summary reads a whole day of events" });
    }
  });

export type WorkerConfig = z.infer<typeof workerEnv> & { jwtSecret: string };

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = parseEnv(workerEnv, env);
  return { ...parsed, jwtSecret: resolveJwtSecret(parsed) };
}
