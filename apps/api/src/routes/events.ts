import { type OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { GameError, type PlayerEvent } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";
import { knownPlayer } from "../middleware/auth";
import { CombatTurnEventSchema, errors } from "../schemas";

/** A comment line keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

const events = createRoute({
  method: "get",
  path: "/v1/events",
  operationId: "streamEvents",
  tags: ["combat"],
  summary: "Server-sent events: this player's job results as they happen",
  description:
    "A `ready` event first (`{playerId}`), then one event per job result, named after its type (`combat-turn`, with the job id as the event id) " +
    "and carrying a CombatTurnEvent as JSON. A comment line every 15 s keeps proxies from closing an idle stream.",
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: "An event stream",
      content: {
        "text/event-stream": {
          schema: {
            type: "string",
            description: "Server-sent events; the `data` of each `combat-turn` event is a CombatTurnEvent",
            contentSchema: { $ref: "#/components/schemas/CombatTurnEvent" },
          },
        },
      },
    },
    ...errors(401, 503),
  },
});

export function registerEventRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openAPIRegistry.register("CombatTurnEvent", CombatTurnEventSchema);
  app.use(events.path, knownPlayer(deps));
  app.openapi(events, async (c) => {
    const { playerId } = c.get("caller");
    if (deps.redis.subscriber.status !== "ready") throw new GameError("unavailable", "Live events are unavailable right now; poll /v1/jobs/{id}.");
    const opened = performance.now();
    return streamSSE(c, async (stream) => {
      const queue: PlayerEvent[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = await deps.events.subscribe(playerId, (event) => {
        queue.push(event);
        wake?.();
      });
      let ended = false;
      const stopClosing = deps.events.onClose(() => {
        ended = true;
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        await stream.writeSSE({ event: "ready", data: JSON.stringify({ playerId }) });
        while (!ended && !stream.aborted && !stream.closed) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: event.type, id: event.jobId, data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, HEARTBEAT_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          if (queue.length === 0 && !ended && !stream.aborted) await stream.write(": keep-alive\n\n");
        }
      } finally {
        stopClosing();
        await unsubscribe();
        deps.metrics.eventStreams.observe((performance.now() - opened) / 1000);
      }
    }) as never;
  });
}
