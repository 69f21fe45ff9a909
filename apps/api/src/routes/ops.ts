import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { hostMetrics } from "../cluster";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { json } from "../schemas";

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const HealthSchema = z.strictObject({ status: z.literal("ok") }).openapi("Health");
const ReadinessSchema = z
  .strictObject({
    status: z.enum(["ready", "not ready"]),
    checks: z
      .strictObject({
        database: z.string(),
        replica: z.string().optional().openapi({ description: "Present when a read replica is configured" }),
        redis: z.string(),
        tokens: z.string().optional().openapi({ description: "Present until this process has read the password resets in force" }),
        process: z.literal("shutting down").optional(),
        email: z.string().openapi({ description: '"ok", or why no email is sent; reported, never a reason to be not ready' }),
      })
      .openapi({ description: '"ok", or what went wrong' }),
  })
  .openapi("Readiness");

const health = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  tags: ["operations"],
  summary: "Liveness: the process is up",
  security: [],
  responses: { 200: json(HealthSchema, "Alive") },
});

const readiness = createRoute({
  method: "get",
  path: "/readyz",
  operationId: "getReadiness",
  tags: ["operations"],
  summary: "Readiness: the database and Redis answer, and the process is not shutting down",
  security: [],
  responses: { 200: json(ReadinessSchema, "Ready to serve"), 503: json(ReadinessSchema, "Not ready: each check says why") },
});

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  operationId: "getMetrics",
  tags: ["operations"],
  summary: "Prometheus metrics (the text exposition format)",
  description: "With API_PROCESSES > 1, the sum over every process on this host.",
  security: [],
  responses: { 200: { description: "Metrics", content: { "text/plain": { schema: z.string() } } } },
});

/** Health (the process is up), readiness (it can serve: database and Redis answer; email is reported, not required) and metrics. */
export function registerOpsRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openapi(health, (c) => c.json({ status: "ok" as const }, 200, { "Cache-Control": "no-store" }));

  app.openapi(readiness, async (c) => {
    const probe = (work: Promise<unknown>) =>
      within(1_000, work).then(
        () => "ok",
        (err: Error) => err.message,
      );
    const { primary, replica } = deps.database.pools;
    const [database, replicaCheck, redis] = await Promise.all([
      probe(primary.query("select 1")),
      replica ? probe(replica.query("select 1")) : undefined,
      probe(deps.redis.queue.ping()),
    ]);
    const required = {
      database,
      ...(replicaCheck === undefined ? {} : { replica: replicaCheck }),
      redis,
      // Bearer tokens are accepted only once the password resets in force are known.
      ...(deps.revocations.loaded ? {} : { tokens: "token revocations not read yet" }),
      ...(deps.state.draining ? { process: "shutting down" as const } : {}),
    };
    const ready = Object.values(required).every((v) => v === "ok");
    // Email is optional: without SMTP_URL the game runs and says so, and its email routes answer 503.
    const checks = { ...required, email: deps.email.sending ? "ok" : "unavailable: no SMTP_URL, so no email is sent" };
    const headers = { "Cache-Control": "no-store" };
    return ready ? c.json({ status: "ready" as const, checks }, 200, headers) : c.json({ status: "not ready" as const, checks }, 503, headers);
  });

  const metricsText = hostMetrics(deps.metrics.registry);
  app.openapi(metricsRoute, async (c) => {
    const body = await metricsText();
    return c.text(body, 200, { "Content-Type": deps.metrics.registry.contentType });
  });
}
