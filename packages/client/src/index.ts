import { EventSourceParserStream } from "eventsource-parser/stream";
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, operations, paths } from "./openapi";

export type { components, operations, paths };
export type Schemas = components["schemas"];
export type AuthResult = Schemas["AuthResult"];
export type Player = Schemas["Player"];
export type LocationView = Schemas["LocationView"];
export type Inventory = Schemas["Inventory"];
export type Job = Schemas["Job"];
export type TurnResult = Schemas["TurnResult"];
export type CombatTurnEvent = Schemas["CombatTurnEvent"];

/** The error body of every non-2xx answer. */
export interface ErrorBody {
  error: { code: string; message: string; requestId?: string; details?: Schemas["ErrorDetails"] };
}

/** What `/v1/events` sends: `ready` once the stream is open, then one `combat-turn` per job result. */
export type GameEvent = { event: "ready"; data: { playerId: number } } | { event: "combat-turn"; id: string; data: CombatTurnEvent };

/** Thrown by the helpers below when the API refuses; carries the status and the error body. */
export class GameApiError extends Error {
  override name = "GameApiError";
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body ? `${status} ${body.error.code}: ${body.error.message}` : `the API answered ${status}`);
  }
}

export interface GameClientOptions {
  /** Where the API is, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** A bearer token from an earlier sign-in. */
  token?: string | null;
  /** The fetch to send requests with (default: the global one). */
  fetch?: ClientOptions["fetch"];
  /** The Request class requests are built with (default: the global one), for a transport of its own. */
  Request?: ClientOptions["Request"];
}

/**
 * A typed client of the game's HTTP API: `api` is an openapi-fetch client over the generated
 * `paths` (`api.GET("/v1/location")`), and it sends the bearer token once signed in.
 *
 * @example
 * const game = new GameClient({ baseUrl: "http://localhost:3000" });
 * await game.register("ash_walker", "correct horse battery");
 * const { data } = await game.api.GET("/v1/location");
 */
export class GameClient {
  readonly api: Client<paths>;
  token: string | null;

  constructor(options: GameClientOptions) {
    this.token = options.token ?? null;
    this.api = createClient<paths>({
      baseUrl: options.baseUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.Request ? { Request: options.Request } : {}),
    });
    this.api.use({
      onRequest: ({ request }) => {
        if (this.token && !request.headers.has("authorization")) request.headers.set("authorization", `Bearer ${this.token}`);
        return request;
      },
    });
  }

  /** Creates a player and signs in as them. */
  register(username: string, password: string): Promise<AuthResult> {
    return this.signIn(this.api.POST("/v1/auth/register", { body: { username, password } }));
  }

  /** Signs in with a username and password. */
  logIn(username: string, password: string): Promise<AuthResult> {
    return this.signIn(this.api.POST("/v1/auth/login", { body: { username, password } }));
  }

  /** Signs in from the Telegram Web App with its `initData`. */
  logInWithTelegram(initData: string): Promise<AuthResult> {
    return this.signIn(this.api.POST("/v1/auth/telegram", { body: { initData } }));
  }

  private async signIn(answer: Promise<{ data?: AuthResult; error?: unknown; response: Response }>): Promise<AuthResult> {
    const { data, error, response } = await answer;
    if (!data) throw new GameApiError(response.status, (error as ErrorBody | undefined) ?? null);
    this.token = data.token;
    return data;
  }

  /**
   * The player's event stream, parsed: yields each event as it arrives until the stream ends or
   * `signal` aborts. Uses fetch rather than EventSource, which cannot send the bearer token.
   */
  async *events(signal?: AbortSignal): AsyncGenerator<GameEvent> {
    const { response, error } = await this.api.GET("/v1/events", { parseAs: "stream", ...(signal ? { signal } : {}) });
    if (!response.ok || !response.body) throw new GameApiError(response.status, (error as ErrorBody | undefined) ?? null);
    const messages = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    for await (const message of messages) {
      if (message.event === "ready") yield { event: "ready", data: JSON.parse(message.data) };
      else if (message.event === "combat-turn") yield { event: "combat-turn", id: message.id ?? "", data: JSON.parse(message.data) };
    }
  }
}
