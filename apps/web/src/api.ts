// Every call the web client makes to the game server, in one place. The shapes are the HTTP
// contract's (PRODUCT.md, /openapi.json); only the fields the page reads are declared.

export interface StatusEffect {
  id: string;
  name: string;
  remainingTicks: number;
}

export interface Player {
  id: number;
  username: string;
  hp: number;
  maxHp: number;
  stamina: number;
  maxStamina: number;
  level: number;
  xp: number;
  locationId: string;
  inCombat: boolean;
  alive: boolean;
  statusEffects: StatusEffect[];
}

export interface AuthResult {
  token: string;
  player: Player;
}

export interface Exit {
  direction: string;
  to: string;
  toName: string;
  staminaCost: number;
}

export interface GroundStack {
  id: number;
  itemId: string;
  name: string;
  quantity: number;
}

export interface Enemy {
  id: number;
  enemyTypeId: string;
  name: string;
  hp: number;
  maxHp: number;
  inCombat: boolean;
}

export interface LocationView {
  location: { id: string; name: string; description: string; dangerLevel: number };
  exits: Exit[];
  items: GroundStack[];
  enemies: Enemy[];
  players: { id: number; username: string }[];
}

export interface PackItem {
  itemId: string;
  name: string;
  kind: string;
  quantity: number;
  weight: number;
  equipped: boolean;
}

export interface Inventory {
  items: PackItem[];
  totalWeight: number;
  maxWeight: number;
}

export interface Stats {
  kills: number;
  deaths: number;
  damageDealt: number;
  damageTaken: number;
  itemsLooted: number;
  distanceTravelled: number;
  xpGained: number;
  levelUps: number;
  fightsFled: number;
  pendingEvents: number;
}

export interface ItemDef {
  id: string;
  name: string;
  kind: string;
  description: string;
  imageUrl: string | null;
}

export type Outcome = "ongoing" | "won" | "lost" | "fled" | "void";

/** What a resolved combat turn tells the player (a completed job's result). */
export interface TurnRecord {
  turn: number;
  action: string;
  outcome: Outcome;
  events: { actor: "player" | "enemy"; kind: string; text: string }[];
  player: { hp: number; maxHp: number; stamina: number };
  enemy: { name: string; hp: number; maxHp: number };
  xpGained: number;
}

/** A failed job's result. */
export interface TurnFailure {
  error: string;
  message: string;
}

export interface Job {
  id: string;
  state: "queued" | "active" | "completed" | "failed";
  result?: TurnRecord | TurnFailure;
}

export interface Combat {
  id: number;
  status: "active" | "won" | "lost" | "fled";
  turn: number;
  enemy: { id: number | null; name: string; hp: number | null; maxHp: number | null };
  log: { turn: number; jobId: string; action: string; state: string; result: TurnRecord | TurnFailure | null }[];
}

export type Board = "kills" | "xp" | "level";

export interface Leaderboard {
  by: Board;
  entries: { rank: number; playerId: number; username: string; value: number }[];
}

export type CombatAction = { action: "attack" } | { action: "flee" } | { action: "use"; itemId: string };

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

async function failure(res: Response): Promise<ApiError> {
  const retry = Number(res.headers.get("retry-after"));
  const retryAfterS = Number.isFinite(retry) && retry > 0 ? retry : null;
  const body = (await res.json().catch(() => null)) as { error?: { code?: unknown; message?: unknown } } | null;
  const code = typeof body?.error?.code === "string" ? body.error.code : "unknown";
  const message = typeof body?.error?.message === "string" ? body.error.message : `The server answered ${res.status}.`;
  return new ApiError(res.status, code, message, retryAfterS);
}

/** The game server's HTTP API for one player (or for nobody, before signing in). */
export class GameApi {
  /** Called when the server refuses the token (401): the session is over. */
  onUnauthorized: () => void = () => undefined;

  constructor(
    private token: string | null = null,
    private readonly base = "",
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: this.headers(body === undefined ? headers : { "content-type": "application/json", ...headers }),
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, "unreachable", "The game server cannot be reached. Check the connection and try again.");
    }
    if (!res.ok) {
      const error = await failure(res);
      if (error.status === 401 && this.token) this.onUnauthorized();
      throw error;
    }
    return (res.status === 204 ? null : await res.json()) as T;
  }

  signUp(username: string, password: string): Promise<AuthResult> {
    return this.call("POST", "/v1/auth/register", { username, password });
  }

  signIn(username: string, password: string): Promise<AuthResult> {
    return this.call("POST", "/v1/auth/login", { username, password });
  }

  signInWithTelegram(initData: string): Promise<AuthResult> {
    return this.call("POST", "/v1/auth/telegram", { initData });
  }

  me(): Promise<Player> {
    return this.call("GET", "/v1/me");
  }

  inventory(): Promise<Inventory> {
    return this.call("GET", "/v1/me/inventory");
  }

  stats(): Promise<Stats> {
    return this.call("GET", "/v1/me/stats");
  }

  location(): Promise<LocationView> {
    return this.call("GET", "/v1/location");
  }

  items(): Promise<{ items: ItemDef[] }> {
    return this.call("GET", "/v1/items");
  }

  move(direction: string): Promise<{ to: string; stamina: number }> {
    return this.call("POST", "/v1/move", { direction });
  }

  pickUp(stackIds: number[]): Promise<{ items: { itemId: string; quantity: number }[] }> {
    return this.call("POST", "/v1/pickup", { items: stackIds.map((id) => ({ id })) });
  }

  drop(itemId: string, quantity: number): Promise<unknown> {
    return this.call("POST", "/v1/drop", { items: [{ itemId, quantity }] });
  }

  use(itemId: string): Promise<{ effect: "consumed" | "equipped" }> {
    return this.call("POST", "/v1/use", { itemId });
  }

  engage(enemyId: number): Promise<{ combatId: number }> {
    return this.call("POST", "/v1/combat", { enemyId });
  }

  /** Sends this turn's action; the same key on a retry returns the first answer instead of acting twice. */
  act(action: CombatAction, idempotencyKey: string): Promise<{ jobId: string; turn: number }> {
    return this.call("POST", "/v1/combat/actions", action, { "idempotency-key": idempotencyKey });
  }

  combat(): Promise<Combat> {
    return this.call("GET", "/v1/combat");
  }

  job(id: string): Promise<Job> {
    return this.call("GET", `/v1/jobs/${encodeURIComponent(id)}`);
  }

  leaderboard(by: Board): Promise<Leaderboard> {
    return this.call("GET", `/v1/leaderboard?by=${by}&limit=10`);
  }

  /**
   * Opens the player's event stream. A fetch rather than an EventSource, because only fetch can
   * send the token in a header: a token in the URL would end up in logs.
   */
  async events(signal: AbortSignal): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    const res = await fetch(`${this.base}/v1/events`, { headers: this.headers({ accept: "text/event-stream" }), signal, cache: "no-store" });
    if (!res.ok || !res.body) {
      const error = await failure(res);
      if (error.status === 401) this.onUnauthorized();
      throw error;
    }
    return res.body;
  }
}
