import { randomBytes } from "node:crypto";
import { type Database, GameCache, cacheOptionsFrom, openDatabase } from "@echoes/db";
import { type RedisClient, createLogger, createRedis, redisReady } from "@echoes/shared";
import { type ApiConfig, loadApiConfig } from "../../apps/api/src/config";
import { type RunningApi, startApi } from "../../apps/api/src/server";
import { loadWorkerConfig } from "../../apps/worker/src/config";
import { type RunningWorker, startWorker } from "../../apps/worker/src/runtime";
import { type TestDatabase, createTestDatabase } from "./db";
import { TEST_ENV } from "./env";
import type { GameClient, Player } from "@echoes/client";
import { type CallOptions, type Response, eventually, gameClient, register, request } from "./http";
import { createPlayers } from "./players";

export interface GameOptions {
  /** Run a worker in this process too (default: no). */
  worker?: boolean;
  /** Extra environment for both processes (strings, as in a real environment). */
  env?: Record<string, string>;
  /** Use this database instead of a fresh clone. */
  database?: TestDatabase;
  /** Use this Redis instead of the test runner's. */
  redisUrl?: string;
}

/**
 * An API of its own, outside a TestGame, for tests that point it at unusual places (a missing
 * database, a Redis of their own): the test's settings over quiet, small defaults.
 */
export function startStandaloneApi(env: { DATABASE_URL: string; REDIS_PREFIX: string } & Record<string, string>): Promise<RunningApi> {
  const config = loadApiConfig({
    NODE_ENV: "test",
    REDIS_URL: TEST_ENV.redisUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: TEST_ENV.logLevel,
    LOG_REQUESTS: "false",
    DB_POOL_SIZE: "2",
    DB_POOL_MAX_OVERFLOW: "2",
    JWT_SECRET: randomBytes(32).toString("hex"),
    ...env,
  });
  return startApi(config, createLogger("test", TEST_ENV.logLevel));
}

/** A running game for one test file: its own database, Redis prefix, API and (optionally) worker. */
export class TestGame {
  private constructor(
    readonly url: string,
    readonly api: RunningApi,
    readonly worker: RunningWorker | null,
    readonly db: TestDatabase,
    readonly database: Database,
    readonly redis: RedisClient,
    readonly prefix: string,
    readonly config: ApiConfig,
    readonly cache: GameCache,
    private readonly ownsDatabase: boolean,
  ) {}

  static async start(options: GameOptions = {}): Promise<TestGame> {
    const db = options.database ?? (await createTestDatabase());
    const prefix = `t${randomBytes(5).toString("hex")}`;
    const env = {
      NODE_ENV: "test",
      DATABASE_URL: TEST_ENV.pgbouncerPort ? viaPgBouncer(db.url, TEST_ENV.pgbouncerPort) : db.url,
      ...(TEST_ENV.redisClusterNodes ? { REDIS_CLUSTER_NODES: TEST_ENV.redisClusterNodes } : {}),
      ...(TEST_ENV.preparedStatements ? { DB_PREPARED_STATEMENTS: TEST_ENV.preparedStatements } : {}),
      REDIS_URL: options.redisUrl ?? TEST_ENV.redisUrl,
      REDIS_PREFIX: prefix,
      PORT: "0",
      HOST: "127.0.0.1",
      WORKER_METRICS_PORT: "0",
      WORKER_METRICS_HOST: "127.0.0.1",
      LOG_LEVEL: TEST_ENV.logLevel,
      LOG_REQUESTS: "false",
      DB_POOL_SIZE: "5",
      DB_POOL_MAX_OVERFLOW: "10",
      WORLD_TASKS_ENABLED: "false",
      JWT_SECRET: randomBytes(32).toString("hex"),
      ...options.env,
    };
    const logger = createLogger("test", TEST_ENV.logLevel);
    const config = loadApiConfig(env);
    const api = await startApi(config, logger);
    const worker = options.worker ? await startWorker(loadWorkerConfig(env), logger) : null;
    // Tests start playing at once: let every Redis connection finish connecting first (a cluster takes a moment).
    await Promise.all(Object.values(api.deps.redis).map((client) => redisReady(client, 15_000)));
    const database = openDatabase({ ...config, DATABASE_URL: db.url, DB_POOL_SIZE: 2, DB_POOL_MAX_OVERFLOW: 3 }, logger);
    const redis = createRedis({ url: env.REDIS_URL, clusterNodes: config.REDIS_CLUSTER_NODES }, "worker", "test-probe");
    const cache = new GameCache(redis, cacheOptionsFrom(config), logger);
    return new TestGame(`http://127.0.0.1:${api.port}`, api, worker, db, database, redis, prefix, config, cache, !options.database);
  }

