/**
 * Every error code a client can see. The API maps each to its HTTP status in one place
 * (`apps/api/src/errors.ts`); workers record them in job results.
 */
export const ERROR_CODES = [
  // 400
  "bad_request",
  "invalid_json",
  "validation_failed",
  "invalid_token",
  // 401
  "unauthorized",
  "invalid_credentials",
  // 403
  "forbidden",
  "telegram_disabled",
  // 404
  "not_found",
  // 405, 413, 415
  "method_not_allowed",
  "payload_too_large",
  "unsupported_media_type",
  // 409
  "username_taken",
  "item_taken",
  "enemy_engaged",
  "already_in_combat",
  "turn_pending",
  "conflict",
  // 422
  "dead",
  "in_combat",
  "not_in_combat",
  "no_stamina",
  "no_exit",
  "overweight",
  "not_enough_items",
  "not_usable",
  "enemy_not_here",
  "rule_violation",
  // 429
  "rate_limited",
  "too_many_login_attempts",
  // 503
  "unavailable",
  "email_unavailable",
  // 500
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A refusal the game can explain: a broken rule, a missing thing, a lost race.
 *
 * @example
 * throw new GameError("no_stamina", "You need 5 stamina to go north; you have 2.");
 */
export class GameError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "GameError";
  }
}
