import { randomBytes } from "node:crypto";
import type { GameClient, Inventory, LocationView } from "@echoes/client";
import { WORLD } from "@echoes/shared";
import type { LoadClient } from "./engine";

/** What one virtual player remembers between requests. */
export interface Player {
  token: string;
  view: LocationView | null;
  pack: Inventory["items"];
  inCombat: boolean;
  pendingJob: string | null;
}

/** The share of each kind of request in the mix; location views are the largest, as in the game. */
export const MIX = {
  location: 34,
  me: 10,
  inventory: 8,
  items: 7,
  leaderboard: 5,
  stats: 4,
  move: 9,
  pickup: 5,
  drop: 4,
  engage: 5,
  attack: 9,
} as const;
type Step = keyof typeof MIX;

/** Under load a stack or an enemy may be gone by the time a player reaches for it: a 404 there is a predicted refusal. */
export const PREDICTED: Record<string, readonly number[]> = { "POST /v1/pickup": [404], "POST /v1/combat": [404] };

const STEPS = Object.entries(MIX) as [Step, number][];
const TOTAL = STEPS.reduce((sum, [, w]) => sum + w, 0);
const ITEM_IDS = WORLD.items.map((i) => i.id);
const BOARDS = ["kills", "xp", "level"] as const;

function pickStep(): Step {
  let r = Math.random() * TOTAL;
  for (const [step, weight] of STEPS) {
    r -= weight;
    if (r < 0) return step;
  }
  return "location";
}

const any = <T>(list: readonly T[]): T | undefined => list[Math.floor(Math.random() * list.length)];

/** A virtual player who knows nothing yet but their token. */
export function newPlayer(token: string): Player {
  return { token, view: null, pack: [], inCombat: false, pendingJob: null };
}

/** A request that may get no answer (a timeout, a dropped connection): the client counted it; the player carries on. */
const answered = <T>(request: Promise<T>): Promise<T | null> => request.catch(() => null);

/** Signs up `count` players through the generated client, `parallel` at a time (sign-up hashes a password: slow on purpose). */
export async function signUp(client: LoadClient, count: number, parallel = 16): Promise<Player[]> {
  const players: Player[] = [];
  const tag = randomBytes(3).toString("hex");
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        try {
          const { token } = await client.game().register(`load_${tag}_${next++}`, "load test password");
          players.push(newPlayer(token));
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    }),
  );
  if (players.length < count) throw new Error(`only ${players.length} of ${count} players could sign up (${failures.slice(0, 5).join(", ")})`);
  return players;
}

/** One request of one player's turn at the mix. */
async function step(client: LoadClient, { api }: GameClient, p: Player): Promise<void> {
  if (p.pendingJob && Math.random() < 0.5) {
    const job = (await answered(api.GET("/v1/jobs/{id}", { params: { path: { id: p.pendingJob } } })))?.data;
    if (job?.state === "completed" || job?.state === "failed") {
      client.jobResults++;
      p.pendingJob = null;
      if (!(job.result && "outcome" in job.result && job.result.outcome === "ongoing")) p.inCombat = false;
    }
    return;
  }
  switch (pickStep()) {
    case "me":
      await answered(api.GET("/v1/me"));
      return;
    case "inventory": {
      const pack = (await answered(api.GET("/v1/me/inventory")))?.data;
      if (pack) p.pack = pack.items;
      return;
    }
    case "items": {
      const id = any(ITEM_IDS);
      if (id && Math.random() < 0.8) await answered(api.GET("/v1/items/{id}", { params: { path: { id } } }));
      else await answered(api.GET("/v1/items"));
      return;
    }
    case "leaderboard":
      await answered(api.GET("/v1/leaderboard", { params: { query: { by: any(BOARDS) ?? "kills" } } }));
      return;
    case "stats":
      await answered(api.GET("/v1/me/stats"));
      return;
    case "move": {
      const exit = p.view && !p.inCombat ? any(p.view.exits) : undefined;
      if (!exit) break;
      if ((await answered(api.POST("/v1/move", { body: { direction: exit.direction } })))?.data) p.view = null;
      return;
    }
    case "pickup": {
      const stack = p.view && !p.inCombat ? any(p.view.items) : undefined;
      if (!stack) break;
      await answered(api.POST("/v1/pickup", { body: { items: [{ id: stack.id, quantity: 1 }] } }));
      return;
    }
    case "drop": {
      const spare = p.inCombat ? undefined : any(p.pack.filter((i) => !i.equipped && i.quantity > 1));
      if (!spare) break;
      if ((await answered(api.POST("/v1/drop", { body: { items: [{ itemId: spare.itemId, quantity: 1 }] } })))?.data) spare.quantity--;
      return;
    }
    case "engage": {
      const enemy = p.view && !p.inCombat ? any(p.view.enemies.filter((e) => !e.inCombat)) : undefined;
      if (!enemy) break;
      if ((await answered(api.POST("/v1/combat", { body: { enemyId: enemy.id } })))?.data) p.inCombat = true;
      return;
    }
    case "attack": {
      if (!p.inCombat || p.pendingJob) break;
      const acted = await answered(api.POST("/v1/combat/actions", { body: { action: "attack" } }));
      if (acted?.data) p.pendingJob = acted.data.jobId;
      else if (acted?.error?.error.code === "turn_pending") p.pendingJob = acted.error.error.details?.jobId ?? null;
      else if (acted?.response.status === 422) p.inCombat = false;
      return;
    }
    case "location":
      break;
  }
  const view = (await answered(api.GET("/v1/location")))?.data;
  if (view) p.view = view;
}

/** Plays the mix with every player at once, each sending its next request when the last is answered. */
export async function play(client: LoadClient, players: Player[], durationS: number): Promise<void> {
  const until = performance.now() + durationS * 1000;
  await Promise.all(
    players.map(async (p) => {
      const game = client.game(p.token);
      while (performance.now() < until) await step(client, game, p);
    }),
  );
}

/**
 * Plays the mix as one player at a human pace, open loop: requests are due by the clock, the
 * first at `firstAt`, then one every `thinkMs` (uniformly random). At most one is in flight: one
 * that falls due before the last is answered goes as soon as it is, and is timed from when it
 * was due. Plays until `stop.stopped`.
 */
export async function playAtPace(
  client: LoadClient,
  p: Player,
  firstAt: number,
  stop: { stopped: boolean },
  thinkMs: [number, number] = [1000, 2000],
): Promise<void> {
  const pace: { dueAt?: number } = {};
  const game = client.game(p.token, pace);
  pace.dueAt = firstAt;
  while (!stop.stopped) {
    const wait = pace.dueAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (stop.stopped) return;
    await step(client, game, p);
    pace.dueAt += thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]);
  }
}
