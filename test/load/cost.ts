// What one request costs the API, route by route: CPU time read from /proc while one route at a
// time is under load, and the statements its own counter says it sent. The reference server is
// measured by the same driver, in the same run.
import { Redis } from "ioredis";
import { CpuMeter } from "./cpu";
import { Game, type Infra, makePlayers, say, sql, startReference } from "./bench-stack";
import { LoadClient } from "./engine";
import { metricSum } from "./scrape";

/** Driver loops sending at once; each owns its players, so no player has two requests in flight. */
const LOOPS = 32;
const AT = "dust-road";
/** Each route's warm-up: this many requests, or this long, whichever comes first. */
const WARM_UP = { requests: 3_000, ms: 3_000 };

export interface RouteCost {
  route: string;
  requests: number;
  rps: number;
  /** CPU the serving process used per request, µs. */
  cpuUs: number;
  /** Statements the API sent per request (`db_queries_total`); null for the reference. */
  statements: number | null;
  failed: number;
}

interface Call {
  method: "GET" | "POST";
  path: string;
  token?: string;
  body?: unknown;
}

/** Each loop's next request, or null when the loop has nothing left to send. */
type Source = (loop: number, n: number) => Call | null;

/** Two players per loop, taken in turn. */
const alternate =
  (players: { token: string }[], call: (token: string, loop: number, n: number) => Call): Source =>
  (loop, n) =>
    call(players[loop + LOOPS * (n % 2)]!.token, loop, n);

async function drive(url: string, route: string, source: Source, seconds: number, measure: { pid: number; statements: (() => Promise<number>) | null }) {
  const client = new LoadClient(url, LOOPS);
  const sent = Array.from({ length: LOOPS }, () => 0);
  const play = (ms: number, requests = Number.POSITIVE_INFINITY) => {
    const until = performance.now() + ms;
    let answered = 0;
    return Promise.all(
      sent.map(async (_, loop) => {
        while (performance.now() < until && answered++ < requests) {
          const call = source(loop, sent[loop]!++);
          if (!call) return;
          await client.request(route, call.method, call.path, { ...(call.token ? { token: call.token } : {}), ...(call.body ? { body: call.body } : {}) });
        }
      }),
    );
  };
  // Not counted: lets the connections open and the JIT compile this route's path (compiling
  // is CPU time of the process too, and a cold process spends a lot of it).
  await play(WARM_UP.ms, WARM_UP.requests);
  const statementsBefore = measure.statements ? await measure.statements() : 0;
  const cpu = new CpuMeter({ server: measure.pid });
  cpu.start();
  client.startMeasuring();
  await play(seconds * 1000);
  client.stopMeasuring();
  const window = cpu.stop();
  await client.close();
  const statementsAfter = measure.statements ? await measure.statements() : 0;
  const report = client.report(LOOPS);
  const requests = Math.max(1, report.requests);
  const cost: RouteCost = {
    route,
    requests: report.requests,
    rps: report.throughput,
    cpuUs: Math.round(window.micros.server! / requests),
    statements: measure.statements ? Math.round(((statementsAfter - statementsBefore) / requests) * 100) / 100 : null,
    failed: report.failed + report.refused,
  };
  say(`${route}: ${cost.rps} req/s, ${cost.cpuUs} µs CPU/request, ${cost.statements ?? "-"} statements/request, ${cost.failed} not ok`);
  return cost;
}