  call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Response<T>> {
    return request<T>(this.url, method, path, options);
  }

  /** The generated client, signed in when given a token; its answers are checked against the document. */
  client(token?: string): GameClient {
    return gameClient(this.url, token);
  }

  /** Registers a new player through the client and returns their token and player. */
  register(name?: string): Promise<{ token: string; player: Player; username: string }> {
    return register(this.url, name);
  }

  /**
   * Creates players straight in the database (no password hashing) at a location, each with
   * the starter kit, and signs their tokens: for tests that need many players fast.
   */
  createPlayers(
    count: number,
    locationId: string,
    kit: { itemId: string; quantity: number }[] = [],
  ): Promise<{ id: number; token: string; username: string }[]> {
    return createPlayers(
      (text, values) => this.sql(text, values),
      (id) => this.api.deps.tokens.issue(id),
      count,
      locationId,
      kit,
    );
  }

  /** Statements the API has sent to PostgreSQL so far for requests, by pool (the token revocation poll, on a timer, left out). */
  get apiStatements(): { primary: number; replica: number } {
    const { primary, replica } = this.api.deps.metrics.data.sent;
    return { primary: primary - this.api.deps.revocations.polls, replica };
  }

  /** Every statement the API has sent so far, the revocation poll's too (what its `db_queries_total` says). */
  get allApiStatements(): number {
    const { primary, replica } = this.api.deps.metrics.data.sent;
    return primary + replica;
  }

  /** Runs SQL on the test database (for setting up and checking the world). */
  async sql<T extends Record<string, any> = any>(text: string, values: unknown[] = []): Promise<T[]> {
    const result = await this.database.pools.primary.query(text, values);
    return result.rows as T[];
  }

  /** Puts a player at a location, as a test's stage direction, and clears what the cache knew. */
  async place(playerId: number, locationId: string): Promise<void> {
    const [before] = await this.sql<{ location_id: string }>("select location_id from players where id = $1", [playerId]);
    await this.sql("update players set location_id = $2 where id = $1", [playerId, locationId]);
    await this.cache.invalidate({ players: [playerId], locations: [locationId, ...(before ? [before.location_id] : [])] });
  }

  /** Waits until `check` returns a truthy value, polling every 25 ms, up to `ms`. */
  eventually<T>(check: () => Promise<T | null | undefined | false>, ms = 10_000, what = "condition"): Promise<T> {
    return eventually(check, ms, what);
  }

  async close(): Promise<void> {
    await this.worker?.shutdown().catch(() => undefined);
    await this.api.shutdown().catch(() => undefined);
    await this.database.close().catch(() => undefined);
    if (!TEST_ENV.redisClusterNodes) await deleteKeys(this.redis, `${this.prefix}:*`).catch(() => undefined);
    this.redis.disconnect();
    if (this.ownsDatabase) await this.db.drop();
  }
}

/** The same database, reached through a PgBouncer on localhost:port (which trusts local clients). */
function viaPgBouncer(url: string, port: string): string {
  const u = new URL(url);
  u.hostname = "127.0.0.1";
  u.port = port;
  u.password = "";
  return u.toString();
}

/** Deletes the keys matching a pattern (a test's own prefix), never the whole Redis. */
export async function deleteKeys(redis: RedisClient, pattern: string): Promise<number> {
  let cursor = "0";
  let deleted = 0;
  do {
    const [next, keys] = await (redis as import("ioredis").Redis).scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) deleted += await (redis as import("ioredis").Redis).unlink(...keys);
  } while (cursor !== "0");
  return deleted;
}
