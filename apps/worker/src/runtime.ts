import type { Server } from "node:http";
import { type Job, type Processor, Worker } from "bullmq";
import { GameCache, Leaderboards, cacheOptionsFrom, checkRedisNamespace, openDatabase } from "@echoes/db";
import {
  JobProducer,
  type Logger,
  emailKey,
  QUEUE,
  type QueueName,
  WORLD_TASKS,
  WORLD_TASK_NAMES,
  createRedis,
  logRedisConnections,
  queuePrefix,
  redisTargets,
} from "@echoes/shared";
import type { WorkerConfig } from "./config";
import type { WorkerContext } from "./context";
import { Mailer, senderDomain } from "./email/mailer";
import { emailBackoff, processEmail } from "./email/processor";
import { ensureEmailSchedules } from "./email/schedule";
import { WorkerMetrics } from "./metrics";
import { combatTurnBatcher, processCombatTurn } from "./processors/combat-turn";
import { processLoot } from "./processors/loot";
import { processStatistics } from "./processors/statistics";
import { processWorldTask } from "./processors/world";

export interface RunningWorker {
  metricsPort: number;
  context: WorkerContext;
  workers: Worker[];
  /** Lets active jobs finish (up to the shutdown timeout), then closes Redis and the pool. */
  shutdown(): Promise<void>;
}

const PROCESSORS: Record<QueueName, (job: Job, ctx: WorkerContext) => Promise<unknown>> = {
  // A turn's result is in PostgreSQL and on its player's event stream, and its job leaves BullMQ as
  // it completes: nothing reads a return value, which BullMQ would copy into its events stream.
  [QUEUE.combat]: async (job, ctx) => {
    await processCombatTurn(job, ctx);
    return null;
  },
  [QUEUE.loot]: processLoot,
  [QUEUE.stats]: processStatistics,
  [QUEUE.world]: processWorldTask,
  [QUEUE.email]: processEmail,
};

function concurrencyOf(config: WorkerConfig, queue: QueueName): number {
  switch (queue) {
    case QUEUE.combat:
      return config.WORKER_CONCURRENCY_COMBAT ?? (config.COMBAT_BATCH_IN_FLIGHT + 1) * config.COMBAT_BATCH_SIZE;
    case QUEUE.loot:
      return config.WORKER_CONCURRENCY_LOOT ?? config.WORKER_CONCURRENCY;
    case QUEUE.stats:
      return config.WORKER_CONCURRENCY_STATS ?? config.WORKER_CONCURRENCY;
    case QUEUE.world:
      return config.WORKER_CONCURRENCY_WORLD;
    case QUEUE.email:
      return config.WORKER_CONCURRENCY_EMAIL;
  }
}

/** Warns when the queue Redis may evict keys: BullMQ loses jobs under any policy but noeviction. */
async function checkEvictionPolicy(ctx: WorkerContext, redis: ReturnType<typeof createRedis>): Promise<void> {
  try {
    const reply = (await redis.call("CONFIG", "GET", "maxmemory-policy")) as string[];
    const policy = reply[1];
    if (policy !== "noeviction") {
      ctx.logger.warn({ policy }, "Redis for queues runs with maxmemory-policy %s; set it to noeviction or jobs can be lost", policy);
    }
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message }, "could not read Redis maxmemory-policy; it must be noeviction");
  }
}

