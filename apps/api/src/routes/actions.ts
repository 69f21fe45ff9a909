import { type OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { conditionGuesses, dropItems, movePlayer, pickUpItems, useItem } from "@echoes/db";
import { QUEUE } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { actionLimit } from "../middleware/guards";
import { DropSchema, DroppedSchema, MoveSchema, MovedSchema, PickedUpSchema, PickupSchema, UseSchema, UsedSchema, errors, json, jsonBody } from "../schemas";

const security = [{ bearer: [] }];
const refusals = errors(400, 401, 409, 413, 415, 422, 429, 503);

const move = createRoute({
  method: "post",
  path: "/v1/move",
  operationId: "move",
  tags: ["actions"],
  summary: "Go through an exit",
  description: "Costs the exit's stamina. Refused (422) when dead, in a fight, without the stamina, or where there is no such exit.",
  security,
  request: jsonBody(MoveSchema),
  responses: {
    200: json(MovedSchema, "Moved"),
    ...refusals,
  },
});

const pickup = createRoute({
  method: "post",
  path: "/v1/pickup",
  operationId: "pickUpItems",
  tags: ["actions"],
  summary: "Pick up stacks from the ground",
  description:
    "All or nothing, in one transaction. `quantity` defaults to the whole stack. 409 when someone took a stack first; 422 when it would be too heavy.",
  security,
  request: jsonBody(PickupSchema),
  responses: {
    200: json(PickedUpSchema, "Picked up"),
    ...errors(400, 401, 404, 409, 413, 415, 422, 429, 503),
  },
});

const drop = createRoute({
  method: "post",
  path: "/v1/drop",
  operationId: "dropItems",
  tags: ["actions"],
  summary: "Drop items from the pack",
  description: "Each entry becomes a stack on the ground here, in one transaction.",
  security,
  request: jsonBody(DropSchema),
  responses: {
    200: json(DroppedSchema, "Dropped"),
    ...errors(400, 401, 404, 413, 415, 422, 429, 503),
  },
});

const use = createRoute({
  method: "post",
  path: "/v1/use",
  operationId: "useItem",
  tags: ["actions"],
  summary: "Use an item: eat, drink, patch up, or equip a weapon or armour",
  security,
  request: jsonBody(UseSchema),
  responses: {
    200: json(UsedSchema, "Used"),
    ...errors(400, 401, 404, 413, 415, 422, 429, 503),
  },
});

export function registerActionRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const { database, cache, producer, metrics } = deps;
  const limited = actionLimit(deps);
  const guesses = conditionGuesses();

  /** Hands a recorded statistics event to the workers; if Redis refuses, the sweeper will. */
  const countLater = (eventKey: string | undefined, log: AppEnv["Variables"]["log"]) => {
    if (!eventKey) return;
    producer.stats(eventKey).then(
      () => metrics.jobsEnqueued.inc({ queue: QUEUE.stats, result: "ok" }),
      (err: Error) => {
        metrics.jobsEnqueued.inc({ queue: QUEUE.stats, result: "failed" });
        log.debug({ err: err.message, eventKey }, "statistics event left for the sweeper");
      },
    );
  };

  for (const route of [move, pickup, drop, use]) app.use(route.path, limited);

  app.openapi(move, async (c) => {
    const { playerId } = c.get("caller");
    const moved = await movePlayer(database, playerId, c.req.valid("json").direction);
    await cache.invalidate({ locations: [moved.from, moved.to], players: [playerId] });
    countLater(moved.eventKey, c.get("log"));
    return c.json({ from: moved.from, to: moved.to, staminaCost: moved.staminaCost, stamina: moved.stamina }, 200);
  });

  app.openapi(pickup, async (c) => {
    const picked = await pickUpItems(database, c.get("caller").playerId, c.req.valid("json").items);
    await cache.invalidate({ locations: [picked.locationId], players: [c.get("caller").playerId] });
    countLater(picked.eventKey, c.get("log"));
    return c.json({ items: picked.items }, 200);
  });

  app.openapi(drop, async (c) => {
    const dropped = await dropItems(database, c.get("caller").playerId, c.req.valid("json").items);
    await cache.invalidate({ locations: [dropped.locationId], players: [c.get("caller").playerId] });
    return c.json({ stacks: dropped.stacks }, 200);
  });

  app.openapi(use, async (c) => {
    const { playerId } = c.get("caller");
    const used = await useItem(database, guesses, playerId, c.req.valid("json").itemId);
    await cache.invalidate({ players: [playerId] });
    return c.json(used, 200);
  });
}
