// The mixed load, closed loop: every virtual player sends its next request as soon as the last is
// answered. A sweep of rising concurrency until p99 passes 50 ms, then a stress test far past it.
import { CpuMeter, type CpuWindow } from "./cpu";
import { Game, type Infra, say, sql } from "./bench-stack";
import { LoadClient, type LoadReport } from "./engine";
import { PREDICTED, type Player, play, signUp } from "./game-scenario";
import { metricSum, metricWith } from "./scrape";

export interface SweepPoint {
  concurrency: number;
  report: LoadReport;
  /** CPU of each process over the level's window. */
  cpu: CpuWindow;
  /** API CPU per request answered, µs. */
  apiCpuUs: number;
  /** Statements the API sent to PostgreSQL per request (its `db_queries_total`). */
  statementsPerRequest: number;
}

export interface Statement {
  calls: number;
  totalMs: number;
  meanMs: number;
  query: string;
}

/** The API's V8 heap from its metrics, MB: what is in use, and what the heap holds (new and old space). */
export interface HeapSample {
  usedMb: number;
  totalMb: number;
  newSpaceMb: number;
  oldSpaceMb: number;
  rssMb: number;
}

async function apiHeap(game: Game): Promise<HeapSample> {
  const text = await game.apiMetrics();
  const mb = (value: number | null) => Math.round(((value ?? Number.NaN) / 2 ** 20) * 10) / 10;
  return {
    usedMb: mb(metricSum(text, "nodejs_heap_size_used_bytes")),
    totalMb: mb(metricSum(text, "nodejs_heap_size_total_bytes")),
    newSpaceMb: mb(metricWith(text, "nodejs_heap_space_size_total_bytes", 'space="new"')),
    oldSpaceMb: mb(metricWith(text, "nodejs_heap_space_size_total_bytes", 'space="old"')),
    rssMb: mb(metricSum(text, "process_resident_memory_bytes")),
  };
}

/** CPU subjects of a running game on the bench's infrastructure, the load generator included. */
export function gameCpu(game: Game, infra: Infra): CpuMeter {
  return new CpuMeter({
    api: game.pids.api,
    worker: game.pids.worker,
    postgres: { tree: infra.pids.postgres },
    redis: infra.pids.redis,
    generator: process.pid,
  });
}

/** How long the API idles after the sweep before its heap is read again. */
const HEAP_SETTLE_MS = 20_000;

/** One level of the mixed load: `players` of the roster playing for `seconds`. */
async function level(game: Game, infra: Infra, dbUrl: string, roster: Player[], players: number, seconds: number): Promise<SweepPoint> {
  await sql(dbUrl, "select pg_stat_statements_reset()");
  const client = new LoadClient(game.url, Math.min(players, 256), { predicted: PREDICTED });
  const statementsBefore = metricSum(await game.apiMetrics(), "db_queries_total") ?? Number.NaN;
  const cpu = gameCpu(game, infra);
  cpu.start();
  client.startMeasuring();
  await play(client, roster.slice(0, players), seconds);
  client.stopMeasuring();
  const window = cpu.stop();
  await client.close();
  const statementsAfter = metricSum(await game.apiMetrics(), "db_queries_total") ?? Number.NaN;
  const report = client.report(players);
  return {
    concurrency: players,
    report,
    cpu: window,
    apiCpuUs: Math.round(window.micros.api! / Math.max(1, report.requests)),
    statementsPerRequest: Math.round(((statementsAfter - statementsBefore) / Math.max(1, report.requests)) * 100) / 100,
  };
}

/**
 * The mixed load at rising concurrency, until p99 passes 50 ms; then, on the same game, the
 * stress test: `stress` players at once (none if 0).
 */
export async function sweep(
  base: Record<string, string>,
  infra: Infra,
  dbUrl: string,
  levels: number[],
  seconds: number,
  stress = 0,
  extra: Record<string, string> = {},
) {
  const game = await Game.start(base, extra);
  const atRest = { apiMb: Game.rss(game.api), workerMb: Game.rss(game.worker) };
  const signupClient = new LoadClient(game.url, 32);
  const roster = await signUp(signupClient, Math.max(...levels, stress));
  await signupClient.close();
  const afterSignUp = { apiMb: Game.peakRss(game.api), players: roster.length };
  const points: SweepPoint[] = [];
  let statements: Statement[] = [];
  for (const concurrency of levels) {
    const point = await level(game, infra, dbUrl, roster, concurrency, seconds);
    points.push(point);
    statements = await sql(
      dbUrl,
      `select calls::int, round(total_exec_time::numeric, 0)::float as "totalMs", round(mean_exec_time::numeric, 3)::float as "meanMs",
         left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
       order by total_exec_time desc limit 6`,
    );
    const r = point.report;
    say(`mixed load, ${concurrency} players: ${r.throughput} req/s, p99 ${r.p99Ms} ms, ${r.failed} failed, API ${point.apiCpuUs} µs CPU/request`);
    if (r.p99Ms > 50) break;
  }
  // The heap as the last level ends, then after the load has stopped for a while: what is live,
  // against what V8 let the heap grow to while the load allocated.
  const heapUnderLoad = await apiHeap(game);
  await new Promise((resolve) => setTimeout(resolve, HEAP_SETTLE_MS));
  const heapAfterLoad = await apiHeap(game);
  const memory = { apiMb: Game.peakRss(game.api), workerMb: Game.peakRss(game.worker), atRest, afterSignUp, heapUnderLoad, heapAfterLoad };
  let stressPoint: SweepPoint | undefined;
  if (stress > 0) {
    stressPoint = await level(game, infra, dbUrl, roster, stress, seconds);
    const r = stressPoint.report;
    say(`stress test, ${stress} players: ${r.throughput} req/s, p99 ${r.p99Ms} ms, ${r.failed} failed`);
  }
  await game.stop();
  return { points, memory, statements, stress: stressPoint };
}
