// `npm run bench [-- --quick] [-- --only <section>]`: every performance figure of the game,
// measured in one go on this machine, beside references measured in the same run. Starts its own
// PostgreSQL (with pg_stat_statements) and Redis on free ports, runs the production bundles of
// the API and the worker, and writes docs/BENCHMARKS.md, docs/bench-sweep.svg,
// docs/bench-players.svg and docs/benchmarks.json. --only runs one section and prints its figures.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { type Infra, benchEnv, buildBundles, prepareDatabase, round, say, sql, startInfra } from "./bench-stack";
import { combatPipeline, combatSideBySide } from "./combat-bench";
import { routeCosts } from "./cost";
import { formatReport } from "./engine";
import { locationQuery } from "./location-query";
import { sweep } from "./mixed";
import { playersPerMachine } from "./players-per-machine";
import { cachedRead, uncachedRead } from "./reads";
import { type Results, formatBatches, playersChart, renderMarkdown, sweepChart } from "./render";
import { formatRoundTrips, measureRoundTrips } from "./round-trips";

const { values: args } = parseArgs({
  options: {
    /** Short runs at small sizes, for trying the harness (the figures mean little). */
    quick: { type: "boolean", default: false },
    /** Run one section only and print its figures. */
    only: { type: "string" },
    out: { type: "string", default: "docs" },
  },
});
const quick = args.quick!;
/** Seconds each measurement runs. */
const SECONDS = quick ? 4 : 12;
const SWEEP = quick ? [16, 64] : [8, 16, 32, 64, 128, 256, 512];
const STRESS = quick ? 128 : 500;
const PACE = quick ? { steps: [100, 400], rampS: 3, holdS: 5 } : { steps: [500, 1000, 2000, 4000, 7000, 10_000], rampS: 5, holdS: 18 };
const COST_SECONDS = quick ? 2 : 5;
const ROUND_TRIP_REPEAT = quick ? 10 : 20;
const SYNTHETIC = quick ? { players: 10_000, droppedItems: 100_000 } : { players: 100_000, droppedItems: 1_000_000 };

/** One section of the bench: what it measures, and the lines `--only` prints about it. */
interface Section<T> {
  run(base: Record<string, string>, infra: Infra, dbUrl: string): Promise<T>;
  summary(result: T): string[];
}

const section = <T>(s: Section<T>) => s;

/** Windows of the game's pipeline and of the bare BullMQ pair, taking turns, at 200 fighters. */
const COMBAT_ROUNDS = quick ? 2 : 4;

async function combatSection(base: Record<string, string>, infra: Infra, dbUrl: string) {
  say(
    `combat pipeline, saturated (200 fighters), taking turns with a bare BullMQ producer and worker pair: ${COMBAT_ROUNDS} rounds of a ${SECONDS / COMBAT_ROUNDS} s window of each`,
  );
  const { combat, reference, roundRatios } = await combatSideBySide(base, infra, dbUrl, 200, SECONDS, COMBAT_ROUNDS);
  say(`combat pipeline, light (16 fighters)`);
  const combatLight = await combatPipeline(base, infra, dbUrl, 16, SECONDS);
  return { combat, combatLight, reference, roundRatios };
}

