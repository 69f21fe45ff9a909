// Every call the web client makes to the game server, in one place, through the client generated
// from the game's OpenAPI document: a change to the contract that breaks the page breaks its build.
import { GameClient, type Schemas } from "@echoes/client";

export type StatusEffect = Schemas["StatusEffect"];
export type Player = Schemas["Player"];
export type AuthResult = Schemas["AuthResult"];
export type LocationView = Schemas["LocationView"];
export type Exit = LocationView["exits"][number];
export type GroundStack = LocationView["items"][number];
export type Enemy = LocationView["enemies"][number];
export type Inventory = Schemas["Inventory"];
export type PackItem = Inventory["items"][number];
export type Stats = Schemas["Stats"];
export type ItemDef = Schemas["Item"];
/** What a resolved combat turn tells the player (a completed job's result). */
export type TurnRecord = Schemas["TurnResult"];
export type Outcome = TurnRecord["outcome"];
/** A failed job's result. */
export type TurnFailure = Schemas["TurnFailure"];
export type Job = Schemas["Job"];
export type Combat = Schemas["Combat"];
export type Leaderboard = Schemas["Leaderboard"];
export type Board = Leaderboard["by"];
export type CombatAction = Schemas["CombatAction"];

/** An answer other than 2xx, in the error shape; status 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A refusal as an ApiError, from the answer and its error body (already read by the client). */
function failure(res: Response, body: unknown): ApiError {
  const retry = Number(res.headers.get("retry-after"));
  const retryAfterS = Number.isFinite(retry) && retry > 0 ? retry : null;
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  const code = typeof error?.code === "string" ? error.code : "unknown";
  const message = typeof error?.message === "string" ? error.message : `The server answered ${res.status}.`;
  return new ApiError(res.status, code, message, retryAfterS);
}

/** What openapi-fetch gives back for one call. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The game server's HTTP API for one player (or for nobody, before signing in). */
export class GameApi {
  /** Called when the server refuses the token (401): the session is over. */
  onUnauthorized: () => void = () => undefined;
  private readonly client: GameClient;

  constructor(token: string | null = null, base = location.origin) {
    this.client = new GameClient({ baseUrl: base, token });
  }

  /** Waits for a typed call; a refusal becomes an ApiError, an unreachable server one with status 0. */
  private async call<T>(answer: Promise<Answer<T>>): Promise<T> {
    let done: Answer<T>;
    try {
      done = await answer;
    } catch {
      throw new ApiError(0, "unreachable", "The game server cannot be reached. Check the connection and try again.");
    }
    if (!done.response.ok) {
      const error = failure(done.response, done.error);
      if (error.status === 401 && this.client.token) this.onUnauthorized();
      throw error;
    }
    return done.data as T;
  }

  signUp(username: string, password: string): Promise<AuthResult> {
    return this.call(this.client.api.POST("/v1/auth/register", { body: { username, password } }));
  }

  signIn(username: string, password: string): Promise<AuthResult> {
    return this.call(this.client.api.POST("/v1/auth/login", { body: { username, password } }));
  }

  signInWithTelegram(initData: string): Promise<AuthResult> {
    return this.call(this.client.api.POST("/v1/auth/telegram", { body: { initData } }));
  }

  me(): Promise<Player> {
    return this.call(this.client.api.GET("/v1/me"));
  }

  inventory(): Promise<Inventory> {
    return this.call(this.client.api.GET("/v1/me/inventory"));
  }

  stats(): Promise<Stats> {
    return this.call(this.client.api.GET("/v1/me/stats"));
  }

  location(): Promise<LocationView> {
    return this.call(this.client.api.GET("/v1/location"));
  }

  items(): Promise<{ items: ItemDef[] }> {
    return this.call(this.client.api.GET("/v1/items"));
  }

  move(direction: Exit["direction"]): Promise<Schemas["Moved"]> {
    return this.call(this.client.api.POST("/v1/move", { body: { direction } }));
  }

  pickUp(stackIds: number[]): Promise<Schemas["PickedUp"]> {
    return this.call(this.client.api.POST("/v1/pickup", { body: { items: stackIds.map((id) => ({ id })) } }));
  }

  drop(itemId: string, quantity: number): Promise<Schemas["Dropped"]> {
    return this.call(this.client.api.POST("/v1/drop", { body: { items: [{ itemId, quantity }] } }));
  }

  use(itemId: string): Promise<Schemas["Used"]> {
    return this.call(this.client.api.POST("/v1/use", { body: { itemId } }));
  }

  engage(enemyId: number): Promise<Schemas["Engaged"]> {
    return this.call(this.client.api.POST("/v1/combat", { body: { enemyId } }));
  }

  /** Sends this turn's action; the same key on a retry returns the first answer instead of acting twice. */
  act(action: CombatAction, idempotencyKey: string): Promise<Schemas["Accepted"]> {
    return this.call(this.client.api.POST("/v1/combat/actions", { body: action, params: { header: { "idempotency-key": idempotencyKey } } }));
  }

  combat(): Promise<Combat> {
    return this.call(this.client.api.GET("/v1/combat"));
  }

  job(id: string): Promise<Job> {
    return this.call(this.client.api.GET("/v1/jobs/{id}", { params: { path: { id } } }));
  }

  leaderboard(by: Board): Promise<Leaderboard> {
    return this.call(this.client.api.GET("/v1/leaderboard", { params: { query: { by, limit: 10 } } }));
  }

  /**
   * Opens the player's event stream, as bytes for the caller to parse as it reconnects and falls
   * back to polling. A fetch rather than an EventSource, because only fetch can send the token
   * in a header: a token in the URL would end up in logs.
   */
  async events(signal: AbortSignal): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    let answer: Awaited<ReturnType<GameClient["api"]["GET"]>>;
    try {
      answer = await this.client.api.GET("/v1/events", { parseAs: "stream", signal, cache: "no-store", headers: { accept: "text/event-stream" } });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new ApiError(0, "unreachable", "The game server cannot be reached. Check the connection and try again.");
    }
    const { response } = answer;
    if (!response.ok || !response.body) {
      const error = failure(response, await response.json().catch(() => null));
      if (error.status === 401) this.onUnauthorized();
      throw error;
    }
    return response.body as ReadableStream<Uint8Array<ArrayBuffer>>;
  }
}
