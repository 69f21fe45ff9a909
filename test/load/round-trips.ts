// `node --import tsx test/load/round-trips.ts [--repeat 20]`: database round trips per request of
// each hot route, counted on the wire between the API and PostgreSQL. Starts a PostgreSQL and a
// Redis of its own, the production bundles, and a wire counter in front of the API's database
// connections; prints the table. `countRoundTrips` does the counting for any running API whose
// database connections pass through a `PgWireCounter` (the test of this file uses a TestGame).
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type Response, request } from "../support/http";
import type { Sql } from "../support/players";
import { Game, benchEnv, buildBundles, makePlayers, prepareDatabase, sql, startInfra } from "./bench-stack";
import { metricSum } from "./scrape";
import { PgWireCounter } from "./wire";

/** A running API whose database connections pass through `wire`, with what the harness needs to set up players. */
export interface RoundTripSubject {
  url: string;
  wire: PgWireCounter;
  /** SQL on the game's database that does not pass through `wire`. */
  sql: Sql;
  createPlayers(count: number, locationId: string, kit?: { itemId: string; quantity: number }[]): Promise<{ id: number; token: string }[]>;
  /** The API's own count of statements sent so far (`db_queries_total`), to check the wire against. */
  statementsSent(): Promise<number>;
}

/** The routes counted, in the order of the table. */
export const ROUTES = [
  "POST /v1/pickup",
  "POST /v1/drop",
  "POST /v1/use",
  "POST /v1/move",
  "POST /v1/combat",
  "POST /v1/combat/actions",
  "GET /v1/me",
  "GET /v1/me/inventory",
  "GET /v1/me/stats",
  "GET /v1/leaderboard",
  "GET /v1/combat",
  "GET /v1/location",
] as const;
export type CountedRoute = (typeof ROUTES)[number];

/** What the request path aims at: every game write one round trip, every hot read none once warm. */
export const TARGET: Record<CountedRoute, number> = {
  "POST /v1/pickup": 1,
  "POST /v1/drop": 1,
  "POST /v1/use": 1,
  "POST /v1/move": 1,
  "POST /v1/combat": 1,
  "POST /v1/combat/actions": 1,
  "GET /v1/me": 0,
  "GET /v1/me/inventory": 0,
  "GET /v1/me/stats": 0,
  "GET /v1/leaderboard": 0,
  "GET /v1/combat": 0,
  "GET /v1/location": 0,
};

export interface RoundTripRow {
  route: CountedRoute;
  requests: number;
  /** Per request: Syncs and simple Queries on the wire. */
  roundTrips: number;
  /** Per request: statements executed on the wire. */
  statements: number;
  /** Per request: pool liveness checks among the round trips. */
  pings: number;
  /** Per request: statements the API's own counter says it sent. */
  apiStatements: number;
  /** Round trips of the API's background work seen during the window, left out of the figures above. */
  background: number;
  target: number;
  /** The first words of each round trip of the first counted request. */
  sequence: string[];
}

interface Call {
  method: "GET" | "POST";
  path: string;
  token: string;
  body?: unknown;
  expect: number;
}

/** A route's set-up: requests sent first and not counted (they warm the caches), then the counted ones. */
interface Scenario {
  warmUp: Call[];
  counted: Call[];
}

// Every scenario plays here; moves go west to the orchard and back.
const AT = "dust-road";
// Enemies that never roam, so a world tick cannot walk one away before it is engaged.
const ENEMY = "raider-warlord";

async function enemies(subject: RoundTripSubject, count: number): Promise<number[]> {
  const rows = await subject.sql<{ id: number }>(
    "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select $1, $2, 100000, 100000 from generate_series(1, $3::int) returning id",
    [ENEMY, AT, count],
  );
  return rows.map((r) => r.id);
}

/** Players, each engaged with an enemy of their own (the engaging is the warm-up). */
async function fighters(subject: RoundTripSubject, count: number): Promise<{ token: string; engage: Call }[]> {
  const players = await subject.createPlayers(count, AT);
  await subject.sql("update players set hp = 100000, max_hp = 100000 where id = any($1)", [players.map((p) => p.id)]);
  const ids = await enemies(subject, count);
  return players.map((p, i) => ({ token: p.token, engage: { method: "POST", path: "/v1/combat", token: p.token, body: { enemyId: ids[i] }, expect: 201 } }));
}

/** The same request, `times` over. */
const repeat = (call: Call, times: number): Call[] => Array.from({ length: times }, () => call);

