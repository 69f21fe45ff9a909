import { type OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { createPlayer, findCredentials, findOrCreateTelegramPlayer, getPlayerView } from "@echoes/db";
import { GameError } from "@echoes/shared";
import { checkPassword, hashPassword } from "../auth/passwords";
import { verifyInitData } from "../auth/telegram";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { AuthResultSchema, CredentialsSchema, TelegramLoginSchema, errors, json, jsonBody } from "../schemas";

const register = createRoute({
  method: "post",
  path: "/v1/auth/register",
  operationId: "register",
  tags: ["auth"],
  summary: "Create a player and sign in",
  description: "Creates a player at Cinderhold with the starter kit equipped and returns a bearer token.",
  security: [],
  request: jsonBody(CredentialsSchema),
  responses: { 201: json(AuthResultSchema, "The new player and a token"), ...errors(400, 409, 413, 415, 503) },
});

const login = createRoute({
  method: "post",
  path: "/v1/auth/login",
  operationId: "logIn",
  tags: ["auth"],
  summary: "Sign in with username and password",
  description: "Repeated failures lock the username for a while (429 with Retry-After).",
  security: [],
  request: jsonBody(CredentialsSchema),
  responses: { 200: json(AuthResultSchema, "The player and a token"), ...errors(400, 401, 413, 415, 429, 503) },
});

const telegram = createRoute({
  method: "post",
  path: "/v1/auth/telegram",
  operationId: "logInWithTelegram",
  tags: ["auth"],
  summary: "Sign in from the Telegram Web App",
  description: "Checks `initData` with the bot token as Telegram documents it and creates the player on first login.",
  security: [],
  request: jsonBody(TelegramLoginSchema),
  responses: { 200: json(AuthResultSchema, "The player and a token"), ...errors(400, 401, 403, 413, 415, 503) },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const { database, tokens, limits, cache } = deps;

  app.openapi(register, async (c) => {
    const { username, password } = c.req.valid("json");
    const player = await createPlayer(database, { username, passwordHash: await hashPassword(password), telegramId: null });
    if (!player) throw new GameError("username_taken", `The name ${username} is taken.`);
    await cache.invalidate({ locations: [player.locationId], players: [player.id] });
    return c.json({ ...(await tokens.issue(player.id)), player }, 201);
  });

  app.openapi(login, async (c) => {
    const { username, password } = c.req.valid("json");
    await limits.beginLogin(username);
    const found = await findCredentials(database, username);
    if (!(await checkPassword(found?.passwordHash ?? null, password)) || !found) {
      throw new GameError("invalid_credentials", "Wrong username or password.");
    }
    await limits.loginSucceeded(username);
    const player = await getPlayerView(database, found.id);
    if (!player) throw new GameError("invalid_credentials", "Wrong username or password.");
    return c.json({ ...(await tokens.issue(player.id)), player }, 200);
  });

  app.openapi(telegram, async (c) => {
    const botToken = deps.config.TELEGRAM_BOT_TOKEN;
    if (!botToken) throw new GameError("telegram_disabled", "Telegram sign-in is not enabled on this server.");
    const user = verifyInitData(c.req.valid("json").initData, botToken, deps.config.TELEGRAM_AUTH_MAX_AGE_S);
    const player = await findOrCreateTelegramPlayer(database, user.id, user.username);
    await cache.invalidate({ locations: [player.locationId], players: [player.id] });
    return c.json({ ...(await tokens.issue(player.id)), player }, 200);
  });
}
