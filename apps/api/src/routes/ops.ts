import type { OpenAPIHono } from "@hono/zod-openapi";
import { hostMetrics } from "../cluster";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Health (the process is up), readiness (it can serve: database and Redis answer; email is reported, not required) and metrics. */
export function registerOpsRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.get("/healthz", (c) => c.json({ status: "ok" }, 200, { "Cache-Control": "no-store" }));

  app.get("/readyz", async (c) => {
    const checks: Record<string, string> = {};
    await Promise.all([
      within(1_000, deps.database.pools.primary.query("select 1")).then(
        () => (checks.database = "ok"),
        (err: Error) => (checks.database = err.message),
      ),
      ...(deps.database.pools.replica
        ? [
            within(1_000, deps.database.pools.replica.query("select 1")).then(
              () => (checks.replica = "ok"),
              (err: Error) => (checks.replica = err.message),
            ),
          ]
        : []),
      within(1_000, deps.redis.queue.ping()).then(
        () => (checks.redis = "ok"),
        (err: Error) => (checks.redis = err.message),
      ),
    ]);
    // Bearer tokens are accepted only once the password resets in force are known.
    if (!deps.revocations.loaded) checks.tokens = "token revocations not read yet";
    if (deps.state.draining) checks.process = "shutting down";
    const ready = Object.values(checks).every((v) => v === "ok");
    // Email is optional: without SMTP_URL the game runs and says so, and its email routes answer 503.
    const email = deps.email.sending ? "ok" : "unavailable: no SMTP_URL, so no email is sent";
    return c.json({ status: ready ? "ready" : "not ready", checks: { ...checks, email } }, ready ? 200 : 503, { "Cache-Control": "no-store" });
  });

  const metricsText = hostMetrics(deps.metrics.registry);
  app.get("/metrics", async (c) => {
    const body = await metricsText();
    return c.body(body, 200, { "Content-Type": deps.metrics.registry.contentType });
  });
}
