import { type OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { ServerResponse } from "node:http";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { GameError } from "@echoes/shared";
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
    "and carrying a CombatTurnEvent as JSON. A comment line every 15 s keeps proxies from closing an idle stream. " +
    "A client that stops reading while more than 1 MiB waits for it is disconnected; it reconnects, or polls /v1/jobs/{id}.",
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

/** Most bytes a stream may hold unsent for a client that does not read; past it the stream ends, and the client polls or reconnects. */
const MAX_BUFFERED_BYTES = 1 << 20;

/** One line of an event field: an event name or id that would break the framing is not sent. */
const FIELD = /^[^\r\n]*$/;

/**
 * A server-sent event stream written straight to Node's response: each event is one write of its
 * finished frame, with the event's JSON as it came from Redis. (Hono's streamSSE pipes every
 * event through web streams and builds each frame anew: at one event per combat action, web
 * streams alone were 5 % of the API's busy time.)
 */
class EventStream {
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly out: ServerResponse,
    headers: Record<string, string>,
  ) {
    out.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive", ...headers });
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), HEARTBEAT_MS);
    this.heartbeat.unref();
    out.once("close", () => clearInterval(this.heartbeat));
  }

  get open(): boolean {
    return !this.out.writableEnded && !this.out.destroyed;
  }

  /** Sends one event; `data` is JSON on one line. */
  send(event: string, id: string | undefined, data: string): void {
    if (!FIELD.test(event) || (id !== undefined && !FIELD.test(id)) || !FIELD.test(data)) return;
    this.write(`event: ${event}\n${id === undefined ? "" : `id: ${id}\n`}data: ${data}\n\n`);
  }

  end(): void {
    clearInterval(this.heartbeat);
    if (this.open) this.out.end();
  }

  private write(frame: string): void {
    if (!this.open) return;
    // Node keeps what the socket cannot take yet; a client that has stopped reading is let go.
    if (this.out.writableLength > MAX_BUFFERED_BYTES) {
      this.out.destroy();
      return;
    }
    this.out.write(frame);
  }
}

export function registerEventRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): void {
  app.openAPIRegistry.register("CombatTurnEvent", CombatTurnEventSchema);
  app.use(events.path, knownPlayer(deps));
  app.openapi(events, async (c) => {
    const { playerId } = c.get("caller");
    const out = c.env.outgoing;
    const unavailable = new GameError("unavailable", "Live events are unavailable right now; poll /v1/jobs/{id}.");
    if (deps.redis.subscriber.status !== "ready" || !out) throw unavailable;
    const opened = performance.now();
    // Nothing is written until the subscription holds, so that a failure is still a 503. No event
    // can come before the stream below is made: Redis delivers in a later turn of the event loop.
    let stream: EventStream | undefined;
    const unsubscribe = await deps.events
      .subscribe(playerId, (event, json) => stream?.send(event.type, event.jobId, json))
      .catch(() => Promise.reject(unavailable));
    stream = new EventStream(out, { "X-Request-Id": c.get("requestId") });
    const stopClosing = deps.events.onClose(() => stream.end());
    const closed = () => {
      stopClosing();
      void unsubscribe();
      deps.metrics.eventStreams.observe((performance.now() - opened) / 1000);
    };
    if (stream.open) out.once("close", closed);
    else closed();
    stream.send("ready", undefined, JSON.stringify({ playerId }));
    return RESPONSE_ALREADY_SENT as never;
  });
}