/** Per-route cost of the game's hot routes, and of the reference server, `seconds` each. */
export async function routeCosts(base: Record<string, string>, infra: Infra, dbUrl: string, seconds: number) {
  const game = await Game.start(base);
  const secret = base.JWT_SECRET!;
  const players = (count: number, kit: { itemId: string; quantity: number }[] = []) => makePlayers(dbUrl, secret, count, AT, kit);
  const pair = LOOPS * 2;
  // Every engagement needs a player out of combat and an enemy of its own: enough for the window.
  const fights = WARM_UP.requests + seconds * 1500;

  const pickers = await players(pair);
  const stacks = await sql<{ id: number }>(
    dbUrl,
    "insert into dropped_items (location_id, item_id, quantity, expires_at) select $1, 'bottle-cap', 100000, now() + interval '1 hour' from generate_series(1, $2::int) returning id",
    [AT, pair],
  );
  const stackOf = new Map(pickers.map((p, i) => [p.token, stacks[i]!.id]));
  const droppers = await players(pair, [{ itemId: "bottle-cap", quantity: 100_000 }]);
  const users = await players(pair, [{ itemId: "bandage", quantity: 100_000 }]);
  const walkers = await players(pair);
  await sql(dbUrl, "update players set stamina = 1000000, max_stamina = 1000000 where id = any($1)", [walkers.map((p) => p.id)]);
  const engagers = await players(fights);
  // Warlords never roam: a world tick cannot walk one away before it is engaged.
  const enemies = await sql<{ id: number }>(
    dbUrl,
    "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select 'raider-warlord', $1, 100000, 100000 from generate_series(1, $2::int) returning id",
    [AT, fights],
  );
  const readers = await players(pair);
  let engaged = 0;

  const sources: [string, Source][] = [
    [
      "POST /v1/pickup",
      alternate(pickers, (token) => ({ method: "POST", path: "/v1/pickup", token, body: { items: [{ id: stackOf.get(token), quantity: 1 }] } })),
    ],
    ["POST /v1/drop", alternate(droppers, (token) => ({ method: "POST", path: "/v1/drop", token, body: { items: [{ itemId: "bottle-cap", quantity: 1 }] } }))],
    ["POST /v1/use", alternate(users, (token) => ({ method: "POST", path: "/v1/use", token, body: { itemId: "bandage" } }))],
    // Each player walks west and back east; a loop's two players take turns, so each moves every other request.
    ["POST /v1/move", alternate(walkers, (token, _loop, n) => ({ method: "POST", path: "/v1/move", token, body: { direction: n % 4 < 2 ? "west" : "east" } }))],
    [
      "POST /v1/combat",
      () => {
        const i = engaged++;
        return i < fights ? { method: "POST", path: "/v1/combat", token: engagers[i]!.token, body: { enemyId: enemies[i]!.id } } : null;
      },
    ],
    ["GET /v1/me", alternate(readers, (token) => ({ method: "GET", path: "/v1/me", token }))],
    ["GET /v1/me/inventory", alternate(readers, (token) => ({ method: "GET", path: "/v1/me/inventory", token }))],
    ["GET /v1/me/stats", alternate(readers, (token) => ({ method: "GET", path: "/v1/me/stats", token }))],
    ["GET /v1/leaderboard", alternate(readers, (token) => ({ method: "GET", path: "/v1/leaderboard?by=kills", token }))],
    // The first players who engaged above are in fights now; the same few read theirs again and again.
    ["GET /v1/combat", alternate(engagers, (token) => ({ method: "GET", path: "/v1/combat", token }))],
    ["GET /v1/location", alternate(readers, (token) => ({ method: "GET", path: "/v1/location", token }))],
  ];
  const statements = async () => metricSum(await game.apiMetrics(), "db_queries_total") ?? Number.NaN;
  const routes: RouteCost[] = [];
  for (const [route, source] of sources) routes.push(await drive(game.url, route, source, seconds, { pid: game.pids.api, statements }));

  const view = await (await fetch(`${game.url}/v1/location`, { headers: { authorization: `Bearer ${readers[0]!.token}` } })).text();
  const redis = new Redis(infra.redisUrl);
  await redis.set("bench:reference", view);
  redis.disconnect();
  await game.stop();
  const server = await startReference(infra.redisUrl, "bench:reference");
  const reference = await drive(server.url, "reference: GET (Hono + one Redis GET)", () => ({ method: "GET", path: "/reference" }), seconds, {
    pid: server.pid,
    statements: null,
  });
  await server.stop();
  return { routes, reference, loops: LOOPS, seconds };
}
