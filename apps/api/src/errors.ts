import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { GAVE_UP_CODES, RETRYABLE_CODES, isDatabaseUnavailable, pgErrorCode } from "@echoes/db";
import { type ErrorCode, GameError } from "@echoes/shared";
import type { AppEnv } from "./context";

/** The HTTP status of every error code, in one place. */
export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_token: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  telegram_disabled: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  username_taken: 409,
  item_taken: 409,
  enemy_engaged: 409,
  already_in_combat: 409,
  turn_pending: 409,
  conflict: 409,
  dead: 422,
  in_combat: 422,
  not_in_combat: 422,
  no_stamina: 422,
  no_exit: 422,
  overweight: 422,
  not_enough_items: 422,
  not_usable: 422,
  enemy_not_here: 422,
  rule_violation: 422,
  rate_limited: 429,
  too_many_login_attempts: 429,
  unavailable: 503,
  email_unavailable: 503,
  internal: 500,
};

/** The body of every error response (PRODUCT.md). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: Record<string, unknown> };
}

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_UNAVAILABLE_S = 2;

/** Input its schema refused, as a game error: the first issue in the message, up to ten in the details. */
export function invalidInput(error: z.ZodError, target: string): GameError {
  const issues = error.issues.slice(0, 10).map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0];
  return new GameError("validation_failed", first ? `${first.path || target}: ${first.message}` : "Invalid request.", { issues });
}

export function errorResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
  headers?: Record<string, string>,
): Response {
  const requestId = c.get("requestId");
  const body: ErrorBody = { error: { code, message, requestId, ...(details ? { details } : {}) } };
  // A hot read's headers were not prepared (see `sendJson`): its refusal carries the request id itself.
  return c.json(body, STATUS[code], c.get("sentWhole") && requestId ? { ...headers, "X-Request-Id": requestId } : headers);
}

/**
 * Turns anything thrown by a handler into the error shape: game refusals keep their code, an
 * unreachable dependency is a 503 with Retry-After, framework errors keep their status, and
 * anything else is a 500 that says nothing about internals (and is logged).
 */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof GameError) {
    const headers: Record<string, string> = {};
    if (STATUS[err.code] === 503) headers["Retry-After"] = String(RETRY_AFTER_UNAVAILABLE_S);
    if (typeof err.details?.retryAfterS === "number") headers["Retry-After"] = String(err.details.retryAfterS);
    return errorResponse(c, err.code, err.message, err.details, headers);
  }
  if (err instanceof HTTPException) {
    // A middleware that built its own answer (basic auth's challenge) keeps it, headers and all.
    if (err.res) return err.getResponse();
    const status = err.status;
    const code: ErrorCode =
      status === 413
        ? "payload_too_large"
        : status === 415
          ? "unsupported_media_type"
          : status === 401
            ? "unauthorized"
            : status === 404
              ? "not_found"
              : "bad_request";
    const message = /Malformed JSON/i.test(err.message) ? "The request body is not valid JSON." : err.message || "Bad request.";
    return errorResponse(c, /Malformed JSON/i.test(err.message) ? "invalid_json" : code, message);
  }
  if (RETRYABLE_CODES.has(pgErrorCode(err) ?? "")) {
    c.get("log")?.warn({ err: err.message }, "transaction kept colliding with others");
    return errorResponse(c, "conflict", "Others changed the same things at the same moment; try again.");
  }
  if (pgErrorCode(err) === "23503") {
    // A row the request refers to was deleted by another request at the same moment.
    c.get("log")?.warn({ err: err.message }, "a referenced row was deleted concurrently");
    return errorResponse(c, "conflict", "Something this request refers to was removed at the same moment; try again.");
  }
  if (isDatabaseUnavailable(err)) {
    c.get("log")?.warn({ err: err.message }, "database unavailable");
    // Past statement_timeout or lock_timeout (set by the operator on the game's role or database): busy, not down.
    const busy = GAVE_UP_CODES.has(pgErrorCode(err) ?? "");
    const message = busy ? "The game database is too busy to answer in time; try again shortly." : "The game database is unavailable; try again shortly.";
    return errorResponse(c, "unavailable", message, undefined, {
      "Retry-After": String(RETRY_AFTER_UNAVAILABLE_S),
    });
  }
  c.get("log")?.error({ err }, "unhandled error");
  return errorResponse(c, "internal", "Something went wrong on our side.");
}
