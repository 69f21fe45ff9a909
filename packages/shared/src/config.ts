import { z } from "zod";

/** Raised when the environment does not describe a runnable process; lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses the environment with a zod object schema whose keys are variable names.
 * Empty strings count as unset, so `FOO=` falls back to the default.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") cleaned[key] = value.trim();
  }
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.length > 0 ? issue.path.join(".") : "environment";
    const value = issue.path.length > 0 ? cleaned[String(issue.path[0])] : undefined;
    const shown = value === undefined ? "unset" : /SECRET|PASSWORD|TOKEN/.test(name) ? "set (hidden)" : JSON.stringify(withoutCredentials(value));
    return `${name} (${shown}): ${issue.message}`;
  });
  throw new ConfigError(problems);
}

/** A value as it may be printed: the password part of anything URL-like is masked. */
function withoutCredentials(value: string): string {
  return value.replace(/(\/\/[^:/@\s]*):[^@\s]*@/g, "$1:***@");
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const flag = (fallback: boolean) => z.stringbool().default(fallback);

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" });
const redisUrl = z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" });
const hostPortList = z
  .string()
  .regex(/^[^,:\s]+:\d{1,5}(,[^,:\s]+:\d{1,5})*$/, "must be host:port,host:port,...")
  .transform((s) =>
    s.split(",").map((hp) => {
      const [host, port] = hp.split(":") as [string, string];
      return { host, port: Number(port) };
    }),
  );

/** Variables every process shares: environment, logging, Redis. */
export const baseEnv = {
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  REDIS_URL: redisUrl.default("redis://127.0.0.1:6379"),
  REDIS_CACHE_URL: redisUrl.optional(),
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  /** Prefix of every Redis key and BullMQ queue of this deployment. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, "letters, digits, _ and - only")
    .default("eota"),
};

/**
 * Database variables. The pool figures are the performance review's
 * (`pool_size=20, max_overflow=30, pool_timeout=30, pool_recycle=3600, pool_pre_ping=True`);
 * `packages/db` documents how each maps onto node-postgres.
 */
export const databaseEnv = {
  DATABASE_URL: postgresUrl,
  DATABASE_REPLICA_URL: postgresUrl.optional(),
  DB_POOL_SIZE: int(1, 1000).default(20),
  DB_POOL_MAX_OVERFLOW: int(0, 1000).default(30),
  DB_POOL_TIMEOUT_MS: int(100, 600_000).default(30_000),
  DB_POOL_RECYCLE_S: int(0, 86_400).default(3600),
  DB_POOL_PRE_PING: flag(true),
  /** Connections idle at least this long are pinged before they are handed out. */
  DB_POOL_PRE_PING_IDLE_MS: int(0, 3_600_000).default(5_000),
  /**
   * Named server-side prepared statements: PostgreSQL plans each hot statement once per
   * connection instead of on every call. Behind PgBouncer in transaction mode this needs
   * PgBouncer >= 1.21 with max_prepared_statements > 0; turn it off for older poolers.
   */
  DB_PREPARED_STATEMENTS: flag(true),
  DB_SLOW_QUERY_MS: int(1, 600_000).default(100),
};

/** Read-cache settings, shared by the API (reads) and workers (invalidations). */
export const cacheEnv = {
  CACHE_ENABLED: flag(true),
  LOCATION_CACHE_TTL_MS: int(100, 600_000).default(5_000),
  PLAYER_CACHE_TTL_MS: int(1_000, 3_600_000).default(60_000),
  LEADERBOARD_CACHE_TTL_MS: int(100, 600_000).default(5_000),
  /** Values an API process keeps copies of, served without a round trip to Redis (0: none). */
  CACHE_LOCAL_COPIES: int(0, 1_000_000).default(20_000),
  /** After a write, reads of that location go to the primary for this long (replica lag). */
  REPLICA_PRIMARY_WINDOW_MS: int(0, 60_000).default(2_000),
};

/** Bearer-token settings shared by everything that signs or verifies tokens. */
export const tokenEnv = {
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  TOKEN_TTL_S: int(60, 30 * 86_400).default(7 * 86_400),
};

const mailbox = z.string().regex(/^(?:[^<>\r\n"@]*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/, 'must be "Name <address>" or an address');

/**
 * Outgoing mail, shared by the API (whether email is offered, the links in it) and the worker
 * (sending, retrying). Without SMTP_URL nothing is sent and the email routes answer 503.
 */
export const emailEnv = {
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  MAIL_FROM: mailbox.default("Echoes of the Ashes <no-reply@echoes.localhost>"),
  /** Where players reach the game: the base of every link in an email. */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
    .default("http://localhost:3000")
    .transform((url) => url.replace(/\/+$/, "")),
  /** Tries per email; the waits between them double from EMAIL_RETRY_DELAY_MS (12 tries span some 17 hours). */
  EMAIL_ATTEMPTS: int(1, 30).default(12),
  EMAIL_RETRY_DELAY_MS: int(10, 3_600_000).default(30_000),
};

/** Resolves the token secret: required in production, a fixed development value otherwise. */
export function resolveJwtSecret(env: { NODE_ENV: string; JWT_SECRET?: string | undefined }): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (env.NODE_ENV === "production") throw new ConfigError(["JWT_SECRET (unset): required when NODE_ENV=production"]);
  return "development-only-secret-never-use-in-production";
}

export { flag as envFlag, int as envInt };
