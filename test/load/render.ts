// docs/BENCHMARKS.md and its charts, written from the figures of one bench run: every number in
// the text comes from the run it describes.
import type { cachedRead, uncachedRead } from "./reads";
import type { combatPipeline, combatSideBySide } from "./combat-bench";
import type { routeCosts } from "./cost";
import type { locationQuery } from "./location-query";
import type { HeapSample, SweepPoint, sweep } from "./mixed";
import { PACE_BAR, THINK_MS, type PaceStep, type playersPerMachine } from "./players-per-machine";
import type { RoundTripRow, measureRoundTrips } from "./round-trips";
import { round } from "./bench-stack";

/** The API's heap beside its peak: what V8 let the heap grow to, and what was in use. */
function heapLine(under: HeapSample, after: HeapSample): string {
  return (
    `As the last level ended its V8 heap held ${under.totalMb} MB (new space ${under.newSpaceMb} MB, old space ${under.oldSpaceMb} MB) with ${under.usedMb} MB in use; ` +
    `20 s after the load stopped, ${after.usedMb} MB was in use and the process held ${after.rssMb} MB. ` +
    '"In use" counts garbage the collector has not reached yet: V8 grows the young generation to 16 MB semi-spaces under a high allocation rate and collects the old space as it grows, not when the process goes idle. ' +
    "Capping the semi-spaces (\`--max-semi-space-size\`) lowers the peak at the price of more minor collections, so CPU per request; the default is kept."
  );
}

export interface Results {
  at: string;
  machine: { cores: number; model: string; memoryGb: number };
  versions: Record<string, string>;
  seconds: number;
  read: Awaited<ReturnType<typeof cachedRead>>;
  uncached: Awaited<ReturnType<typeof uncachedRead>>;
  cost: Awaited<ReturnType<typeof routeCosts>>;
  roundTrips: Awaited<ReturnType<typeof measureRoundTrips>>;
  mixed: Awaited<ReturnType<typeof sweep>>;
  best: SweepPoint | undefined;
  bestWithin: SweepPoint | undefined;
  prepared: SweepPoint | undefined;
  players: Awaited<ReturnType<typeof playersPerMachine>>;
  combat: Awaited<ReturnType<typeof combatPipeline>>;
  combatLight: Awaited<ReturnType<typeof combatPipeline>>;
  combatReference: Awaited<ReturnType<typeof combatSideBySide>>["reference"];
  /** The game's rate over the pair's, window by window, as they took turns. */
  combatRoundRatios: number[];
  query: Awaited<ReturnType<typeof locationQuery>>;
}

const n = (v: number) => v.toLocaleString("en-US");
const met = (ok: boolean) => (ok ? "met" : "**not met**");
const table = (head: string[], body: (string | number)[][]) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...body.map((row) => `| ${row.join(" | ")} |`)].join("\n");

/** One row of the combat pipeline's wire counts per action. */
const wireRow = (run: string, clients: number, w: Results["combat"]["wirePerAction"]) => [run, clients, w.redisCommands, w.redisMessages, w.statements];

/** One row of the combat pipeline's write system calls per action, by process. */
const writesRow = (run: string, clients: number, w: Record<string, number>) => [
  run,
  clients,
  ...[w.api ?? w.producer, w.worker, w.postgres, w.redis, w.generator].map((v) => v ?? "—"),
];

/** "x ≤ 8, p99 ≤ 16 …" for the worker's batch sizes, or n/a when it does not report them. */
export function formatBatches(b: Results["combat"]["batches"]): string {
  if (!b) return "n/a (the worker reports no `combat_batch_size`)";
  if (b.batches === 0) return "no batches in the window";
  return `${n(b.batches)} batches, mean ${b.mean} turns; median ≤ ${b.p50AtMost}, p99 ≤ ${b.p99AtMost}, largest ≤ ${b.largestAtMost}`;
}

/** The processes' CPU over a window as "API 80 %, worker 20 %, …" (% of one core). */
function cpuShares(core: Record<string, number>): string {
  const names: Record<string, string> = {
    api: "API",
    worker: "worker",
    postgres: "PostgreSQL",
    redis: "Redis",
    generator: "load generator",
    producer: "producer",
  };
  return Object.entries(core)
    .map(([k, v]) => `${names[k] ?? k} ${v} %`)
    .join(", ");
}

/** The process that used the most CPU in a window, by its name in the text. */
function busiest(core: Record<string, number>): string {
  const names: Record<string, string> = { api: "the API", worker: "the worker", postgres: "PostgreSQL", redis: "Redis", generator: "the load generator" };
  const [name] = Object.entries(core).sort((a, b) => b[1] - a[1])[0] ?? ["?"];
  return names[name] ?? name;
}

