import type { Context } from "hono";
import type { AppEnv } from "./context";

/**
 * Answers with JSON that is already text or bytes (a cached document): sent as it is, never
 * parsed and serialized again. Typed as `never`, as an OpenAPI route's handler may return it.
 */
export function sendJson(c: Context<AppEnv>, body: string | Buffer): never {
  const content = typeof body === "string" ? body : new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  // A Response of our own with plain headers leaves @hono/node-server's fast path open (Hono's
  // c.body would turn more than one header into a Headers object).
  if (c.get("sentWhole")) return new Response(content, { status: 200, headers: { ...headers, "X-Request-Id": c.get("requestId") } }) as never;
  return c.body(content, 200, headers) as never;
}

/** Whether a cached document is JSON's `null` (cached as "nothing there"). */
export const isNull = (body: string | Buffer) => body.length === 4 && body.toString() === "null";
