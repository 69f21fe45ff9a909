import { z } from "zod";
import { baseEnv, cacheEnv, databaseEnv, emailEnv, envFlag, envInt, parseEnv, resolveJwtSecret, tokenEnv } from "@echoes/shared";

const apiEnv = z
  .object({
    ...baseEnv,
    ...databaseEnv,
    ...cacheEnv,
    ...tokenEnv,
    ...emailEnv,
    PORT: envInt(0, 65_535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    /** API processes to run on this host with node:cluster (1 = no cluster). */
    API_PROCESSES: envInt(1, 64).default(1),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456:ABC-DEF...")
      .optional(),
    TELEGRAM_AUTH_MAX_AGE_S: envInt(60, 7 * 86_400).default(86_400),
    ADMIN_USER: z.string().min(1).optional(),
    ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
    BODY_LIMIT_BYTES: envInt(256, 10 * 1024 * 1024).default(16 * 1024),
    /** Actions (moves, item actions, fights) a player may send per window. */
    RATE_LIMIT_ACTIONS: envInt(1, 100_000).default(30),
    RATE_LIMIT_WINDOW_S: envInt(1, 3600).default(10),
    /** Failed logins for one username before it is locked for LOGIN_LOCK_S. */
    LOGIN_MAX_FAILURES: envInt(1, 1000).default(5),
    LOGIN_LOCK_S: envInt(1, 86_400).default(900),
    /** Verification emails a player may ask for, and emails (verifications or resets) one address may be sent, per EMAIL_LIMIT_WINDOW_S. */
    EMAIL_LIMIT_PER_PLAYER: envInt(1, 10_000).default(5),
    EMAIL_LIMIT_PER_ADDRESS: envInt(1, 10_000).default(5),
    EMAIL_LIMIT_WINDOW_S: envInt(1, 86_400).default(3600),
    /**
     * Combat actions are recorded in batches: the requests that arrive in one turn of the event
     * loop go in one statement, at most COMBAT_ACCEPT_IN_FLIGHT statements at a time per process,
     * and the requests that come meanwhile go together in the next (no waiting is added).
     */
    COMBAT_ACCEPT_BATCH_SIZE: envInt(1, 1000).default(100),
    COMBAT_ACCEPT_IN_FLIGHT: envInt(1, 100).default(2),
    /** Log one line per request. */
    LOG_REQUESTS: envFlag(true),
    SHUTDOWN_TIMEOUT_MS: envInt(100, 120_000).default(10_000),
    /**
     * Origin (a CDN) that serves the images and the web client's files: every asset URL the API
     * hands out points there, and the page's Content-Security-Policy allows exactly it.
     */
    ASSETS_BASE_URL: z
      .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
      .refine((url) => new URL(url).origin === url.replace(/\/$/, ""), "must be an origin only, such as https://cdn.example.com (no path)")
      .transform((url) => new URL(url).origin)
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.JWT_SECRET) {
      ctx.addIssue({ code: "custom", path: ["JWT_SECRET"], message: "required when NODE_ENV=production" });
    }
    if (Boolean(env.ADMIN_USER) !== Boolean(env.ADMIN_PASSWORD)) {
      ctx.addIssue({ code: "custom", path: [env.ADMIN_USER ? "ADMIN_PASSWORD" : "ADMIN_USER"], message: "ADMIN_USER and ADMIN_PASSWORD go together" });
    }
  });

export type ApiConfig = z.infer<typeof apiEnv> & { jwtSecret: string };

/** Reads the API's configuration from the environment; throws a ConfigError naming every bad variable. */
export function loadApiConfig(env: Record<string, string | undefined> = process.env): ApiConfig {
  const parsed = parseEnv(apiEnv, env);
  return { ...parsed, jwtSecret: resolveJwtSecret(parsed) };
}