function onTarget(rows: RoundTripRow[]): RoundTripRow[] {
  return rows.filter((r) => r.roundTrips === r.target);
}

function curveOf(
  points: { x: number; y: number; failed: boolean }[],
  opts: { title: string; xLabel: string; yLabel: string; bar: number; barLabel: string; logX: boolean },
): string {
  const W = 720;
  const H = 380;
  const pad = { l: 70, r: 40, t: 40, b: 50 };
  const fx = (v: number) => (opts.logX ? Math.log2(v) : v);
  const xs = points.map((p) => fx(p.x));
  const xMin = opts.logX ? Math.min(...xs) : 0;
  const xMax = Math.max(...xs, xMin + 1);
  const yMax = Math.max(...points.map((p) => p.y), opts.bar * 1.2) * 1.15;
  const x = (v: number) => pad.l + ((fx(v) - xMin) / (xMax - xMin)) * (W - pad.l - pad.r);
  const y = (v: number) => H - pad.b - (Math.min(v, yMax) / yMax) * (H - pad.t - pad.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ");
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
  <rect width="${W}" height="${H}" fill="#fff"/>
  <text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${opts.title}</text>
  <line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#444"/>
  <line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#d62728"/>
  ${ticks.map((t) => `<text x="${pad.l - 6}" y="${y(t * yMax) + 4}" text-anchor="end" fill="#d62728">${Math.round(t * yMax)}</text><line x1="${pad.l}" x2="${W - pad.r}" y1="${y(t * yMax)}" y2="${y(t * yMax)}" stroke="#eee"/>`).join("\n  ")}
  <line x1="${pad.l}" x2="${W - pad.r}" y1="${y(opts.bar)}" y2="${y(opts.bar)}" stroke="#d62728" stroke-dasharray="4 4"/>
  <text x="${W - pad.r - 4}" y="${y(opts.bar) - 4}" text-anchor="end" fill="#d62728">${opts.barLabel}</text>
  ${points.map((p) => `<text x="${x(p.x)}" y="${H - pad.b + 18}" text-anchor="middle">${n(p.x)}</text>`).join("\n  ")}
  <text x="${W / 2}" y="${H - 12}" text-anchor="middle">${opts.xLabel}</text>
  <text transform="translate(18 ${H / 2}) rotate(-90)" text-anchor="middle" fill="#d62728">${opts.yLabel}</text>
  <path d="${path}" fill="none" stroke="#d62728" stroke-width="2.5"/>
  ${points.map((p) => `<circle cx="${x(p.x)}" cy="${y(p.y)}" r="4" fill="${p.failed ? "#fff" : "#d62728"}" stroke="#d62728" stroke-width="2"/>`).join("\n  ")}
</svg>
`;
}

/** p99 against players at a human pace, as an SVG line chart (open circles: steps with failures). */
export function playersChart(steps: PaceStep[]): string {
  return curveOf(
    steps.map((s) => ({ x: s.players, y: s.report.p99Ms, failed: s.report.failed > 0 })),
    {
      title: "Players at a human pace: p99 latency against players",
      xLabel: `players, each sending the mixed load's mix every ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s (open loop)`,
      yLabel: "p99 latency (ms)",
      bar: PACE_BAR.p99Ms,
      barLabel: `p99 = ${PACE_BAR.p99Ms} ms`,
      logX: false,
    },
  );
}