const SECTIONS = {
  read: section({
    run: (base, infra, dbUrl) => cachedRead(base, infra, dbUrl, SECONDS),
    summary: (r) => [
      `reference ${r.reference.rps} req/s at ${r.reference.cpuUs} µs CPU/request; cached location ${r.cached.rps} req/s at ${r.cached.cpuUs} µs; throughput ratio ${r.ratio}, CPU ${r.cpuRatio}×`,
    ],
  }),
  uncached: section({
    run: (base, _infra, dbUrl) => uncachedRead(base, dbUrl, SECONDS),
    summary: (r) => [`uncached location ${r.rps} req/s, p99 ${r.p99Ms} ms, ${r.cpuUs} µs CPU/request`],
  }),
  cost: section({
    run: (base, infra, dbUrl) => routeCosts(base, infra, dbUrl, COST_SECONDS),
    summary: (r) => [
      ...r.routes.map(
        (c) =>
          `${c.route}: ${c.cpuUs} µs CPU/request (${round(c.cpuUs / Math.max(1, r.reference.cpuUs), 1)}× reference), ${c.statements} statements/request, ${c.rps} req/s`,
      ),
      `reference: ${r.reference.cpuUs} µs CPU/request, ${r.reference.rps} req/s`,
    ],
  }),
  "round-trips": section({
    run: (base, _infra, dbUrl) => measureRoundTrips(base, dbUrl, ROUND_TRIP_REPEAT),
    summary: (r) => formatRoundTrips(r.rows).split("\n"),
  }),
  mixed: section({
    run: (base, infra, dbUrl) => sweep(base, infra, dbUrl, SWEEP, SECONDS, STRESS),
    summary: (r) => [
      ...r.points.map(
        (p) =>
          `${p.concurrency} players: ${p.report.throughput} req/s, p99 ${p.report.p99Ms} ms, ${p.report.failed} failed, API ${p.apiCpuUs} µs CPU/request, ${p.statementsPerRequest} statements/request`,
      ),
      ...(r.stress ? [`stress test, ${r.stress.concurrency} players: ${r.stress.report.throughput} req/s, p99 ${r.stress.report.p99Ms} ms`] : []),
      `peak RSS (MB): ${JSON.stringify(r.memory)}`,
      ...(r.stress ? ["", formatReport(r.stress.report)] : []),
    ],
  }),
  players: section({
    run: (base, infra, dbUrl) => playersPerMachine(base, infra, dbUrl, PACE.steps, PACE.rampS, PACE.holdS),
    summary: (r) => [
      ...r.steps.map(
        (s) =>
          `${s.players} players: offered ${s.offeredRps} req/s, served ${s.report.throughput}, p99 ${s.report.p99Ms} ms, ${s.report.failed} failed; generator CPU ${s.cpu.corePercent.generator} % of a core, loop delay p99 ${s.generatorLagP99Ms} ms`,
      ),
      `players per machine (p99 ≤ 100 ms, no failure): ${r.players}`,
    ],
  }),
  combat: section({
    run: combatSection,
    summary: ({ combat, combatLight, reference, roundRatios }) => [
      `game, ${combat.fighters} fighters: ${combat.perSecond} actions/s, lag p50 ${combat.clientLag.p50Ms} ms p99 ${combat.clientLag.p99Ms} ms (database p50 ${combat.serverLag.p50Ms} p99 ${combat.serverLag.p99Ms}); 202 after p50 ${combat.clientLag.acceptP50Ms} ms p99 ${combat.clientLag.acceptP99Ms} ms, ${combat.refused} refused, ${combat.clientLag.received} of ${combat.accepted} results received (${combat.clientLag.beforeAccept} before their 202)`,
      `reference (bare BullMQ pair), ${reference.clients} clients: ${reference.perSecond} jobs/s, lag p50 ${reference.clientLag.p50Ms} ms p99 ${reference.clientLag.p99Ms} ms`,
      `ratio game/reference: ${round(combat.perSecond / Math.max(1, reference.perSecond), 2)} (round by round: ${roundRatios.join(", ")}; game ${combat.windowRates.join(", ")} actions/s, pair ${reference.windowRates.join(", ")} jobs/s; idling, the pair used ${combat.idleCorePercent} % of a core while the game ran, the game ${reference.idleCorePercent} % while the pair ran)`,
      `game, ${combatLight.fighters} fighters: ${combatLight.perSecond} actions/s, lag p50 ${combatLight.clientLag.p50Ms} ms p99 ${combatLight.clientLag.p99Ms} ms`,
      `batch sizes, ${combat.fighters} fighters: ${formatBatches(combat.batches)}`,
      `batch sizes, ${combatLight.fighters} fighters: ${formatBatches(combatLight.batches)}`,
      `CPU µs per action, ${combat.fighters} fighters: ${JSON.stringify(combat.cpuUsPerAction)}; reference: ${JSON.stringify(reference.cpuUsPerAction)}`,
      `write system calls per action, ${combat.fighters} fighters: ${JSON.stringify(combat.writesPerAction)}; ${combatLight.fighters} fighters: ${JSON.stringify(combatLight.writesPerAction)}; reference: ${JSON.stringify(reference.writesPerAction)}`,
      `on the wire per action, ${combat.fighters} fighters: ${JSON.stringify(combat.wirePerAction)}; ${combatLight.fighters} fighters: ${JSON.stringify(combatLight.wirePerAction)}; reference: ${JSON.stringify(reference.wirePerAction)}`,
    ],
  }),
  query: section({
    run: (_base, infra) => locationQuery(infra.adminUrl, SYNTHETIC),
    summary: (r) => [`location query median ${r.timings.unnamed} ms (named ${r.timings.named} ms), execution ${r.executionMs} ms`],
  }),
} satisfies Record<string, Section<any>>;

