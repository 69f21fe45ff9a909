import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { GameError } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Requests with a body must send JSON, and no more than the configured size. */
export function jsonBodies(deps: ApiDeps): MiddlewareHandler<AppEnv>[] {
  const max = deps.config.BODY_LIMIT_BYTES;
  // A declared length is refused before reading a byte: the server then discards the body and the
  // connection survives to carry the 413. Bodies without a length are counted as they stream in.
  const declared: MiddlewareHandler<AppEnv> = async (c, next) => {
    const length = Number(c.req.header("content-length") ?? 0);
    if (length > max) throw new GameError("payload_too_large", `Request bodies are limited to ${max} bytes.`);
    await next();
  };
  const limit = bodyLimit({
    maxSize: deps.config.BODY_LIMIT_BYTES,
    onError: () => {
      throw new GameError("payload_too_large", `Request bodies are limited to ${deps.config.BODY_LIMIT_BYTES} bytes.`);
    },
  });
  const contentType: MiddlewareHandler<AppEnv> = async (c, next) => {
    const method = c.req.method;
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
      if (!JSON_TYPE.test(type)) throw new GameError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
    }
    await next();
  };
  return [declared, limit, contentType];
}

/** Counts the request against the caller's action limit (429 with Retry-After past it). */
export function actionLimit(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await deps.limits.spendAction(c.get("caller").playerId);
    await next();
  };
}