/** Throughput and p99 against concurrency, as an SVG line chart. */
export function sweepChart(points: SweepPoint[]): string {
  const W = 720;
  const H = 380;
  const pad = { l: 70, r: 70, t: 40, b: 50 };
  const xs = points.map((p) => Math.log2(p.concurrency));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  const maxRps = Math.max(...points.map((p) => p.report.throughput), 1) * 1.15;
  const maxP99 = Math.max(...points.map((p) => p.report.p99Ms), 60) * 1.15;
  const x = (v: number) => pad.l + ((v - xMin) / (xMax - xMin)) * (W - pad.l - pad.r);
  const yL = (v: number) => H - pad.b - (v / maxRps) * (H - pad.t - pad.b);
  const yR = (v: number) => H - pad.b - (v / maxP99) * (H - pad.t - pad.b);
  const line = (f: (p: SweepPoint) => [number, number]) => points.map((p, i) => `${i === 0 ? "M" : "L"}${f(p)[0].toFixed(1)},${f(p)[1].toFixed(1)}`).join(" ");
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
  <rect width="${W}" height="${H}" fill="#fff"/>
  <text x="${W / 2}" y="22" text-anchor="middle" font-size="15">Mixed load: throughput and p99 latency against concurrency</text>
  <line x1="${pad.l}" y1="${H - pad.b}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#444"/>
  <line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}" stroke="#1f77b4"/>
  <line x1="${W - pad.r}" y1="${pad.t}" x2="${W - pad.r}" y2="${H - pad.b}" stroke="#d62728"/>
  ${ticks.map((t) => `<text x="${pad.l - 6}" y="${yL(t * maxRps) + 4}" text-anchor="end" fill="#1f77b4">${Math.round(t * maxRps)}</text><line x1="${pad.l}" x2="${W - pad.r}" y1="${yL(t * maxRps)}" y2="${yL(t * maxRps)}" stroke="#eee"/>`).join("\n  ")}
  ${ticks.map((t) => `<text x="${W - pad.r + 6}" y="${yR(t * maxP99) + 4}" fill="#d62728">${Math.round(t * maxP99)}</text>`).join("\n  ")}
  <line x1="${pad.l}" x2="${W - pad.r}" y1="${yR(50)}" y2="${yR(50)}" stroke="#d62728" stroke-dasharray="4 4"/>
  <text x="${W - pad.r - 4}" y="${yR(50) - 4}" text-anchor="end" fill="#d62728">p99 = 50 ms</text>
  ${points.map((p) => `<text x="${x(Math.log2(p.concurrency))}" y="${H - pad.b + 18}" text-anchor="middle">${p.concurrency}</text>`).join("\n  ")}
  <text x="${W / 2}" y="${H - 12}" text-anchor="middle">concurrent players (each sends its next request when the last is answered)</text>
  <text transform="translate(18 ${H / 2}) rotate(-90)" text-anchor="middle" fill="#1f77b4">requests per second</text>
  <text transform="translate(${W - 14} ${H / 2}) rotate(90)" text-anchor="middle" fill="#d62728">p99 latency (ms)</text>
  <path d="${line((p) => [x(Math.log2(p.concurrency)), yL(p.report.throughput)])}" fill="none" stroke="#1f77b4" stroke-width="2.5"/>
  <path d="${line((p) => [x(Math.log2(p.concurrency)), yR(p.report.p99Ms)])}" fill="none" stroke="#d62728" stroke-width="2.5"/>
  ${points.map((p) => `<circle cx="${x(Math.log2(p.concurrency))}" cy="${yL(p.report.throughput)}" r="3.5" fill="#1f77b4"/><circle cx="${x(Math.log2(p.concurrency))}" cy="${yR(p.report.p99Ms)}" r="3.5" fill="#d62728"/>`).join("\n  ")}
