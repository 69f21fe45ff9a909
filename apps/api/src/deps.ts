import { GameCache, Leaderboards, cacheOptionsFrom, type Database, openDatabase } from "@echoes/db";
import { JobProducer, type Logger, type RedisClient, createRedis, emailKey, logRedisConnections, redisTargets } from "@echoes/shared";
import { TokenRevocations } from "./auth/revocations";
import { TokenService } from "./auth/tokens";
import type { ApiConfig } from "./config";
import { EventHub } from "./services/events";
import { Limits } from "./services/limits";
import { ApiMetrics } from "./services/metrics";

/** Everything a request handler may use; built once per process. */
export interface ApiDeps {
  config: ApiConfig;
  logger: Logger;
  database: Database;
  cache: GameCache;
  producer: JobProducer;
  leaderboards: Leaderboards;
  events: EventHub;
  limits: Limits;
  tokens: TokenService;
  revocations: TokenRevocations;
  /** The key of emailed tokens and unsubscribe links; without SMTP_URL, `sending` is false and the email routes answer 503. */
  email: { key: Buffer; sending: boolean };
  metrics: ApiMetrics;
  redis: { cache: RedisClient; queue: RedisClient; subscriber: RedisClient; cacheSubscriber?: RedisClient };
  /** Set while shutting down: readiness fails so load balancers stop sending traffic. */
  state: { draining: boolean };
  close(): Promise<void>;
}

export function createDeps(config: ApiConfig, logger: Logger): ApiDeps {
  const metrics = new ApiMetrics();
  const database = openDatabase(config, logger, metrics.data, "echoes-api");
  metrics.data.watchPools(database);
  const targets = redisTargets(config);
  const redis: ApiDeps["redis"] = {
    cache: createRedis(targets.cache, "cache", "echoes-api-cache"),
    queue: createRedis(targets.queue, "producer", "echoes-api-producer"),
    subscriber: createRedis(targets.queue, "subscriber", "echoes-api-events"),
    // Cache invalidations reach this process here, so that it may serve copies of its own (not on a cluster: see GameCache).
    ...(targets.cache.clusterNodes || !config.CACHE_ENABLED ? {} : { cacheSubscriber: createRedis(targets.cache, "subscriber", "echoes-api-cache-events") }),
  };
  logRedisConnections(redis, logger);
  const cache = new GameCache(redis.cache, cacheOptionsFrom(config), logger, metrics.data, redis.cacheSubscriber ?? null);
  const revocations = new TokenRevocations(database, { subscriber: redis.subscriber, publisher: redis.queue }, config.REDIS_PREFIX, config.TOKEN_TTL_S, logger);
  const deps: ApiDeps = {
    config,
    logger,
    database,
    cache,
    producer: new JobProducer(redis.queue, config.REDIS_PREFIX, { attempts: config.EMAIL_ATTEMPTS, delayMs: config.EMAIL_RETRY_DELAY_MS }),
    leaderboards: new Leaderboards(redis.queue, config.REDIS_PREFIX, () => cache.invalidate({ boards: true })),
    events: new EventHub(redis.subscriber, config.REDIS_PREFIX, logger),
    limits: new Limits(redis.cache, {
      prefix: config.REDIS_PREFIX,
      actions: config.RATE_LIMIT_ACTIONS,
      windowS: config.RATE_LIMIT_WINDOW_S,
      loginFailures: config.LOGIN_MAX_FAILURES,
      loginLockS: config.LOGIN_LOCK_S,
      emailPerPlayer: config.EMAIL_LIMIT_PER_PLAYER,
      emailPerAddress: config.EMAIL_LIMIT_PER_ADDRESS,
      emailWindowS: config.EMAIL_LIMIT_WINDOW_S,
    }),
    tokens: new TokenService(config.jwtSecret, config.TOKEN_TTL_S, revocations),
    revocations,
    email: { key: emailKey(config.jwtSecret), sending: config.SMTP_URL !== undefined },
    metrics,
    redis,
    state: { draining: false },
    async close() {
      cache.close();
      revocations.stop();
      await deps.producer.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      for (const client of Object.values(redis)) client.disconnect();
    },
  };
  return deps;
}
