import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Logger } from "@echoes/shared";
import { CheckedPool, type PoolRole, type PoolSettings, type QueryObserver } from "./pool";
import * as schema from "./schema/index";

export type Db = NodePgDatabase<typeof schema>;

// Ids and counts are int8; every one of ours fits in a double, so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** Database settings as the apps' configuration provides them. */
export interface DatabaseConfig {
  DATABASE_URL: string;
  DATABASE_REPLICA_URL?: string | undefined;
  DB_POOL_SIZE: number;
  DB_POOL_MAX_OVERFLOW: number;
  DB_POOL_TIMEOUT_MS: number;
  DB_POOL_RECYCLE_S: number;
  DB_POOL_PRE_PING: boolean;
  DB_POOL_PRE_PING_IDLE_MS: number;
  DB_PREPARED_STATEMENTS: boolean;
  DB_SLOW_QUERY_MS: number;
}

/**
 * The primary (all writes, and reads that must see them) and the read side: the replica when
 * `DATABASE_REPLICA_URL` is set, else the primary again.
 */
export interface Database {
  primary: Db;
  replica: Db;
  pools: { primary: CheckedPool; replica: CheckedPool | null };
  /** Whether hot queries may use named server-side prepared statements. */
  preparedStatements: boolean;
  close(): Promise<void>;
}

export function openDatabase(config: DatabaseConfig, logger: Logger, observer: QueryObserver = {}, applicationName?: string): Database {
  const settings = (url: string, role: PoolRole): PoolSettings => ({
    url,
    size: config.DB_POOL_SIZE,
    maxOverflow: config.DB_POOL_MAX_OVERFLOW,
    timeoutMs: config.DB_POOL_TIMEOUT_MS,
    recycleS: config.DB_POOL_RECYCLE_S,
    prePing: config.DB_POOL_PRE_PING,
    prePingIdleMs: config.DB_POOL_PRE_PING_IDLE_MS,
    slowQueryMs: config.DB_SLOW_QUERY_MS,
    applicationName: `${applicationName ?? "echoes"}-${role}`,
  });
  const primaryPool = new CheckedPool("primary", settings(config.DATABASE_URL, "primary"), logger, observer);
  const replicaPool = config.DATABASE_REPLICA_URL ? new CheckedPool("replica", settings(config.DATABASE_REPLICA_URL, "replica"), logger, observer) : null;
  const primary = drizzle({ client: primaryPool, schema, casing: "snake_case" });
  const replica = replicaPool ? drizzle({ client: replicaPool, schema, casing: "snake_case" }) : primary;
  return {
    primary,
    replica,
    pools: { primary: primaryPool, replica: replicaPool },
    preparedStatements: config.DB_PREPARED_STATEMENTS,
    async close() {
      await Promise.all([primaryPool.end(), replicaPool?.end()]);
    },
  };
}

const SOCKET_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

/** A statement given up on: past `statement_timeout` or cancelled (57014), or past `lock_timeout` (55P03). */
export const GAVE_UP_CODES = new Set(["57014", "55P03"]);

/**
 * PostgreSQL's answers that mean "not now" rather than "not this request": connection
 * exceptions (class 08), shutdowns and a dropped database (57P01-57P04), a server out of
 * resources (class 53: connections, memory, disk), a server that refuses this role,
 * password or database (class 28, 3D000), which an operator fixes without restarting the game,
 * and a statement given up on: past `statement_timeout` or cancelled (57014), or past
 * `lock_timeout` waiting for a row someone else holds (55P03). Each leaves nothing changed.
 */
function isUnavailableCode(code: string): boolean {
  return code.startsWith("08") || code.startsWith("53") || code.startsWith("28") || code === "3D000" || GAVE_UP_CODES.has(code) || /^57P0[1-4]$/.test(code);
}

/** True when an error means the database could not be reached, refused the connection or dropped it. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (e.cause && isDatabaseUnavailable(e.cause)) return true;
  const code = e.code ?? "";
  if (SOCKET_ERRORS.has(code) || isUnavailableCode(code)) return true;
  const message = e.message ?? "";
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down)|client password must be a string/i.test(
    message,
  );
}

/** PostgreSQL error code of an error, if it has one (`23505` is a unique violation). */
export function pgErrorCode(err: unknown): string | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as { code?: unknown; cause?: unknown };
  if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  return e.cause ? pgErrorCode(e.cause) : undefined;
}

/** A refusal of something a statement was given (a constraint, a bad value), as opposed to a database that is unreachable. */
export const refusedByDatabase = (err: unknown) => pgErrorCode(err) !== undefined && !isDatabaseUnavailable(err);

/** Connection counts of each pool, for metrics. */
export function poolSnapshot(database: Database): { pool: PoolRole; total: number; idle: number; waiting: number; max: number }[] {
  const pools = [database.pools.primary, database.pools.replica].filter((p): p is CheckedPool => p !== null);
  return pools.map((p) => ({ pool: p.role, total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, max: p.options.max ?? 0 }));
}