</svg>
`;
}

export function renderMarkdown(r: Results): string {
  const mixedBest = r.bestWithin ?? r.best;
  const refCpu = r.cost.reference.cpuUs;
  // The mixed multiple is taken against the reference at its busiest (autocannon, 100
  // connections), the way the reference is measured beside the cached read.
  const saturatedRefCpu = r.read.reference.cpuUs;
  const cpuMultiple = mixedBest ? round(mixedBest.apiCpuUs / Math.max(1, saturatedRefCpu), 1) : Number.NaN;
  const largeScans = r.query.scans.filter((s) => s.node === "Seq Scan" && (r.query.sizes[s.relation] ?? 0) > 10_000);
  const trips = r.roundTrips.rows;
  const tripsOnTarget = onTarget(trips);
  const tripOf = (route: string) => trips.find((t) => t.route === route);
  const costOf = (route: string) => r.cost.routes.find((c) => c.route === route);
  const combatRatio = round(r.combat.perSecond / Math.max(1, r.combatReference.perSecond), 2);
  const pace = r.players;
  const lastPace = pace.steps[pace.steps.length - 1];
  const bestPace = [...pace.steps].reverse().find((s) => s.passed);
  const stress = r.mixed.stress;

  const rows = [
    [
      "Cached `GET /v1/location` vs reference (Hono + one Redis GET)",
      "≥ 70 % of the reference",
      `${n(r.read.cached.rps)} vs ${n(r.read.reference.rps)} req/s = **${round(r.read.ratio * 100, 1)} %**; CPU ${r.read.cached.cpuUs} vs ${r.read.reference.cpuUs} µs per request (${r.read.cpuRatio}×)`,
      met(r.read.ratio >= 0.7),
    ],
    [
      "`GET /v1/location` with the cache off",
      "(shows what the cache buys)",
      `${n(r.uncached.rps)} req/s, p99 ${r.uncached.p99Ms} ms, ${r.uncached.cpuUs} µs CPU per request (${round(r.read.cached.rps / Math.max(1, r.uncached.rps), 1)}× slower than cached)`,
      "—",
    ],
    [
      "Mixed load (closed loop), highest throughput with zero failures and p99 ≤ 50 ms",
      "≥ 10,000 req/s",
      mixedBest
        ? `${n(mixedBest.report.throughput)} req/s at ${mixedBest.concurrency} players, p99 ${mixedBest.report.p99Ms} ms, ${mixedBest.report.failed} failed`
        : "no level without failures",
      met(Boolean(r.bestWithin && r.bestWithin.report.throughput >= 10_000)),
    ],
    [
      "API CPU per mixed request, as a multiple of the reference server's",
      "≤ 5×",
      mixedBest
        ? `**${cpuMultiple}×**: ${mixedBest.apiCpuUs} µs per mixed request at ${mixedBest.concurrency} players, reference ${saturatedRefCpu} µs at ${n(r.read.reference.rps)} req/s (${round(mixedBest.apiCpuUs / Math.max(1, refCpu), 1)}× its ${refCpu} µs under the per-route driver)`
        : "—",
      met(cpuMultiple <= 5),
    ],
    [
      `Players per machine at a human pace (a request every ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s each, open loop), p99 ≤ ${PACE_BAR.p99Ms} ms and 0 failures`,
      "10,000 players",
      bestPace
        ? `**${n(pace.players)} players** (${n(bestPace.report.throughput)} req/s, p99 ${bestPace.report.p99Ms} ms)${lastPace && !lastPace.passed ? `; ${n(lastPace.players)} players: p99 ${lastPace.report.p99Ms} ms, ${lastPace.report.failed} failed` : ""}`
        : `no step met it (${lastPace ? `${n(lastPace.players)} players: p99 ${lastPace.report.p99Ms} ms, ${lastPace.report.failed} failed` : "—"})`,
      met(pace.players >= 10_000),
    ],
    [
      "Database round trips per request (counted on the wire)",
      "every game write 1, every hot read 0 once warm",
      `${tripsOnTarget.length} of ${trips.length} routes on target${trips
        .filter((t) => t.roundTrips !== t.target)
        .map((t, i) => `${i === 0 ? "; off target: " : ", "}${t.route.replace(/^(GET|POST) /, "")} ${t.roundTrips}`)
        .join("")}`,
      met(tripsOnTarget.length === trips.length),
    ],
    [
      "Same mixed level with `DB_PREPARED_STATEMENTS=false` (as behind a PgBouncer older than 1.21)",
      "—",
      r.prepared
        ? `${n(r.prepared.report.throughput)} req/s at ${r.prepared.concurrency} players, p99 ${r.prepared.report.p99Ms} ms, ${r.prepared.report.failed} failed`
        : "—",
      "—",
    ],
    [
      `Stress test: ${stress?.concurrency ?? "?"} players in a closed loop, far past the latency bar`,
      "—",
      stress ? `${n(stress.report.throughput)} req/s, p99 ${stress.report.p99Ms} ms, ${stress.report.failed} failed` : "—",
      "—",
    ],
    [
      `Location query, ${n(r.query.made.players)} players and ${n(r.query.made.droppedItems)} dropped items`,
      "median ≤ 2 ms, index scans",
      `median **${r.query.timings.named} ms** round trip as the game sends it (prepared), ${r.query.timings.unnamed} ms unprepared; execution ${r.query.executionMs} ms; ${largeScans.length === 0 ? "no sequential scan of a large table" : `sequential scans: ${largeScans.map((s) => s.relation).join(", ")}`}`,
      met(r.query.timings.named <= 2 && largeScans.length === 0),
    ],
    [
      "Combat pipeline: actions accepted per second",
      "≥ 3,000/s",
      `**${n(r.combat.perSecond)}/s** (${r.combat.fighters} fighters, each waiting for its result) = **${combatRatio}** of the bare BullMQ pair's ${n(r.combatReference.perSecond)}/s (round by round: ${r.combatRoundRatios.join(", ")})`,
      met(r.combat.perSecond >= 3000),
    ],
    [
      "Combat pipeline: lag from 202 to result, at that rate",
      "p99 ≤ 100 ms",
      `client (202 → event): p50 ${r.combat.clientLag.p50Ms} ms, **p99 ${r.combat.clientLag.p99Ms} ms**; database (accepted → committed): p50 ${r.combat.serverLag.p50Ms} ms, p99 ${r.combat.serverLag.p99Ms} ms`,
      met(r.combat.clientLag.p99Ms <= 100),
    ],
    [
      `Combat pipeline: lag with ${r.combatLight.fighters} fighters`,
      "p99 ≤ 50 ms",
      `${n(r.combatLight.perSecond)} actions/s; client p50 ${r.combatLight.clientLag.p50Ms} ms, **p99 ${r.combatLight.clientLag.p99Ms} ms**; database p50 ${r.combatLight.serverLag.p50Ms} ms, p99 ${r.combatLight.serverLag.p99Ms} ms`,
      met(r.combatLight.clientLag.p99Ms <= 50),
    ],
    [
      "Combat pipeline: turns per worker batch",
      "—",
      `${r.combat.fighters} fighters: ${formatBatches(r.combat.batches)}; ${r.combatLight.fighters} fighters: ${formatBatches(r.combatLight.batches)}`,
      "—",
    ],
    [
      "Peak RSS under the mixed load",
      "≤ 200 MB each",
      `API **${r.mixed.memory.apiMb} MB** (at rest ${r.mixed.memory.atRest.apiMb} MB, after ${r.mixed.memory.afterSignUp.players} sign-ups ${r.mixed.memory.afterSignUp.apiMb} MB), worker **${r.mixed.memory.workerMb} MB** (at rest ${r.mixed.memory.atRest.workerMb} MB)`,
      met(r.mixed.memory.apiMb <= 200 && r.mixed.memory.workerMb <= 200),
    ],
  ];

  const routeRows = trips.map((t) => {
    const c = costOf(t.route);
    return [
      `\`${t.route}\``,
      `**${t.roundTrips}**`,
      t.apiStatements,
      t.target,
      c?.statements ?? "—",
      c ? n(c.cpuUs) : "—",
      c ? `${round(c.cpuUs / Math.max(1, refCpu), 1)}×` : "—",
      c ? n(c.rps) : "—",
    ];
  });
  const actionCpu = r.combat.cpuUsPerAction.api;
  const multiTrip = trips.filter((t) => t.sequence.length > 1);
  const warmReads = trips.filter((t) => t.route.startsWith("GET") && t.roundTrips > 0);

  const whereTime: string[] = [
    `- **Cached reads.** Under the same load, the reference spent ${r.read.reference.cpuUs} µs of CPU per request and answered ${n(r.read.reference.rps)} req/s; \`GET /v1/location\` spent ${r.read.cached.cpuUs} µs per request (${r.read.cpuRatio}×) and answered ${n(r.read.cached.rps)} req/s. Counted on the wire, a warm location read costs ${tripOf("GET /v1/location")?.roundTrips ?? "?"} database round trips per request; the rest of the gap is CPU spent in the API process itself. \`BENCH_PROFILE_DIR=dir npm run bench\` writes CPU profiles of the API and the worker to look inside it.`,
    `- **Everything that touches PostgreSQL.** ${multiTrip
      .map((t) => `A \`${t.route}\` is ${t.roundTrips} round trips (${t.sequence.map((s) => `\`${s.split(" ").slice(0, 3).join(" ")}…\``).join(", ")}).`)
      .join(" ")} ${
      warmReads.length > 0
        ? `Warm reads that still reach PostgreSQL, in round trips per request: ${warmReads.map((t) => `\`${t.route}\` ${t.roundTrips}`).join(", ")}.`
        : "No warm read reaches PostgreSQL."
    } Under the mixed load at ${mixedBest?.concurrency ?? "?"} players the API sent ${mixedBest?.statementsPerRequest ?? "?"} statements per request.`,
    mixedBest
      ? `- **The mixed load's limit.** At ${mixedBest.concurrency} players (closed loop) the processes used, in % of one core: ${cpuShares(mixedBest.cpu.corePercent)}; the machine (${r.machine.cores} cores) was ${mixedBest.cpu.machineBusyPercent} % busy, and ${busiest(mixedBest.cpu.corePercent)} used the most.`
      : "",
    `- **Players at a human pace.** ${pace.steps
      .map(
        (s) =>
          `${n(s.players)} players: ${n(s.report.throughput)} req/s, machine ${s.cpu.machineBusyPercent} % busy, API ${s.cpu.corePercent.api} %, load generator ${s.cpu.corePercent.generator} % of a core (its event loop late by ${s.generatorLagP99Ms} ms at p99)`,
      )
      .join("; ")}.`,
    `- **Combat pipeline.** Per accepted action at ${r.combat.fighters} fighters: API ${actionCpu} µs, worker ${r.combat.cpuUsPerAction.worker} µs, PostgreSQL ${r.combat.cpuUsPerAction.postgres} µs, Redis ${r.combat.cpuUsPerAction.redis} µs of CPU (machine ${r.combat.machineBusyPercent} % busy). The bare BullMQ pair: producer ${r.combatReference.cpuUsPerAction.producer} µs, worker ${r.combatReference.cpuUsPerAction.worker} µs, PostgreSQL ${r.combatReference.cpuUsPerAction.postgres} µs, Redis ${r.combatReference.cpuUsPerAction.redis} µs per job (machine ${r.combatReference.machineBusyPercent} % busy). Batches: ${formatBatches(r.combat.batches)}.`,
    `- **Memory.** At rest the API holds ${r.mixed.memory.atRest.apiMb} MB. Signing up ${r.mixed.memory.afterSignUp.players} players through the API takes its peak to ${r.mixed.memory.afterSignUp.apiMb} MB (argon2id holds 19 MiB for each hash while it runs); the mixed load takes it to ${r.mixed.memory.apiMb} MB. ${heapLine(r.mixed.memory.heapUnderLoad, r.mixed.memory.heapAfterLoad)}`,
  ].filter(Boolean);

  return `# Benchmarks

Measured by \`npm run bench\` on ${r.at.slice(0, 10)}, on this machine: ${r.machine.cores} cores (${r.machine.model}), ${r.machine.memoryGb} GB of memory;
Node.js ${r.versions.node}, PostgreSQL ${r.versions.postgres}, Redis ${r.versions.redis}. The API, the worker, PostgreSQL,
Redis and the load generator all share the cores. The bench starts its own PostgreSQL (with
\`pg_stat_statements\`, \`fsync=on\`) and Redis, runs the production bundles, and measures each figure
for ${r.seconds} s unless said otherwise. Each section plays in a world of its own (a fresh database
and Redis prefix), so one section's players, enemies and stacks do not crowd the next one's places.
The load generator drives the game through the generated client (\`@echoes/client\`) and shares the
cores with it: what it spends is taken from the game, so its CPU is shown beside every figure. Because the machine is shared and noisy, the cached read and
the combat pipeline are each compared with a reference measured in the same run. CPU times are read
from \`/proc/<pid>/stat\` (user + system, all threads) at the start and end of a window: what
\`process.cpuUsage()\` would report inside the process.

## Results

${table(["measurement", "target", "measured", "target"], rows)}

## Cost per request

Round trips are counted on the wire: the API's database connections pass through a small proxy
in the bench that reads the PostgreSQL protocol and counts each Sync and each simple Query (every
\`BEGIN\` and \`COMMIT\` included). The one statement the API sends on a timer, the poll for token
revocations a process may have missed (every 5 s), is left out of whichever route it falls on. Each route is sent ${trips[0]?.requests ?? "?"} times, one request at a time, by one player
after a first request of its own that is not counted (warm: the caches hold what they can); a fight
is engaged and looked at before its action is counted. The API's own statement counter
(\`db_queries_total\`) is read beside it, once for the same requests and once under load. CPU per
request is the API process's CPU time while ${r.cost.loops} clients send one route back to back for ${r.cost.seconds} s,
divided by the requests answered; the reference server (Hono + one Redis GET) is driven the same way
and spent **${refCpu} µs** per request (${saturatedRefCpu} µs at its busiest, under autocannon's 100 connections in the
cached-read comparison; the mixed multiple above is taken against that one). \`POST /v1/combat/actions\` is measured by the combat pipeline
below: ${actionCpu} µs of API CPU per accepted action.

${table(["route", "round trips", "statements (API counter)", "target", "statements under load", "API CPU µs", "× reference", "req/s"], routeRows)}

${multiTrip.length > 0 ? `What crosses the wire for each route of several round trips (first words of each statement):\n\n${multiTrip.map((t) => `- \`${t.route}\`: ${t.sequence.map((s) => `\`${s}\``).join(" → ")}`).join("\n")}\n` : ""}
## Players per machine

