import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { type AppEnv, RequestLog } from "../context";
import type { ApiDeps } from "../deps";

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Request ids: this process's random tag and a counter, unique across processes and cheap to make. */
const PROCESS_TAG = randomBytes(6).toString("hex");
let counter = 0;
const newRequestId = () => `${PROCESS_TAG}-${(++counter).toString(36)}`;

/**
 * The hot reads, which answer with `sendJson`: their headers (the request id among them) go on
 * the response it builds in one piece, the fast way out of @hono/node-server, instead of
 * being prepared here.
 */
const SENT_WHOLE = new Set(["/v1/location", "/v1/me", "/v1/me/inventory", "/v1/me/stats", "/v1/combat", "/v1/leaderboard"]);

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
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : newRequestId();
    c.set("requestId", requestId);
    const log = new RequestLog(logger, requestId);
    c.set("log", log);
    if (c.req.method === "GET" && SENT_WHOLE.has(c.req.path) && !deps.state.draining) {
      c.set("sentWhole", true);
    } else {
      // Headers go on before the handler answers: changing a finished response makes Hono copy it.
      c.header("X-Request-Id", requestId);
      // While shutting down, answer and let the client open its next connection elsewhere.
      if (deps.state.draining) c.header("Connection", "close");
    }
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
