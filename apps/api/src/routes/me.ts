import { type OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type PlayerDoc, deletePlayer, getInventory, getPlayerAccount, getPlayerStats } from "@echoes/db";
import { GameError } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { sendJson } from "../respond";
import { AccountSchema, InventorySchema, StatsSchema, errors, json } from "../schemas";

const security = [{ bearer: [] }];

const me = createRoute({
  method: "get",
  path: "/v1/me",
  operationId: "getPlayer",
  tags: ["player"],
  summary: "The player, with status effects, email address and notification opt-ins",
  security,
  responses: { 200: json(AccountSchema, "The player"), ...errors(401, 503) },
});

const forget = createRoute({
  method: "delete",
  path: "/v1/me",
  operationId: "deletePlayer",
  tags: ["player"],
  summary: "Delete the player and everything they own",
  description: "Their tokens stop working at once; their address and every email not yet sent to it are deleted with them.",
  security,
  responses: { 204: { description: "Deleted" }, ...errors(401, 503) },
});

const inventory = createRoute({
  method: "get",
  path: "/v1/me/inventory",
  operationId: "getInventory",
  tags: ["player"],
  summary: "The pack: items with definitions and weight",
  security,
  responses: { 200: json(InventorySchema, "The inventory"), ...errors(401, 503) },
});

const stats = createRoute({
  method: "get",
  path: "/v1/me/stats",
  operationId: "getStats",
  tags: ["player"],
  summary: "The player's statistics",
  description: "Counted by the statistics worker; `pendingEvents` says how many recent events it has not counted yet.",
  security,
  responses: { 200: json(StatsSchema, "The statistics"), ...errors(401, 503) },
});

const gone = () => new GameError("unauthorized", "This player no longer exists.");

export function registerMeRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const { database } = deps;

  /** One of the caller's documents, from the cache or built by `load` (null: the player is gone). */
  const doc = async (c: Context<AppEnv>, name: PlayerDoc, load: (playerId: number) => Promise<unknown>) => {
    const { playerId } = c.get("caller");
    const body = await deps.cache.playerDoc(playerId, name, async () => {
      const value = await load(playerId);
      return value === null ? null : JSON.stringify(value);
    });
    if (body === null) throw gone();
    return sendJson(c, body);
  };

  app.openapi(me, (c) => doc(c, "me", (playerId) => getPlayerAccount(database, playerId)));

  app.openapi(forget, async (c) => {
    const playerId = c.get("caller").playerId;
    const locationId = await deletePlayer(database, playerId);
    if (locationId === null) throw gone();
    await deps.cache.invalidate({ locations: [locationId], players: [playerId] });
    await deps.leaderboards.forget(playerId).catch((err: Error) => c.get("log").warn({ err: err.message }, "leaderboard cleanup deferred"));
    return c.body(null, 204);
  });

  app.openapi(inventory, (c) => doc(c, "inventory", (playerId) => getInventory(database, playerId)));

  app.openapi(stats, (c) => doc(c, "stats", (playerId) => getPlayerStats(database, playerId)));
}