![p99 against players at a human pace](bench-players.svg)

Each virtual player plays the same request mix as the mixed load below, at a human pace: one
request every ${THINK_MS[0] / 1000}–${THINK_MS[1] / 1000} s (uniformly random), open loop. Requests fall due by the clock, not when the
last answer came; a player has at most one request in flight, and one that falls due before the
last is answered goes as soon as it is, timed from when it was due. Players join in steps, each
step's newcomers spread over ${pace.rampS} s, and each step is measured for ${pace.holdS} s once all have joined; the
ramp stops after the first step that misses p99 ≤ ${PACE_BAR.p99Ms} ms with no failure. The players are made
straight in the database, like registered ones (at the start, with the starter kit worn), with
tokens signed by the game's secret (${n(Math.max(...pace.steps.map((s) => s.players), 0))} in ${pace.signUpS} s; signing up through the API would spend
minutes in argon2). The load generator sends over ${n(pace.connections)} keep-alive connections; its own CPU and the
delay of its event loop are in the table, to show whether it kept up.

${table(
  [
    "players",
    "offered req/s",
    "served req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "refused",
    "failed",
    "API CPU %",
    "generator CPU %",
    "generator loop delay p99 ms",
    "machine busy %",
    "API RSS MB",
  ],
  pace.steps.map((s) => [
    n(s.players),
    n(s.offeredRps),
    n(s.report.throughput),
    s.report.p50Ms,
    s.report.p95Ms,
    s.report.p99Ms,
    s.report.refused,
    s.report.failed,
    s.cpu.corePercent.api ?? "—",
    s.cpu.corePercent.generator ?? "—",
    s.generatorLagP99Ms,
    s.cpu.machineBusyPercent,
    s.apiRssMb,
  ]),
)}

