import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { type AppEnv, RequestLog } from "../context";
import type { ApiDeps } from "../deps";

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane), a child logger that
 * carries it, and records its duration and status by route template.
 */
export function observe(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  const { metrics, logger } = deps;
  const logRequests = deps.config.LOG_REQUESTS;
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    const log = new RequestLog(logger, requestId);
    c.set("log", log);
    // Headers go on before the handler answers: changing a finished response makes Hono copy it.
    c.header("X-Request-Id", requestId);
    // While shutting down, answer and let the client open its next connection elsewhere.
    if (deps.state.draining) c.header("Connection", "close");
    await next();
    const status = c.res.status;
    const matched = routePath(c, -1);
    const route = status === 404 && (matched === "*" || matched.endsWith("/*") || matched === "") ? "unmatched" : matched;
    const seconds = (performance.now() - started) / 1000;
    metrics.requestDone(c.req.method, route, status, seconds);
    if (logRequests) {
      log.info({ method: c.req.method, route, status, ms: Math.round(seconds * 10_000) / 10, player: c.get("caller")?.playerId }, "request");
    }
  };
}
