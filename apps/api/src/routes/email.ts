import { type OpenAPIHono, createRoute } from "@hono/zod-openapi";
import {
  type NewEmailToken,
  confirmPasswordReset,
  getPlayerView,
  requestPasswordReset,
  setEmailAddress,
  setNotifications,
  unsubscribe,
  verifyEmailAddress,
} from "@echoes/db";
import { EMAIL_LINKS, GameError, QUEUE, TOKEN_LIFETIME_S, addressDigest, newTokenSeed, readUnsubscribeToken, tokenFromSeed, tokenHash } from "@echoes/shared";
import { hashPassword } from "../auth/passwords";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { type LandingPage, landingPage } from "../email/pages";
import {
  AuthResultSchema,
  EmailStatusSchema,
  NotificationSettingsSchema,
  NotificationsSchema,
  PasswordResetAcceptedSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  SetEmailSchema,
  LinkTokenQuerySchema,
  UnsubscribeQuerySchema,
  UnsubscribedSchema,
  VerifyEmailSchema,
  errors,
  json,
  jsonBody,
} from "../schemas";

const security = [{ bearer: [] }];
const html = {
  description: "A page with one button that sends the token from its address to this route",
  content: { "text/html": { schema: { type: "string" as const } } },
};

const setEmail = createRoute({
  method: "put",
  path: "/v1/me/email",
  operationId: "setEmail",
  tags: ["email"],
  summary: "Set the player's email address; a verification email is sent to it",
  description:
    "Stores the address unverified (an address already verified stays so, and nothing is sent) and queues an email with a token, valid once for 24 hours. " +
    "Verification emails are limited per player and per address (429 with Retry-After). 503 `email_unavailable` when this server sends no email.",
  security,
  request: jsonBody(SetEmailSchema),
  responses: { 202: json(EmailStatusSchema, "Stored; the verification email is on its way"), ...errors(400, 401, 413, 415, 429, 503) },
});

const verifyEmail = createRoute({
  method: "post",
  path: EMAIL_LINKS.verify,
  operationId: "verifyEmail",
  tags: ["email"],
  security: [],
  summary: "Verify an address with the emailed token",
  description:
    "400 `invalid_token` for a token that is unknown, used, expired, or for an address the player has since replaced; 409 when another player verified the address first.",
  request: jsonBody(VerifyEmailSchema),
  responses: { 200: json(EmailStatusSchema, "The address is verified"), ...errors(400, 409, 413, 415, 503) },
});

const verifyPage = createRoute({
  method: "get",
  path: EMAIL_LINKS.verify,
  operationId: "openVerifyEmailPage",
  tags: ["email"],
  security: [],
  summary: "The page a verification email links to",
  request: { query: LinkTokenQuerySchema },
  responses: { 200: html, ...errors(400) },
});

const requestReset = createRoute({
  method: "post",
  path: "/v1/auth/password-reset",
  operationId: "requestPasswordReset",
  tags: ["email"],
  security: [],
  summary: "Ask for a password reset email",
  description:
    "Always 202 with the same body and in about the same time, whether or not a player verified the address; if one did, an email with a token (valid once, for 30 minutes) is on its way. " +
    "Limited per address (429 with Retry-After, for known and unknown addresses alike).",
  request: jsonBody(PasswordResetRequestSchema),
  responses: { 202: json(PasswordResetAcceptedSchema, "Accepted"), ...errors(400, 413, 415, 429, 503) },
});

const confirmReset = createRoute({
  method: "post",
  path: EMAIL_LINKS.reset,
  operationId: "confirmPasswordReset",
  tags: ["email"],
  security: [],
  summary: "Set a new password with the emailed token",
  description: "Signs in with the new password. Every token issued before the reset is refused from then on (401), and the old password no longer works.",
  request: jsonBody(PasswordResetConfirmSchema),
  responses: { 200: json(AuthResultSchema, "The player and a new token"), ...errors(400, 413, 415, 503) },
});

const resetPage = createRoute({
  method: "get",
  path: EMAIL_LINKS.reset,
  operationId: "openPasswordResetPage",
  tags: ["email"],
  security: [],
  summary: "The page a reset email links to",
  request: { query: LinkTokenQuerySchema },
  responses: { 200: html, ...errors(400) },
});

const notifications = createRoute({
  method: "put",
  path: "/v1/me/notifications",
  operationId: "setNotifications",
  tags: ["email"],
  summary: "Opt in or out of death notifications and the daily summary",
  description: "Both are off until turned on; they are sent only to a verified address. Leaving one out keeps it as it is.",
  security,
  request: jsonBody(NotificationsSchema),
  responses: { 200: json(NotificationSettingsSchema, "The opt-ins now"), ...errors(400, 401, 413, 415, 503) },
});

const unsubscribeRoute = createRoute({
  method: "post",
  path: EMAIL_LINKS.unsubscribe,
  operationId: "unsubscribe",
  tags: ["email"],
  security: [],
  summary: "One-click unsubscribe (RFC 8058)",
  description:
    "The target of every notification's `List-Unsubscribe` header (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`). Takes any body, as mail clients send a form; " +
    "the token names the player and the notification. 400 `invalid_token` for a token this server did not make.",
  request: { query: UnsubscribeQuerySchema },
  responses: { 200: json(UnsubscribedSchema, "Unsubscribed"), ...errors(400, 413, 503) },
});