async function main(): Promise<void> {
  if (args.only && !(args.only in SECTIONS)) throw new Error(`--only takes one of ${Object.keys(SECTIONS).join(", ")}`);
  buildBundles();
  const infra = await startInfra();
  try {
    // Every section plays in a world of its own (database and Redis prefix): one section's players,
    // stacks and enemies would otherwise crowd the next one's locations and change what it measures.
    const world = async (name: string) => {
      const dbName = `echoes_bench_${name.replace(/\W/g, "_")}`;
      const dbUrl = await prepareDatabase(infra, dbName);
      return { dbUrl, dbName, base: benchEnv(dbUrl, infra.redisUrl) };
    };
    // A section leaves nothing running for the next: its database is dropped (autovacuum would
    // otherwise go on working through its rows), the bench's own Redis is emptied (keys that
    // expire cost Redis time too), and a checkpoint writes out what the section changed.
    const clearWorld = async (dbName: string) => {
      await sql(infra.adminUrl, `drop database if exists ${dbName} with (force)`);
      const redis = new Redis(infra.redisUrl);
      await redis.flushall().finally(() => redis.disconnect());
      await sql(infra.adminUrl, "checkpoint");
    };
    if (args.only) {
      const chosen = SECTIONS[args.only as keyof typeof SECTIONS] as Section<unknown>;
      const { dbUrl, base } = await world(args.only);
      const result = await chosen.run(base, infra, dbUrl);
      for (const line of chosen.summary(result)) say(line);
      return;
    }
    const probe = new Redis(infra.redisUrl);
    const versions = {
      node: process.version,
      postgres: (await sql<{ v: string }>(infra.adminUrl, "select current_setting('server_version') as v"))[0]!.v,
      redis: /redis_version:(\S+)/.exec(await probe.info("server"))?.[1] ?? "?",
    };
    probe.disconnect();

    const run = async <K extends keyof typeof SECTIONS>(name: K, what: string): Promise<Awaited<ReturnType<(typeof SECTIONS)[K]["run"]>>> => {
      say(what);
      const s = SECTIONS[name] as Section<unknown>;
      const { dbUrl, dbName, base } = await world(name);
      const result = await s.run(base, infra, dbUrl);
      await clearWorld(dbName);
      for (const line of s.summary(result)) say(line);
      return result as never;
    };
    const read = await run("read", "cached location view against the reference server");
    const uncached = await run("uncached", "location view with the cache off");
    const cost = await run("cost", "CPU and statements per request, route by route, and the reference");
    const roundTrips = await run("round-trips", "database round trips per request, counted on the wire");
    const mixed = await run("mixed", "mixed load sweep (closed loop), then the stress test");
    const best = [...mixed.points].filter((p) => p.report.failed === 0).sort((a, b) => b.report.throughput - a.report.throughput)[0];
    const bestWithin = [...mixed.points]
      .filter((p) => p.report.failed === 0 && p.report.p99Ms <= 50)
      .sort((a, b) => b.report.throughput - a.report.throughput)[0];
    say("mixed load at the best level without named prepared statements");
    const unprepared = await world("unprepared");
    const prepared = best
      ? (await sweep(unprepared.base, infra, unprepared.dbUrl, [best.concurrency], SECONDS, 0, { DB_PREPARED_STATEMENTS: "false" })).points[0]
      : undefined;
    await clearWorld(unprepared.dbName);
    const players = await run("players", "players per machine at a human pace (open loop)");
    const combats = await run("combat", "combat pipeline and its reference");
    const query = await run("query", "location query on the synthetic world");

    const results: Results = {
      at: new Date().toISOString(),
      machine: { cores: cpus().length, model: cpus()[0]?.model ?? "?", memoryGb: round(totalmem() / 2 ** 30, 1) },
      versions,
      seconds: SECONDS,
      read,
      uncached,
      cost,
      roundTrips,
      mixed,
      best,
      bestWithin,
      prepared,
      players,
      combat: combats.combat,
      combatLight: combats.combatLight,
      combatReference: combats.reference,
      combatRoundRatios: combats.roundRatios,
      query,
    };
    mkdirSync(args.out!, { recursive: true });
    writeFileSync(join(args.out!, "benchmarks.json"), JSON.stringify(results, null, 2));
    writeFileSync(join(args.out!, "bench-sweep.svg"), sweepChart(mixed.points));
    writeFileSync(join(args.out!, "bench-players.svg"), playersChart(players.steps));
    writeFileSync(join(args.out!, "BENCHMARKS.md"), renderMarkdown(results));
    say(`wrote ${join(args.out!, "BENCHMARKS.md")}`);
  } finally {
    await infra.stopRedis().catch(() => undefined);
    await infra.pg.destroy().catch(() => undefined);
  }
}

main().catch((err: Error) => {
  console.error(`[bench] ${err.stack ?? err.message}`);
  process.exit(1);
});