## Mixed load sweep (closed loop)

![throughput and p99 against concurrency](bench-sweep.svg)

Every virtual player signs up, then plays the game's request mix (location views the largest share;
\`me\`, inventory, item definitions, statistics, leaderboard; moves, pickups, drops, fight starts and
attacks; polling its combat jobs), sending its next request as soon as the last is answered. 409, 422
and 429 answers are refusals the game predicts and are counted apart; 5xx, timeouts and dropped
connections are failures. The last row is the stress test: ${stress?.concurrency ?? "?"} players at once, far past the point
where latency holds; it shows how the game bears overload, not how much it serves.

${table(
  ["players", "req/s", "p50 ms", "p95 ms", "p99 ms", "refused", "failed", "API CPU µs/request", "statements/request", "machine busy %"],
  [...r.mixed.points, ...(stress ? [stress] : [])].map((p) => [
    p === stress ? `${p.concurrency} (stress test)` : p.concurrency,
    n(p.report.throughput),
    p.report.p50Ms,
    p.report.p95Ms,
    p.report.p99Ms,
    p.report.refused,
    p.report.failed,
    p.apiCpuUs,
    p.statementsPerRequest,
    p.cpu.machineBusyPercent,
  ]),
)}

Per route at ${r.best?.concurrency ?? "?"} players:

${table(
  ["route", "requests", "p50 ms", "p99 ms"],
  (r.best?.report.routes ?? []).map((x) => [`\`${x.route}\``, n(x.requests), x.p50Ms, x.p99Ms]),
)}