const unsubscribePage = createRoute({
  method: "get",
  path: EMAIL_LINKS.unsubscribe,
  operationId: "openUnsubscribePage",
  tags: ["email"],
  security: [],
  summary: "The page the unsubscribe link in a notification opens",
  request: { query: LinkTokenQuerySchema },
  responses: { 200: html, ...errors(400) },
});

const RESET_ACCEPTED = { status: "accepted" as const, message: "If a player verified this address, an email with a reset link is on its way." };

export function registerEmailRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const { database, limits, producer, metrics, config, cache } = deps;
  const key = deps.email.key;

  const sending = () => {
    if (!deps.email.sending) throw new GameError("email_unavailable", "This server sends no email (it has no SMTP_URL).");
  };
  const newToken = (purpose: keyof typeof TOKEN_LIFETIME_S): { token: NewEmailToken } => {
    const seed = newTokenSeed();
    return { token: { seed, hash: tokenHash(tokenFromSeed(key, seed)), lifetimeS: TOKEN_LIFETIME_S[purpose] } };
  };
  /**
   * Queues a committed outbox row once the answer is on its way, so that a reset for a known
   * address is not slower than one for an unknown address; if Redis refuses, the sweeper queues it.
   */
  const queueEmail = (outboxId: number, log: AppEnv["Variables"]["log"]) => {
    setImmediate(() =>
      producer.email(outboxId).then(
        () => metrics.jobsEnqueued.inc({ queue: QUEUE.email, result: "ok" }),
        (err: Error) => {
          metrics.jobsEnqueued.inc({ queue: QUEUE.email, result: "failed" });
          log.debug({ err: err.message, outboxId }, "email left for the sweeper");
        },
      ),
    );
  };
  const page = (which: LandingPage) => () => {
    const { body, headers } = landingPage(which);
    return new Response(body, { status: 200, headers }) as never;
  };

  app.openapi(setEmail, async (c) => {
    sending();
    const { playerId } = c.get("caller");
    const { email } = c.req.valid("json");
    await limits.spendEmail("verify-player", String(playerId));
    await limits.spendEmail("verify-address", addressDigest(key, email));
    const stored = await setEmailAddress(database, playerId, email, newToken("verify").token);
    if (!stored) throw new GameError("unauthorized", "This player no longer exists.");
    await cache.invalidate({ players: [playerId] });
    if (stored.outboxId !== null) queueEmail(stored.outboxId, c.get("log"));
    return c.json({ email, emailVerified: stored.alreadyVerified }, 202);
  });

  app.openapi(verifyEmail, async (c) => {
    sending();
    const verified = await verifyEmailAddress(database, tokenHash(c.req.valid("json").token));
    if (!verified) throw new GameError("invalid_token", "This link is unknown, used or expired; ask for a new one.");
    await cache.invalidate({ players: [verified.playerId] });
    return c.json({ email: verified.email, emailVerified: true }, 200);
  });
  app.openapi(verifyPage, page("verify"));

  app.openapi(requestReset, async (c) => {
    sending();
    const { email } = c.req.valid("json");
    await limits.spendEmail("reset-address", addressDigest(key, email));
    const outboxId = await requestPasswordReset(database, email, newToken("reset").token, {
      perPlayer: config.EMAIL_LIMIT_PER_PLAYER,
      windowS: config.EMAIL_LIMIT_WINDOW_S,
    });
    if (outboxId !== null) queueEmail(outboxId, c.get("log"));
    return c.json(RESET_ACCEPTED, 202);
  });

  app.openapi(confirmReset, async (c) => {
    sending();
    const { token, password } = c.req.valid("json");
    const passwordHash = await hashPassword(password);
    const resetAt = Date.now();
    const reset = await confirmPasswordReset(database, tokenHash(token), passwordHash, new Date(resetAt));
    if (!reset) throw new GameError("invalid_token", "This link is unknown, used or expired; ask for a new one.");
    await deps.revocations.revoke(reset.playerId, resetAt);
    await cache.invalidate({ players: [reset.playerId] });
    await limits.loginSucceeded(reset.username);
    const player = await getPlayerView(database, reset.playerId);
    if (!player) throw new GameError("invalid_token", "This player no longer exists.");
    return c.json({ ...(await deps.tokens.issue(player.id)), player }, 200);
  });
  app.openapi(resetPage, page("reset"));

  app.openapi(notifications, async (c) => {
    sending();
    const { playerId } = c.get("caller");
    const settings = await setNotifications(database, playerId, c.req.valid("json"));
    if (!settings) throw new GameError("unauthorized", "This player no longer exists.");
    await cache.invalidate({ players: [playerId] });
    return c.json(settings, 200);
  });

  app.openapi(unsubscribeRoute, async (c) => {
    const link = readUnsubscribeToken(key, c.req.valid("query").token);
    if (!link) throw new GameError("invalid_token", "This unsubscribe link is not valid.");
    const settings = await unsubscribe(database, link.playerId, link.list);
    await cache.invalidate({ players: [link.playerId] });
    // A deleted player gets no email either: the link has done its job.
    return c.json({ unsubscribed: link.list, notifications: settings ?? { death: false, dailySummary: false } }, 200);
  });
  app.openapi(unsubscribePage, page("unsubscribe"));
}