/** One player sending the same read again and again; the first is the warm-up. */
async function warmRead(subject: RoundTripSubject, path: string, times: number): Promise<Scenario> {
  const [p] = await subject.createPlayers(1, AT);
  const call: Call = { method: "GET", path, token: p!.token, expect: 200 };
  return { warmUp: [call], counted: repeat(call, times) };
}

const SCENARIOS: Record<CountedRoute, (subject: RoundTripSubject, times: number) => Promise<Scenario>> = {
  "POST /v1/pickup": async (subject, times) => {
    const [p] = await subject.createPlayers(1, AT);
    const [{ id }] = await subject.sql(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) values ($1, 'bottle-cap', 1000, now() + interval '1 hour') returning id",
      [AT],
    );
    const call: Call = { method: "POST", path: "/v1/pickup", token: p!.token, body: { items: [{ id, quantity: 1 }] }, expect: 200 };
    return { warmUp: [call], counted: repeat(call, times) };
  },
  "POST /v1/drop": async (subject, times) => {
    const [p] = await subject.createPlayers(1, AT, [{ itemId: "bottle-cap", quantity: 1000 }]);
    const call: Call = { method: "POST", path: "/v1/drop", token: p!.token, body: { items: [{ itemId: "bottle-cap", quantity: 1 }] }, expect: 200 };
    return { warmUp: [call], counted: repeat(call, times) };
  },
  "POST /v1/use": async (subject, times) => {
    const [p] = await subject.createPlayers(1, AT, [{ itemId: "bandage", quantity: 1000 }]);
    const call: Call = { method: "POST", path: "/v1/use", token: p!.token, body: { itemId: "bandage" }, expect: 200 };
    return { warmUp: [call], counted: repeat(call, times) };
  },
  "POST /v1/move": async (subject, times) => {
    const [p] = await subject.createPlayers(1, AT);
    await subject.sql("update players set stamina = 100000, max_stamina = 100000 where id = $1", [p!.id]);
    // West to the orchard and back east, over and over.
    const step = (i: number): Call => ({ method: "POST", path: "/v1/move", token: p!.token, body: { direction: i % 2 === 0 ? "west" : "east" }, expect: 200 });
    return { warmUp: [step(0)], counted: Array.from({ length: times }, (_, i) => step(i + 1)) };
  },
  "POST /v1/combat": async (subject, times) => {
    // Each engagement needs a player out of combat: one player per request, warmed by reading themselves.
    const players = await subject.createPlayers(times, AT);
    const ids = await enemies(subject, times);
    return {
      warmUp: players.map((p) => ({ method: "GET", path: "/v1/me", token: p.token, expect: 200 })),
      counted: players.map((p, i) => ({ method: "POST", path: "/v1/combat", token: p.token, body: { enemyId: ids[i] }, expect: 201 })),
    };
  },
  "POST /v1/combat/actions": async (subject, times) => {
    // A turn waits for its result before the next is accepted: one fighter per request. Engaging
    // drops what the cache knew of the fighter; a client looks around before its first attack,
    // which loads it again (without that look, the first attack also reads the position).
    const list = await fighters(subject, times);
    return {
      warmUp: list.flatMap((f): Call[] => [f.engage, { method: "GET", path: "/v1/location", token: f.token, expect: 200 }]),
      counted: list.map((f) => ({ method: "POST", path: "/v1/combat/actions", token: f.token, body: { action: "attack" }, expect: 202 })),
    };
  },
  "GET /v1/me": (subject, times) => warmRead(subject, "/v1/me", times),
  "GET /v1/me/inventory": (subject, times) => warmRead(subject, "/v1/me/inventory", times),
  "GET /v1/me/stats": (subject, times) => warmRead(subject, "/v1/me/stats", times),
  "GET /v1/leaderboard": (subject, times) => warmRead(subject, "/v1/leaderboard?by=kills", times),
  "GET /v1/combat": async (subject, times) => {
    const [f] = await fighters(subject, 1);
    const call: Call = { method: "GET", path: "/v1/combat", token: f!.token, expect: 200 };
    return { warmUp: [f!.engage, call], counted: repeat(call, times) };
  },
  "GET /v1/location": (subject, times) => warmRead(subject, "/v1/location", times),
};

async function send(subject: RoundTripSubject, call: Call, route: string): Promise<Response> {
  const res = await request(subject.url, call.method, call.path, { token: call.token, ...(call.body === undefined ? {} : { body: call.body }) });
  if (res.status !== call.expect)
    throw new Error(`${route}: ${call.method} ${call.path} answered ${res.status} ${JSON.stringify(res.body)}, not ${call.expect}`);
  return res;
}

/**
 * Counts, for each route, the round trips that cross the wire per request, sending the counted
 * requests one at a time after the warm-up, and letting follow-up work settle before reading.
 */