/** Starts the queue workers, the world schedule and the metrics server. */
export async function startWorker(config: WorkerConfig, logger: Logger): Promise<RunningWorker> {
  const metrics = new WorkerMetrics();
  const database = openDatabase(config, logger, metrics.data, "echoes-worker");
  metrics.data.watchPools(database);
  const targets = redisTargets(config);
  const connections = {
    worker: createRedis(targets.queue, "worker", "echoes-worker"),
    // A combat turn applies exactly once however often its job runs, so its queue can take the
    // pipelined connection's way of failing (see `batch-worker`).
    combat: createRedis(targets.queue, "batch-worker", "echoes-worker-combat"),
    producer: createRedis(targets.queue, "producer", "echoes-worker-producer"),
    cache: createRedis(targets.cache, "cache", "echoes-worker-cache"),
  };
  logRedisConnections(connections, logger);
  try {
    await checkRedisNamespace(database, [connections.producer, connections.cache], config.REDIS_PREFIX, logger);
  } catch (err) {
    for (const client of Object.values(connections)) client.disconnect();
    await database.close();
    throw err;
  }
  const cache = new GameCache(connections.cache, cacheOptionsFrom(config), logger, metrics.data);
  const services: Omit<WorkerContext, "turns"> = {
    config,
    logger,
    database,
    cache,
    producer: new JobProducer(connections.producer, config.REDIS_PREFIX, { attempts: config.EMAIL_ATTEMPTS, delayMs: config.EMAIL_RETRY_DELAY_MS }),
    leaderboards: new Leaderboards(connections.producer, config.REDIS_PREFIX, () => cache.invalidate({ boards: true })),
    publisher: connections.producer,
    email: config.SMTP_URL
      ? {
          mailer: new Mailer(config.SMTP_URL, config.MAIL_FROM, config.WORKER_CONCURRENCY_EMAIL),
          key: emailKey(config.jwtSecret),
          domain: senderDomain(config.MAIL_FROM),
          count: (kind, result) => metrics.emailDone(kind, result),
        }
      : null,
  };
  const turns = combatTurnBatcher(
    services,
    { size: config.COMBAT_BATCH_SIZE, waitMs: config.COMBAT_BATCH_WAIT_MS, inFlight: config.COMBAT_BATCH_IN_FLIGHT },
    (size, seconds) => metrics.combatBatch(size, seconds),
  );
  const ctx: WorkerContext = { ...services, turns };
  metrics.watchBatches(() => turns.inFlight);
  await checkEvictionPolicy(ctx, connections.worker);

  // Without SMTP_URL the email queue is left to workers that have one.
  const worked = (Object.keys(PROCESSORS) as QueueName[]).filter((queue) => queue !== QUEUE.email || ctx.email !== null);
  const workers = worked.map((queue) => {
    const process = PROCESSORS[queue];
    const processor: Processor = async (job) => {
      metrics.jobStarted(queue, job);
      const started = performance.now();
      try {
        const result = await process(job, ctx);
        metrics.jobFinished(queue, job, true, (performance.now() - started) / 1000);
        return result;
      } catch (err) {
        metrics.jobFinished(queue, job, false, (performance.now() - started) / 1000);
        throw err;
      }
    };
    const worker = new Worker(queue, processor, {
      connection: queue === QUEUE.combat ? connections.combat : connections.worker,
      prefix: queuePrefix(config.REDIS_PREFIX, queue),
      concurrency: concurrencyOf(config, queue),
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
      maxStalledCount: 3,
      settings: { backoffStrategy: emailBackoff },
    });
    worker.on("failed", (job, err) => logger.warn({ queue, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, "job failed"));
    worker.on("error", (err) => logger.debug({ queue, err: err.message }, "worker error"));
    return worker;
  });

  // Schedules live in Redis: registered at start, again whenever Redis comes back (it may have
  // lost them), and every minute as a safety net. Upserting is idempotent across processes.
  const ensureSchedules = async () => {
    const world = ctx.producer.queue(QUEUE.world);
    for (const task of WORLD_TASK_NAMES) {
      const every = Math.max(250, Math.round(WORLD_TASKS[task] * config.WORLD_TICK_SCALE));
      await world.upsertJobScheduler(task, { every }, { name: task, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } } });
    }
    if (ctx.email) await ensureEmailSchedules(ctx.producer.queue(QUEUE.email), config);
  };
  let scheduleTimer: NodeJS.Timeout | undefined;
  if (config.WORLD_TASKS_ENABLED) {
    await ensureSchedules();
    const reschedule = () => ensureSchedules().catch((err: Error) => logger.warn({ err: err.message }, "could not register the world schedule yet"));
    // Attached after the first successful registration, so every "ready" from here on is a reconnect.
    connections.producer.on("ready", () => void reschedule());
    scheduleTimer = setInterval(reschedule, 60_000);
    scheduleTimer.unref();
  }

  metrics.watchQueues(() => (Object.keys(PROCESSORS) as QueueName[]).map((q) => ctx.producer.queue(q)));
  const server: Server = await metrics.serve(config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST);
  const address = server.address();
  const metricsPort = typeof address === "object" && address ? address.port : config.WORKER_METRICS_PORT;
  logger.info({ metricsPort, queues: worked, concurrency: config.WORKER_CONCURRENCY }, "worker started");

  let closing: Promise<void> | null = null;
  const shutdown = () =>
    (closing ??= (async () => {
      clearInterval(scheduleTimer);
      let timer: NodeJS.Timeout | undefined;
      const capped = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), config.WORKER_SHUTDOWN_TIMEOUT_MS)));
      const outcome = await Promise.race([Promise.all(workers.map((w) => w.close())).then(() => "closed" as const), capped]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        logger.warn("active jobs did not finish in time; they will be retried by another worker");
        await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
      }
      ctx.cache.close();
      ctx.email?.mailer.close();
      await ctx.producer.close().catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of Object.values(connections)) client.disconnect();
      await database.close().catch(() => undefined);
      logger.info("worker stopped");
    })());

  return { metricsPort, context: ctx, workers, shutdown };
}
