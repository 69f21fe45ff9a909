import { createHash } from "node:crypto";
import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getLocationView, getLocationViewForPlayer } from "@echoes/db";
import { GameError, type ItemDef, LOCATIONS, WORLD } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { knownPlayer } from "../middleware/auth";
import { sendJson } from "../respond";
import type { AssetCatalogue } from "./assets";
import { EnemyTypeListSchema, EnemyTypeSchema, ItemListSchema, ItemSchema, LocationSchema, LocationViewSchema, errors, json } from "../schemas";

const security = [{ bearer: [] }];

/** A pre-serialized static document with its validator. */
interface Static {
  body: string;
  etag: string;
}

function staticDoc(value: unknown): Static {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
}

/** World data changes only with a release: let clients and proxies keep it and revalidate with the ETag. */
const STATIC_CACHE = "public, max-age=3600, stale-while-revalidate=86400";

function sendStatic(c: Context<AppEnv>, doc: Static): Response {
  const headers = { ETag: doc.etag, "Cache-Control": STATIC_CACHE, Vary: "Accept-Encoding" };
  const match = c.req.header("if-none-match");
  if (match?.split(",").some((t) => t.trim().replace(/^W\//, "") === doc.etag)) return c.body(null, 304, headers);
  return c.body(doc.body, 200, { ...headers, "Content-Type": "application/json" });
}

const LOCATION_DOCS = new Map(
  WORLD.locations.map((l) => [l.id, staticDoc({ ...l, exits: l.exits.map((x) => ({ ...x, toName: LOCATIONS.get(x.to)?.name ?? x.to })) })]),
);

const ENEMY_TYPES_DOC = staticDoc({ enemyTypes: WORLD.enemyTypes });
const ENEMY_TYPE_DOCS = new Map(WORLD.enemyTypes.map((e) => [e.id, staticDoc(e)]));

const notModified = { 304: { description: "Not modified: the copy named by If-None-Match is current" } };
const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "cinderhold-square" }),
});

const location = createRoute({
  method: "get",
  path: "/v1/location",
  operationId: "getLocation",
  tags: ["world"],
  summary: "Where the player stands: exits, items on the ground, enemies, players",
  description: "Served from Redis (5 s) and rebuilt in one database round trip on a miss. A player always sees their own writes.",
  security,
  responses: { 200: json(LocationViewSchema, "The location view"), ...errors(401, 503) },
});

const locationById = createRoute({
  method: "get",
  path: "/v1/locations/{id}",
  operationId: "getLocationDefinition",
  tags: ["world"],
  summary: "A location's static description and exits",
  security,
  request: { params: idParam },
  responses: { 200: json(LocationSchema, "The location"), ...notModified, ...errors(400, 401, 404, 503) },
});

const items = createRoute({
  method: "get",
  path: "/v1/items",
  operationId: "listItems",
  tags: ["world"],
  summary: "Every item definition",
  security,
  responses: { 200: json(ItemListSchema, "All items"), ...notModified, ...errors(401, 503) },
});

const item = createRoute({
  method: "get",
  path: "/v1/items/{id}",
  operationId: "getItem",
  tags: ["world"],
  summary: "One item definition",
  security,
  request: { params: idParam },
  responses: { 200: json(ItemSchema, "The item"), ...notModified, ...errors(400, 401, 404, 503) },
});

const enemyTypes = createRoute({
  method: "get",
  path: "/v1/enemy-types",
  operationId: "listEnemyTypes",
  tags: ["world"],
  summary: "Every enemy type: blows, defences and loot tables",
  security,
  responses: { 200: json(EnemyTypeListSchema, "All enemy types"), ...notModified, ...errors(401, 503) },
});

const enemyType = createRoute({
  method: "get",
  path: "/v1/enemy-types/{id}",
  operationId: "getEnemyType",
  tags: ["world"],
  summary: "One enemy type, as named by `enemyTypeId` in a location view or a fight",
  security,
  request: { params: idParam },
  responses: { 200: json(EnemyTypeSchema, "The enemy type"), ...notModified, ...errors(400, 401, 404, 503) },
});

export function registerWorldRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, assets: AssetCatalogue): void {
  const { database, cache } = deps;
  // Item definitions with the URL of their picture (its own, or its kind's).
  const withImage = (item: ItemDef) => ({ ...item, imageUrl: assets.url(`items/${item.image ?? `${item.kind}.svg`}`) });
  const ITEMS_DOC = staticDoc({ items: WORLD.items.map(withImage) });
  const ITEM_DOCS = new Map(WORLD.items.map((i) => [i.id, staticDoc(withImage(i))]));
  const known = knownPlayer(deps);

  app.openapi(location, async (c) => {
    const { playerId } = c.get("caller");
    const here = await cache.playerView(
      playerId,
      () => getLocationViewForPlayer(database, database.primary, playerId),
      (locationId, fromPrimary) => getLocationView(database, fromPrimary ? database.primary : database.replica, locationId),
    );
    if (here === null) throw new GameError("unauthorized", "This player no longer exists.");
    return sendJson(c, here.view);
  });

  app.use("/v1/locations/*", known);
  app.openapi(locationById, (c) => {
    const doc = LOCATION_DOCS.get(c.req.valid("param").id);
    if (!doc) throw new GameError("not_found", "There is no such location.");
    return sendStatic(c, doc) as never;
  });

  app.use("/v1/items", known);
  app.use("/v1/items/*", known);
  app.openapi(items, (c) => sendStatic(c, ITEMS_DOC) as never);
  app.openapi(item, (c) => {
    const doc = ITEM_DOCS.get(c.req.valid("param").id);
    if (!doc) throw new GameError("not_found", "There is no such item.");
    return sendStatic(c, doc) as never;
  });

  app.use("/v1/enemy-types", known);
  app.use("/v1/enemy-types/*", known);
  app.openapi(enemyTypes, (c) => sendStatic(c, ENEMY_TYPES_DOC) as never);
  app.openapi(enemyType, (c) => {
    const doc = ENEMY_TYPE_DOCS.get(c.req.valid("param").id);
    if (!doc) throw new GameError("not_found", "There is no such enemy type.");
    return sendStatic(c, doc) as never;
  });
}
