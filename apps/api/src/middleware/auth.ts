import type { MiddlewareHandler } from "hono";
import { getPlayerLocation } from "@echoes/db";
import { GameError } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/** Requires a valid bearer token and records the caller's player id. */
export function authenticate(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw new GameError("unauthorized", "Send a bearer token: Authorization: Bearer <token>.");
    const match = BEARER.exec(header);
    if (!match) throw new GameError("unauthorized", "The Authorization header must be a bearer token.");
    const playerId = await deps.tokens.verify(match[1]!);
    c.set("caller", { playerId });
    await next();
  };
}

/** Where a player stands, from the cache or the primary; null when the player no longer exists. */
export function locatePlayer(deps: ApiDeps, playerId: number): Promise<string | null> {
  return deps.cache.playerLocation(playerId, () => getPlayerLocation(deps.database, deps.database.primary, playerId));
}

/**
 * For routes that do not otherwise read the player row: checks that the token's player still
 * exists (a deleted player's token is refused) and records where they stand.
 */
export function knownPlayer(deps: ApiDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = c.get("caller");
    const locationId = await locatePlayer(deps, caller.playerId);
    if (locationId === null) throw new GameError("unauthorized", "This player no longer exists.");
    c.set("caller", { ...caller, locationId });
    await next();
  };
}
