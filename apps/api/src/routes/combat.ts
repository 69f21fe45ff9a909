import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { CombatActionRecorder, getCombatJob, getCombatView, startCombat } from "@echoes/db";
import { GameError, QUEUE, parseCombatJobId } from "@echoes/shared";
import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { invalidInput } from "../errors";
import { knownPlayer } from "../middleware/auth";
import { actionLimit } from "../middleware/guards";
import { isNull, sendJson } from "../respond";
import {
  AcceptedSchema,
  CombatActionSchema,
  CombatViewSchema,
  EngageSchema,
  EngagedSchema,
  IdempotencyKeySchema,
  JobSchema,
  errors,
  json,
  jsonBody,
} from "../schemas";

const security = [{ bearer: [] }];

const engage = createRoute({
  method: "post",
  path: "/v1/combat",
  operationId: "engageEnemy",
  tags: ["combat"],
  summary: "Engage an enemy here",
  description: "One fight per player and per enemy: 409 when someone else is fighting it, 422 when you already fight or it is elsewhere.",
  security,
  request: jsonBody(EngageSchema),
  responses: {
    201: json(EngagedSchema, "The fight started"),
    ...errors(400, 401, 404, 409, 413, 415, 422, 429, 503),
  },
});

const act = createRoute({
  method: "post",
  path: "/v1/combat/actions",
  operationId: "sendCombatAction",
  tags: ["combat"],
  summary: "Attack, use an item, or flee",
  description:
    "Recorded and queued for the combat worker: 202 with the job id and a Location header. The result arrives on /v1/events and at /v1/jobs/{id}. " +
    "One action per turn: 409 while the current turn is still being resolved. The same Idempotency-Key returns the first answer. " +
    "When the queue is unreachable the action is still accepted (recorded in PostgreSQL, `queued: false`) and applied once the queue is back.",
  security,
  request: jsonBody(CombatActionSchema),
  // Documented here, read by `idempotencyKey` (see there).
  parameters: [{ $ref: "#/components/parameters/IdempotencyKey" }],
  responses: { 202: json(AcceptedSchema, "Accepted"), ...errors(400, 401, 404, 409, 413, 415, 422, 429, 503) },
});

const ActHeaders = z.object({ "idempotency-key": IdempotencyKeySchema });

/**
 * The action's Idempotency-Key, or a 400 in the shape every refused input gets. The header is read
 * on its own: validating `request.headers` hands the validator every header, which copies them all
 * into a fetch `Headers` object on each action (3-4 % of the API's CPU under combat load).
 */
function idempotencyKey(c: Context<AppEnv>): string | undefined {
  const parsed = ActHeaders.safeParse({ "idempotency-key": c.req.header("idempotency-key") });
  if (!parsed.success) throw invalidInput(parsed.error, "header");
  return parsed.data["idempotency-key"];
}

const current = createRoute({
  method: "get",
  path: "/v1/combat",
  operationId: "getCombat",
  tags: ["combat"],
  summary: "The current fight (or the last one) and its turn log",
  security,
  responses: { 200: json(CombatViewSchema, "The fight"), ...errors(401, 404, 503) },
});

const job = createRoute({
  method: "get",
  path: "/v1/jobs/{id}",
  operationId: "getJob",
  tags: ["combat"],
  summary: "State and result of an accepted action",
  description: "Answered from PostgreSQL, so results stay readable after the queue forgot the job. Only the player who sent it may read it.",
  security,
  request: {
    params: z.object({
      id: z
        .string()
        .min(1)
        .max(64)
        .openapi({ param: { name: "id", in: "path" }, example: "combat-12-3" }),
    }),
  },
  responses: { 200: json(JobSchema, "The job"), ...errors(400, 401, 403, 404, 503) },
});

export function registerCombatRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  const { database, producer, cache, metrics, config } = deps;
  const recorder = new CombatActionRecorder(database, { size: config.COMBAT_ACCEPT_BATCH_SIZE, waitMs: 0, inFlight: config.COMBAT_ACCEPT_IN_FLIGHT });
  const limited = actionLimit(deps);
  const known = knownPlayer(deps);
  app.openAPIRegistry.registerParameter("IdempotencyKey", IdempotencyKeySchema);
  // Engaging reads the player row itself; the other routes check that the player still exists.
  app.use(engage.path, async (c, next) => (c.req.method === "POST" ? limited(c, next) : known(c, next)));
  // Accepting reads the player itself (in its one round trip), so it needs no separate check that the player exists.
  app.use(act.path, limited);
  app.use("/v1/jobs/*", known);

  app.openapi(engage, async (c) => {
    const { enemyId } = c.req.valid("json");
    const fight = await startCombat(database, c.get("caller").playerId, enemyId);
    await cache.invalidate({ locations: [fight.locationId], players: [c.get("caller").playerId] });
    return c.json({ combatId: fight.combatId, enemyId, turn: 1, enemy: fight.enemy }, 201);
  });

  app.openapi(act, async (c) => {
    const { playerId } = c.get("caller");
    const body = c.req.valid("json");
    const accepted = await recorder.accept(playerId, {
      action: body.action,
      itemId: body.itemId,
      idempotencyKey: idempotencyKey(c),
    });
    // The action is durable once recorded: when the queue cannot take it now, the sweeper queues it
    // later. The fight's cached view (which lists the action as queued) is dropped meanwhile. A
    // repeated request for an action already resolved queues nothing: BullMQ no longer holds its
    // job, and adding it again would only play it back and publish its result a second time.
    const [queued] = await Promise.all([
      accepted.resolved
        ? true
        : producer.combatTurn({ actionId: accepted.actionId, combatId: accepted.combatId, turn: accepted.turn, playerId }).then(
            () => {
              metrics.jobsEnqueued.inc({ queue: QUEUE.combat, result: "ok" });
              return true;
            },
            (err: Error) => {
              metrics.jobsEnqueued.inc({ queue: QUEUE.combat, result: "failed" });
              c.get("log").warn({ err: err.message, jobId: accepted.jobId }, "combat turn recorded but not queued; the sweeper will queue it");
              return false;
            },
          ),
      accepted.created ? cache.invalidate({ players: [playerId] }) : undefined,
    ]);
    return c.json({ jobId: accepted.jobId, turn: accepted.turn, queued }, 202, { Location: `/v1/jobs/${accepted.jobId}` });
  });

  app.openapi(current, async (c) => {
    const { playerId } = c.get("caller");
    // "null" (never fought) is cached too, so that asking again costs nothing until the first fight.
    const body = await cache.playerDoc(playerId, "combat", async () => JSON.stringify(await getCombatView(database, playerId)));
    if (body === null || isNull(body)) throw new GameError("not_found", "You have not fought anyone yet.");
    return sendJson(c, body);
  });

  app.openapi(job, async (c) => {
    const id = c.req.valid("param").id;
    const ref = parseCombatJobId(id);
    const record = ref ? await getCombatJob(database, ref.combatId, ref.turn) : null;
    if (!ref || !record) throw new GameError("not_found", "There is no such job.");
    if (record.playerId !== c.get("caller").playerId) throw new GameError("forbidden", "That job belongs to another player.");
    let state: "queued" | "active" | "completed" | "failed" = record.state;
    if (state === "queued") {
      const queued = await producer.state(QUEUE.combat, id).catch(() => null);
      if (queued === "active") state = "active";
    }
    return c.json(
      {
        id,
        state,
        ...(record.result === undefined ? {} : { result: record.result as z.infer<typeof JobSchema>["result"] }),
        acceptedAt: record.acceptedAt,
        completedAt: record.completedAt,
      },
      200,
    );
  });
}
