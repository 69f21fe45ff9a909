import { ConfigError, type Logger, type RedisClient, redisReady } from "@echoes/shared";
import pg from "pg";
import type { Database } from "./client";
import { run, statement } from "./statement";

const instanceStatement = statement<{ id: string }>("game_instance_id", "select id from game_instance");

/** The id naming this database (see the `game_instance` table). */
export async function gameInstanceId(database: Database): Promise<string> {
  const [row] = await run(database, database.primary, instanceStatement, []);
  if (!row) throw new Error("game_instance has no row: the migrations have not been applied");
  return row.id;
}

/** The same, read over a connection of its own (for tools that hold no pool). */
export async function gameInstanceIdAt(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "echoes-instance" });
  await client.connect();
  try {
    const [row] = (await client.query<{ id: string }>(instanceStatement.text)).rows;
    if (!row) throw new Error("game_instance has no row: the migrations have not been applied");
    return row.id;
  } finally {
    await client.end();
  }
}

/** The Redis key recording which database a prefix belongs to. */
export const namespaceKey = (prefix: string) => `${prefix}:game-instance`;

/**
 * Records this database as the owner of a Redis prefix, or refuses (ConfigError) when another
 * database owns it: job ids, cached views and leaderboards are keyed by this database's ids, so
 * two databases under one prefix would answer each other's jobs and show each other's world.
 */
export async function claimRedisNamespace(database: Database, redis: RedisClient, prefix: string): Promise<string> {
  const id = await gameInstanceId(database);
  const key = namespaceKey(prefix);
  await redis.set(key, id, "NX");
  const owner = await redis.get(key);
  if (owner !== null && owner !== id) {
    throw new ConfigError([
      `REDIS_PREFIX ("${prefix}"): this Redis holds the jobs and cache of another database (game instance ${owner}; ` +
        `this database is ${id}). Use another REDIS_PREFIX, or delete the keys under "${prefix}:" if that game is gone.`,
    ]);
  }
  return id;
}

/**
 * Claims the prefix at start, in each Redis the process uses (jobs and cache may live apart), when
 * PostgreSQL and Redis answer within `timeoutMs`. A process started during an outage cannot check
 * and says so; it does not wait, so it can serve 503s and recover by itself.
 */
export async function checkRedisNamespace(database: Database, clients: RedisClient[], prefix: string, logger: Logger, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const claimIn = async (redis: RedisClient) => {
    await redisReady(redis, timeoutMs);
    await claimRedisNamespace(database, redis, prefix);
  };
  try {
    await Promise.race([Promise.all(clients.map(claimIn)), timeout]);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    logger.warn({ err: (err as Error).message, prefix }, "could not check which database owns the Redis prefix");
  } finally {
    clearTimeout(timer);
  }
}