Statements that took the most database time in the last level of the sweep (\`pg_stat_statements\`):

${table(
  ["calls", "total ms", "mean ms", "statement"],
  r.mixed.statements.map((s) => [s.calls, s.totalMs, s.meanMs, `\`${s.query.replace(/\|/g, "\\|")}…\``]),
)}

## Combat pipeline

Each client sends an action, gets a 202 with a job id, waits for that job's result on its event
stream, and sends the next. The game: each client a player in a long fight of its own
(\`POST /v1/combat/actions\`, \`GET /v1/events\`). The reference: a bare BullMQ producer and worker
pair on the same Redis and PostgreSQL (test/load/combat-reference.ts): a Hono server whose POST
enqueues one job and answers 202 with its id, a worker (concurrency ${r.combatReference.concurrency}) whose job is one
transaction of one single-row UPDATE, publishing the result over Redis pub/sub to the client's event
stream. CPU is per accepted action.

Each run starts with ${r.combat.warmUpS} s of load that is not counted (a fresh process's JIT compiler and
pools). At ${r.combat.fighters} clients the two take turns, both up throughout, so that the machine's changes
of pace weigh on both alike: ${r.combatRoundRatios.length} rounds of a window of each, ${round(r.seconds / r.combatRoundRatios.length, 1)} s long, the game first in
every other round and the pair first in the others. A window counts from the moment every client's
event stream is open to the moment every client has its last result. The game's rate over the
pair's, round by round: ${r.combatRoundRatios.join(", ")} (the game ${r.combat.windowRates.map(n).join(", ")} actions/s; the pair
${r.combatReference.windowRates.map(n).join(", ")} jobs/s). The two share Redis and PostgreSQL, so what the stack that is not driven
asks of them counts in the other's figures; its own processes used ${r.combat.idleCorePercent} % (the pair, while the game
ran) and ${r.combatReference.idleCorePercent} % (the game, while the pair ran) of one core meanwhile.

${table(
  [
    "run",
    "clients",
    "actions/s",
    "lag p50 ms",
    "lag p99 ms",
    "database lag p50 / p99 ms",
    "API (producer) CPU µs",
    "worker CPU µs",
    "PostgreSQL CPU µs",
    "turns per batch",
  ],
  [
    [
      "game",
      r.combat.fighters,
      n(r.combat.perSecond),
      r.combat.clientLag.p50Ms,
      r.combat.clientLag.p99Ms,
      `${r.combat.serverLag.p50Ms} / ${r.combat.serverLag.p99Ms}`,
      r.combat.cpuUsPerAction.api ?? "—",
      r.combat.cpuUsPerAction.worker ?? "—",
      r.combat.cpuUsPerAction.postgres ?? "—",
      formatBatches(r.combat.batches),
    ],
    [
      "game",
      r.combatLight.fighters,
      n(r.combatLight.perSecond),
      r.combatLight.clientLag.p50Ms,
      r.combatLight.clientLag.p99Ms,
      `${r.combatLight.serverLag.p50Ms} / ${r.combatLight.serverLag.p99Ms}`,
      r.combatLight.cpuUsPerAction.api ?? "—",
      r.combatLight.cpuUsPerAction.worker ?? "—",
      r.combatLight.cpuUsPerAction.postgres ?? "—",
      formatBatches(r.combatLight.batches),
    ],
    [
      "bare BullMQ pair",
      r.combatReference.clients,
      n(r.combatReference.perSecond),
      r.combatReference.clientLag.p50Ms,
      r.combatReference.clientLag.p99Ms,
      "—",
      r.combatReference.cpuUsPerAction.producer ?? "—",
      r.combatReference.cpuUsPerAction.worker ?? "—",
      r.combatReference.cpuUsPerAction.postgres ?? "—",
      "1 (one job, one transaction)",
    ],
  ],
)}

The game's combat rate is **${combatRatio}** of the reference's with ${r.combat.fighters} clients.

Counted on the wire over the same runs, per accepted action (counts do not move with the machine's
noise): commands Redis ran (a script's own calls included), reads Redis made from its clients'
sockets (a pipeline, or whatever arrived together, is one), and statements PostgreSQL ran (BEGIN
and COMMIT included).

${table(
  ["run", "clients", "Redis commands", "Redis reads", "PostgreSQL statements"],
  [
    wireRow("game", r.combat.fighters, r.combat.wirePerAction),
    wireRow("game", r.combatLight.fighters, r.combatLight.wirePerAction),
    wireRow("bare BullMQ pair", r.combatReference.clients, r.combatReference.wirePerAction),
  ],
)}

Write system calls per accepted action, by process (from /proc/<pid>/io). On this machine a
loopback socket write also runs the receiving side's TCP path, so each one is a cost on both
ends; PostgreSQL's count includes its WAL writes.

${table(
  ["run", "clients", "API or producer", "worker", "PostgreSQL", "Redis", "load generator"],
  [
    writesRow("game", r.combat.fighters, r.combat.writesPerAction),
    writesRow("game", r.combatLight.fighters, r.combatLight.writesPerAction),
    writesRow("bare BullMQ pair", r.combatReference.clients, r.combatReference.writesPerAction),
  ],
)}

## Where the time goes

${whereTime.join("\n")}

## Location query plan (synthetic world, busiest location)

Synthetic data (${n(r.query.made.players)} players, ${n(r.query.made.droppedItems)} dropped items) was
generated in ${r.query.seedSeconds} s. Scans: ${r.query.scans.map((s) => `${s.node} on ${s.relation}`).join("; ")}.
Table sizes: ${Object.entries(r.query.sizes)
    .map(([t, v]) => `${t} ${n(v)} rows`)
    .join(", ")}.

\`\`\`
${r.query.text}
\`\`\`

## Reproduce

\`\`\`sh
npm ci
npm run bench                       # about a quarter of an hour; writes docs/BENCHMARKS.md, docs/*.svg, docs/benchmarks.json
npm run bench -- --only combat      # one section: read, uncached, cost, round-trips, mixed, players, combat, query
node --import tsx test/load/round-trips.ts   # the round-trip table alone
npm run loadtest -- --players 500 --duration 30   # against a running game (npm start)
\`\`\`
`;
}
