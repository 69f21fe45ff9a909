import type { IncomingMessage } from "node:http";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { GameError } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
const HAS_BODY = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Reads a request's body from Node's own stream, at most `max` bytes, as text (UTF-8, a BOM
 * dropped, as Fetch's `text()` reads it): no Fetch Request, AbortSignal and web stream are built
 * for it, which is most of what a small JSON body costs otherwise.
 */
function readBody(incoming: IncomingMessage, max: number, tooLarge: () => GameError): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      incoming.off("data", onData).off("end", onEnd).off("error", onError).off("aborted", onAborted);
      if (err) reject(err);
      else resolve(new TextDecoder().decode(Buffer.concat(chunks, size)));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) done(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onError = () => done(new GameError("bad_request", "The request body could not be read."));
    const onAborted = onError;
    incoming.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onAborted);
  });
}

/**
 * Requests with a body must send JSON, and no more than the configured size. A declared length
 * is refused before reading a byte (the server then discards the body and the connection lives
 * on to carry the 413); bodies without a length are counted as they stream in. The body is read
 * straight from Node's stream and handed to Hono's body cache (see `readBody`). Requests without
 * a body pass straight through. Paths for which `anyType` is true take a body of any type (still
 * within the size).
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
    const incoming = c.env?.incoming;
    if (!incoming) return streamed(c, next);
    // Hono keeps the promise of each way it read the body there (its types say the value).
    const text = readBody(incoming, max, tooLarge);
    (c.req.bodyCache as { text?: Promise<string> }).text = text;
    await text;
    return next();
  };
}

/** Counts the request against the caller's action limit (429 with Retry-After past it). */
export function actionLimit(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await deps.limits.spendAction(c.get("caller").playerId);
    await next();
  };
}
