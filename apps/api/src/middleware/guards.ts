import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { GameError } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const HAS_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Requests with a body must send JSON, and no more than the configured size. A declared length
 * is refused before reading a byte (the server then discards the body and the connection lives
 * on to carry the 413); bodies without a length are counted as they stream in. Requests
 * without a body pass straight through: touching the raw body would build a full Fetch Request.
 * Paths for which `anyType` is true take a body of any type (still within the size).
 */
export function jsonBodies(deps: ApiDeps, anyType: (path: string) => boolean = () => false): MiddlewareHandler<AppEnv> {
  const max = deps.config.BODY_LIMIT_BYTES;
  const tooLarge = () => new GameError("payload_too_large", `Request bodies are limited to ${max} bytes.`);
  const streamed = bodyLimit({
    maxSize: max,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    const method = c.req.method;
    if (!HAS_BODY.has(method)) return next();
    if (Number(c.req.header("content-length") ?? 0) > max) throw tooLarge();
    if (method !== "DELETE" && !anyType(c.req.path)) {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
      if (!JSON_TYPE.test(type)) throw new GameError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
    }
    return streamed(c, next);
  };
}

/** Counts the request against the caller's action limit (429 with Retry-After past it). */
export function actionLimit(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await deps.limits.spendAction(c.get("caller").playerId);
    await next();
  };
}
