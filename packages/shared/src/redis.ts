import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import type { Logger } from "./logger";

export type RedisClient = Redis | Cluster;

/**
 * What a connection is for, which decides how it behaves when Redis is away:
 * - `worker`: BullMQ workers block on Redis and must retry forever (`maxRetriesPerRequest: null`).
 * - `batch-worker`: a `worker` connection, auto-pipelined, for a queue whose jobs complete together
 *   (the combat turns of one batch): their completions, and the next jobs they fetch, go to Redis in
 *   one write instead of one each. The blocking wait for jobs, on the worker's own duplicate of this
 *   connection, is sent as it comes. The price: when the connection drops, ioredis aborts what was
 *   pipelined behind a command already answered instead of sending it again, so a job whose work
 *   is done can be counted as failed and retried. Only for jobs whose retry gives the same result.
 * - `producer`: enqueues from request handlers fail fast so the API can answer 503.
 * - `cache`: reads give up quickly and fall through to PostgreSQL; auto-pipelined.
 * - `subscriber`: pub/sub, resubscribes after reconnecting.
 */
export type RedisRole = "worker" | "batch-worker" | "producer" | "cache" | "subscriber";

export interface RedisTarget {
  url: string;
  clusterNodes?: { host: string; port: number }[] | undefined;
}

/** Commands that wait on the server: in an automatic pipeline they would hold back what follows them. */
const BLOCKING = ["bzpopmin", "bzpopmax", "blpop", "brpop", "brpoplpush", "blmove", "xread", "xreadgroup"];

const ROLE_OPTIONS: Record<RedisRole, RedisOptions> = {
  worker: { maxRetriesPerRequest: null, enableReadyCheck: true },
  "batch-worker": { maxRetriesPerRequest: null, enableReadyCheck: true, enableAutoPipelining: true, autoPipeliningIgnoredCommands: BLOCKING },
  producer: { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 2_000 },
  cache: { maxRetriesPerRequest: 0, enableOfflineQueue: false, commandTimeout: 500, enableAutoPipelining: true },
  subscriber: { maxRetriesPerRequest: null, autoResubscribe: true },
};

/** Reconnect quickly at first, then every 2 s at most, for as long as it takes. */
const retryStrategy = (times: number) => Math.min(50 * 2 ** Math.min(times, 10), 2_000);

/** Opens a Redis connection (or a Redis Cluster client when cluster nodes are configured) for one role. */
export function createRedis(target: RedisTarget, role: RedisRole, name: string): RedisClient {
  const options: RedisOptions = { ...ROLE_OPTIONS[role], retryStrategy, connectionName: name, lazyConnect: false };
  if (target.clusterNodes && target.clusterNodes.length > 0) {
    const clusterOptions: ClusterOptions = {
      redisOptions: options,
      clusterRetryStrategy: retryStrategy,
      enableOfflineQueue: options.enableOfflineQueue ?? true,
      enableAutoPipelining: options.enableAutoPipelining ?? false,
      autoPipeliningIgnoredCommands: options.autoPipeliningIgnoredCommands ?? [],
      enableReadyCheck: true,
    };
    return new Cluster(target.clusterNodes, clusterOptions);
  }
  return new Redis(target.url, options);
}

/** The Redis settings every process reads from its configuration. */
export interface RedisSettings {
  REDIS_URL: string;
  REDIS_CACHE_URL?: string | undefined;
  REDIS_CLUSTER_NODES?: { host: string; port: number }[] | undefined;
}

/** Where queues live and where the cache lives (the queue Redis unless a cache Redis is configured). */
export function redisTargets(settings: RedisSettings): { queue: RedisTarget; cache: RedisTarget } {
  const clusterNodes = settings.REDIS_CLUSTER_NODES;
  return {
    queue: { url: settings.REDIS_URL, clusterNodes },
    cache: { url: settings.REDIS_CACHE_URL ?? settings.REDIS_URL, clusterNodes },
  };
}

/** Logs once when a connection is lost (ioredis keeps retrying) and once when it is back. */
export function logRedisConnections(clients: Record<string, RedisClient>, logger: Logger): void {
  for (const [role, client] of Object.entries(clients)) {
    let down = false;
    client.on("error", (err: Error) => {
      if (!down) logger.warn({ redis: role, err: err.message }, "Redis connection lost; retrying");
      down = true;
    });
    client.on("ready", () => {
      if (down) logger.info({ redis: role }, "Redis connection back");
      down = false;
    });
  }
}

/**
 * Key prefix of one BullMQ queue. The queue name is a hash tag, so in a Redis Cluster every
 * key of a queue lands in one slot while different queues spread over the masters.
 */
export function queuePrefix(base: string, queue: string): string {
  return `${base}:{${queue}}`;
}

/** Waits until a client is ready, or rejects after `timeoutMs`. */
export function redisReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once("ready", onReady);
  });
}
