import { randomBytes } from "node:crypto";
import { WORLD } from "@echoes/shared";
import type { LoadClient } from "./engine";

/** What one virtual player remembers between requests. */
export interface Player {
  token: string;
  view: { exits: { direction: string }[]; items: { id: number }[]; enemies: { id: number; inCombat: boolean }[] } | null;
  pack: { itemId: string; quantity: number; equipped: boolean }[];
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

const STEPS = Object.entries(MIX) as [Step, number][];
const TOTAL = STEPS.reduce((sum, [, w]) => sum + w, 0);
const ITEM_IDS = WORLD.items.map((i) => i.id);

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

/** Signs up `count` players, `parallel` at a time (sign-up hashes a password: slow on purpose). */
export async function signUp(client: LoadClient, count: number, parallel = 16): Promise<Player[]> {
  const players: Player[] = [];
  const tag = randomBytes(3).toString("hex");
  let next = 0;
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        const res = await client.request("POST /v1/auth/register", "POST", "/v1/auth/register", {
          body: { username: `load_${tag}_${i}`, password: "load test password" },
        });
        if (res?.status !== 201) {
          failures.push(String(res?.status ?? "no answer"));
          continue;
        }
        players.push(newPlayer(res.body.token));
      }
    }),
  );
  if (players.length < count) throw new Error(`only ${players.length} of ${count} players could sign up (${failures.slice(0, 5).join(", ")})`);
  return players;
}

/** One request of one player's turn at the mix; `at` is when an open-loop player meant to send it. */
async function step(client: LoadClient, p: Player, at?: number): Promise<void> {
  if (p.pendingJob && Math.random() < 0.5) {
    const res = await client.request("GET /v1/jobs/:id", "GET", `/v1/jobs/${p.pendingJob}`, { token: p.token, scheduledAt: at });
    if (res?.status === 200 && (res.body.state === "completed" || res.body.state === "failed")) {
      client.jobResults++;
      p.pendingJob = null;
      if (res.body.result?.outcome !== "ongoing") p.inCombat = false;
    }
    return;
  }
  const kind = pickStep();
  const { token } = p;
  switch (kind) {
    case "me":
      await client.request("GET /v1/me", "GET", "/v1/me", { token, scheduledAt: at });
      return;
    case "inventory": {
      const res = await client.request("GET /v1/me/inventory", "GET", "/v1/me/inventory", { token, scheduledAt: at });
      if (res?.status === 200) p.pack = res.body.items;
      return;
    }
    case "items":
      if (Math.random() < 0.8) await client.request("GET /v1/items/:id", "GET", `/v1/items/${any(ITEM_IDS)}`, { token, scheduledAt: at });
      else await client.request("GET /v1/items", "GET", "/v1/items", { token, scheduledAt: at });
      return;
    case "leaderboard":
      await client.request("GET /v1/leaderboard", "GET", `/v1/leaderboard?by=${any(["kills", "xp", "level"])}`, { token, scheduledAt: at });
      return;
    case "stats":
      await client.request("GET /v1/me/stats", "GET", "/v1/me/stats", { token, scheduledAt: at });
      return;
    case "move": {
      const exit = p.view && !p.inCombat ? any(p.view.exits) : undefined;
      if (!exit) break;
      const res = await client.request("POST /v1/move", "POST", "/v1/move", { token, scheduledAt: at, body: { direction: exit.direction } });
      if (res?.status === 200) p.view = null;
      return;
    }
    case "pickup": {
      const stack = p.view && !p.inCombat ? any(p.view.items) : undefined;
      if (!stack) break;
      await client.request("POST /v1/pickup", "POST", "/v1/pickup", {
        token,
        scheduledAt: at,
        body: { items: [{ id: stack.id, quantity: 1 }] },
        predicted: [409, 422, 429, 404],
      });
      return;
    }
    case "drop": {
      const spare = p.inCombat ? undefined : any(p.pack.filter((i) => !i.equipped && i.quantity > 1));
      if (!spare) break;
      const res = await client.request("POST /v1/drop", "POST", "/v1/drop", {
        token,
        scheduledAt: at,
        body: { items: [{ itemId: spare.itemId, quantity: 1 }] },
      });
      if (res?.status === 200) spare.quantity--;
      return;
    }
    case "engage": {
      const enemy = p.view && !p.inCombat ? any(p.view.enemies.filter((e) => !e.inCombat)) : undefined;
      if (!enemy) break;
      const res = await client.request("POST /v1/combat", "POST", "/v1/combat", {
        token,
        scheduledAt: at,
        body: { enemyId: enemy.id },
        predicted: [409, 422, 429, 404],
      });
      if (res?.status === 201) p.inCombat = true;
      return;
    }
    case "attack": {
      if (!p.inCombat || p.pendingJob) break;
      const res = await client.request("POST /v1/combat/actions", "POST", "/v1/combat/actions", { token, scheduledAt: at, body: { action: "attack" } });
      if (res?.status === 202) p.pendingJob = res.body.jobId;
      else if (res?.status === 409 && res.body.error?.code === "turn_pending") p.pendingJob = res.body.error.details.jobId;
      else if (res?.status === 422) p.inCombat = false;
      return;
    }
    case "location":
      break;
  }
  const res = await client.request("GET /v1/location", "GET", "/v1/location", { token, scheduledAt: at });
  if (res?.status === 200) p.view = res.body;
}

/** Plays the mix with every player at once, each sending its next request when the last is answered. */
export async function play(client: LoadClient, players: Player[], durationS: number): Promise<void> {
  const until = performance.now() + durationS * 1000;
  await Promise.all(
    players.map(async (p) => {
      while (performance.now() < until) await step(client, p);
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
  let due = firstAt;
  while (!stop.stopped) {
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (stop.stopped) return;
    await step(client, p, due);
    due += thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]);
  }
}