/**
 * Statements the API sends on a timer, whatever the requests: the poll for token revocations a
 * process may have missed on their channel (every 5 s).
 */
const BACKGROUND = [/^select id as "playerId", \(extract\(epoch from tokens_valid_after\)/];
const isBackground = (entry: string) => BACKGROUND.some((pattern) => pattern.test(entry));

export async function countRoundTrips(subject: RoundTripSubject, times = 20, routes: readonly CountedRoute[] = ROUTES): Promise<RoundTripRow[]> {
  const rows: RoundTripRow[] = [];
  for (const route of routes) {
    const scenario = await SCENARIOS[route](subject, times);
    for (const call of scenario.warmUp) await send(subject, call, route);
    await subject.wire.settle();
    subject.wire.takeLog();
    const wireBefore = subject.wire.totals();
    const apiBefore = await subject.statementsSent();
    const [first, ...rest] = scenario.counted;
    await send(subject, first!, route);
    await subject.wire.settle();
    const firstLog = subject.wire.takeLog();
    for (const call of rest) await send(subject, call, route);
    await subject.wire.settle();
    const log = [...firstLog, ...subject.wire.takeLog()];
    const wireAfter = subject.wire.totals();
    const apiAfter = await subject.statementsSent();
    const n = scenario.counted.length;
    const per = (value: number) => Math.round((value / n) * 100) / 100;
    // One statement each, on the API's timer rather than on a request: whichever route is being
    // counted when one comes round is not charged for it.
    const background = log.filter(isBackground).length;
    rows.push({
      route,
      requests: n,
      roundTrips: per(wireAfter.roundTrips - wireBefore.roundTrips - background),
      statements: per(wireAfter.statements - wireBefore.statements - background),
      pings: per(wireAfter.pings - wireBefore.pings),
      apiStatements: per(apiAfter - apiBefore - background),
      background,
      target: TARGET[route],
      sequence: firstLog.filter((entry) => !isBackground(entry)),
    });
  }
  return rows;
}

/** The table as plain text, with the statements of the first counted request listed under a route. */
export function formatRoundTrips(rows: RoundTripRow[]): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [`${"route".padEnd(26)}${pad("round trips", 13)}${pad("statements", 12)}${pad("pings", 7)}${pad("API counter", 13)}${pad("target", 8)}`];
  for (const r of rows) {
    lines.push(`${r.route.padEnd(26)}${pad(r.roundTrips, 13)}${pad(r.statements, 12)}${pad(r.pings, 7)}${pad(r.apiStatements, 13)}${pad(r.target, 8)}`);
    // Listed where a request takes several trips, or where only some requests take one.
    if (r.sequence.length > 1 || !Number.isInteger(r.roundTrips)) for (const s of r.sequence) lines.push(`    ${s}`);
    if (r.background > 0) lines.push(`    (${r.background} round trip${r.background === 1 ? "" : "s"} of the token revocation poll left out)`);
  }
  return lines.join("\n");
}

/** The harness against the production bundles, the API's database connections through a wire counter. */
export async function measureRoundTrips(base: Record<string, string>, dbUrl: string, times: number): Promise<{ rows: RoundTripRow[]; connections: number }> {
  const upstream = new URL(dbUrl);
  const wire = await PgWireCounter.start({ host: upstream.hostname, port: Number(upstream.port) });
  const game = await Game.start(base, {}, { apiDatabaseUrl: wire.url(dbUrl) });
  try {
    const rows = await countRoundTrips(
      {
        url: game.url,
        wire,
        sql: (text, values) => sql(dbUrl, text, values),
        createPlayers: (count, locationId, kit) => makePlayers(dbUrl, base.JWT_SECRET!, count, locationId, kit),
        statementsSent: async () => metricSum(await game.apiMetrics(), "db_queries_total") ?? Number.NaN,
      },
      times,
    );
    return { rows, connections: wire.totals().connections };
  } finally {
    await game.stop();
    await wire.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repeat: { type: "string", default: "20" } } });
  buildBundles();
  const infra = await startInfra("round-trips");
  try {
    const dbUrl = await prepareDatabase(infra);
    const { rows } = await measureRoundTrips(benchEnv(dbUrl, infra.redisUrl), dbUrl, Number(values.repeat));
    console.log(formatRoundTrips(rows));
  } finally {
    await infra.stopRedis().catch(() => undefined);
    await infra.pg.destroy().catch(() => undefined);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: Error) => {
    console.error(`round-trips: ${err.stack ?? err.message}`);
    process.exit(1);
  });
}
