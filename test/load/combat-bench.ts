// The combat pipeline, end to end as a client sees it: send an action, get a 202 with a job id,
// wait for the result on the event stream, send the next. The game's pipeline and a bare BullMQ
// reference (combat-reference.ts) are driven by the same closed-loop clients.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { Agent, request } from "undici";
import { CpuMeter, type CpuSubject, type CpuWindow } from "./cpu";
import { Game, type Infra, makePlayers, percentile, round, say, sql, startHelper } from "./bench-stack";
import { bucketPercentile, histogram, histogramDelta } from "./scrape";

/** Concurrency of the reference worker: the game's worker default (WORKER_CONCURRENCY). */
const REFERENCE_CONCURRENCY = 16;

/** One closed-loop client: where it sends its actions and where it waits for their results. */
interface ActionClient {
  action: { url: string; headers: Record<string, string>; body: string };
  events: { url: string; headers: Record<string, string> };
}

export interface Lag {
  p50Ms: number;
  p99Ms: number;
  received: number;
  /** Results that came on the stream before their 202 was read (their lag counts as 0). */
  beforeAccept: number;
  /** From sending an action to its 202. */
  acceptP50Ms: number;
  acceptP99Ms: number;
}

/** What a measured window reads at its start and its end: everything between is the clients' steady play. */
interface WindowEdges {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every client opens its event stream, waits for it to be ready, then sends an action, waits
 * for that action's result on the stream, and sends the next, for `seconds`. `edges` are called
 * once every stream is open and once every client has its last result, so that opening and
 * closing the streams is outside the window.
 */
async function drive(clients: ActionClient[], seconds: number, edges?: WindowEdges): Promise<Driven> {
  const agent = new Agent({ connections: clients.length * 2 + 10, pipelining: 1 });
  const lags: number[] = [];
  const accepts: number[] = [];
  let accepted = 0;
  let beforeAccept = 0;
  let refused = 0;
  const streams = await Promise.all(
    clients.map(async (client) => {
      const stream = await request(client.events.url, { dispatcher: agent, headers: client.events.headers });
      const waiters = new Map<string, (at: number) => void>();
      // A result can come before its 202 is read (the worker was quicker than the answer): kept until asked for.
      const early = new Map<string, number>();
      let opened!: () => void;
      const ready = new Promise<void>((resolve) => (opened = resolve));
      const reading = (async () => {
        let buffer = "";
        for await (const chunk of stream.body) {
          buffer += chunk.toString();
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            if (/^event: ready$/m.test(block)) opened();
            const id = /^id: (.*)$/m.exec(block)?.[1];
            if (!id) continue;
            const waiter = waiters.get(id);
            if (waiter) waiter(performance.now());
            else early.set(id, performance.now());
          }
        }
      })().catch(() => undefined);
      await ready;
      return { client, stream, waiters, early, reading };
    }),
  );
  await edges?.start();
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    streams.map(async ({ client, waiters, early }) => {
      while (performance.now() < until) {
        const sentAt = performance.now();
        const sent = await request(client.action.url, { method: "POST", dispatcher: agent, headers: client.action.headers, body: client.action.body });
        const body = (await sent.body.json()) as { jobId?: string };
        accepts.push(performance.now() - sentAt);
        if (sent.statusCode !== 202 || !body.jobId) {
          refused++;
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        const acceptedAt = performance.now();
        accepted++;
        const jobId = body.jobId;
        const already = early.get(jobId);
        early.delete(jobId);
        if (already !== undefined) beforeAccept++;
        const doneAt =
          already ??
          (await new Promise<number>((resolve) => {
            const timer = setTimeout(() => resolve(Number.NaN), 10_000);
            waiters.set(jobId, (at) => {
              clearTimeout(timer);
              resolve(at);
            });
          }));
        waiters.delete(jobId);
        if (Number.isFinite(doneAt)) lags.push(Math.max(0, doneAt - acceptedAt));
      }
    }),
  );
  await edges?.stop();
  for (const s of streams) s.stream.body.destroy();
  await Promise.all(streams.map((s) => s.reading));
  await agent.close();
  return { accepted, refused, lags, accepts, beforeAccept };
}

/** What one window of closed-loop clients gave: counts, and every lag and 202 time measured. */
interface Driven {
  accepted: number;
  refused: number;
  lags: number[];
  accepts: number[];
  beforeAccept: number;
}

/** The lag percentiles of one or more windows. */
function lagOf(runs: Driven[]): Lag {
  const lags = runs.flatMap((r) => r.lags).sort((a, b) => a - b);
  const accepts = runs.flatMap((r) => r.accepts).sort((a, b) => a - b);
  return {
    p50Ms: round(percentile(lags, 50), 1),
    p99Ms: round(percentile(lags, 99), 1),
    received: lags.length,
    beforeAccept: runs.reduce((n, r) => n + r.beforeAccept, 0),
    acceptP50Ms: round(percentile(accepts, 50), 1),
    acceptP99Ms: round(percentile(accepts, 99), 1),
  };
}

/** Turns per batch the worker reached in the window (its `combat_batch_size` histogram), or null when it has none. */
export interface BatchSizes {
  batches: number;
  mean: number;
  /** Upper bounds of the histogram buckets holding the median and the 99th percentile. */
  p50AtMost: number | null;
  p99AtMost: number | null;
  largestAtMost: number | null;
}

function batchSizes(before: string, after: string): BatchSizes | null {
  const end = histogram(after, "combat_batch_size");
  if (!end) return null;
  const h = histogramDelta(histogram(before, "combat_batch_size"), end);
  const largest = h.buckets.find((b) => b.count >= h.count)?.le ?? null;
  return {
    batches: h.count,
    mean: h.count > 0 ? round(h.sum / h.count, 1) : 0,
    p50AtMost: bucketPercentile(h, 50),
    p99AtMost: bucketPercentile(h, 99),
    largestAtMost: largest,
  };
}

/** µs of CPU per accepted action, for each process measured. */
function perAction(micros: Record<string, number>, accepted: number): Record<string, number> {
  return Object.fromEntries(Object.entries(micros).map(([name, us]) => [name, Math.round(us / Math.max(1, accepted))]));
}

interface WireCounts {
  /** Commands Redis ran (a script call is one). */
  redisCommands: number;
  /** Reads Redis made from its clients' sockets: each message that reached it, a pipeline being one. */
  redisMessages: number;
  /** Statements PostgreSQL ran in the section's database (BEGIN and COMMIT among them). */
  statements: number;
}

/** A `WireCounts` with each count given by `count`. */
const wireOf = (count: (key: keyof WireCounts) => number): WireCounts => ({
  redisCommands: count("redisCommands"),
  redisMessages: count("redisMessages"),
  statements: count("statements"),
});

/** What Redis and PostgreSQL have received so far: counts, which this machine's noise does not move. */
async function wireCounts(redisUrl: string, dbUrl: string): Promise<WireCounts> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const info = await redis.info("stats").finally(() => redis.disconnect());
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)?.[1] ?? Number.NaN);
  const [row] = await sql<{ calls: string }>(
    dbUrl,
    "select coalesce(sum(calls), 0)::text as calls from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())",
  );
  return { redisCommands: field("total_commands_processed"), redisMessages: field("total_reads_processed"), statements: Number(row!.calls) };
}

/** How long each stack is driven before its first measured window. */
const WARM_UP_S = 3;

/** One measured window of a stack under its closed-loop clients. */
interface Window {
  seconds: number;
  run: Driven;
  cpu: CpuWindow;
  /** Counts' growth over the window (not per action). */
  wire: WireCounts;
}

/**
 * A stack (the game's pipeline or the bare pair) with its clients ready, measured in windows,
 * so that two stacks can take turns under load and each window of one is next to one of the other.
 */
interface Stack {
  /** CPU of this stack's own processes, for the other stack's windows to read while this one idles. */
  processes: Record<string, CpuSubject>;
  /** Drives the clients for `seconds` without counting anything: a fresh process's first seconds are its JIT compiler's and its pools'. */
  warmUp(seconds: number): Promise<void>;
  /** Drives the clients for `seconds`; `idle` names processes of another stack, whose CPU is read too. */
  measure(seconds: number, idle?: Record<string, CpuSubject>): Promise<Window>;
  close(): Promise<void>;
}

/** Measures one window of `clients` on `subjects`' CPU and the wire counts. */
async function measureWindow(clients: ActionClient[], seconds: number, subjects: Record<string, CpuSubject>, infra: Infra, dbUrl: string): Promise<Window> {
  const meter = new CpuMeter(subjects);
  let before!: WireCounts;
  let after!: WireCounts;
  let cpu!: CpuWindow;
  const run = await drive(clients, seconds, {
    async start() {
      before = await wireCounts(infra.redisUrl, dbUrl);
      meter.start();
    },
    async stop() {
      cpu = meter.stop();
      after = await wireCounts(infra.redisUrl, dbUrl);
    },
  });
  return { seconds, run, cpu, wire: wireOf((key) => after[key] - before[key]) };
}

/** A stack measured window by window: `clients` driving `processes`, each window kept for `summarize`. */
function windowed(clients: ActionClient[], processes: Record<string, CpuSubject>, infra: Infra, dbUrl: string, close: () => Promise<void>) {
  const windows: Window[] = [];
  const stack: Stack = {
    processes,
    async warmUp(seconds) {
      await drive(clients, seconds);
    },
    async measure(seconds, idle = {}) {
      const subjects = { ...processes, postgres: { tree: infra.pids.postgres }, redis: infra.pids.redis, generator: process.pid, ...prefixed("idle:", idle) };
      const window = await measureWindow(clients, seconds, subjects, infra, dbUrl);
      windows.push(window);
      return window;
    },
    close,
  };
  return { stack, windows };
}

const prefixed = (prefix: string, subjects: Record<string, CpuSubject>) =>
  Object.fromEntries(Object.entries(subjects).map(([name, subject]) => [`${prefix}${name}`, subject]));

/** The figures of a stack's windows taken together; CPU of processes named `idle:…` is left to `idleCorePercent`. */
function summarize(windows: Window[]) {
  const seconds = windows.reduce((n, w) => n + w.seconds, 0);
  const accepted = windows.reduce((n, w) => n + w.run.accepted, 0);
  const micros: Record<string, number> = {};
  const writes: Record<string, number> = {};
  for (const w of windows) {
    for (const [name, us] of Object.entries(w.cpu.micros)) micros[name] = (micros[name] ?? 0) + us;
    for (const [name, n] of Object.entries(w.cpu.writes)) if (!name.startsWith("idle:")) writes[name] = (writes[name] ?? 0) + n;
  }
  const own = Object.fromEntries(Object.entries(micros).filter(([name]) => !name.startsWith("idle:")));
  const idle = Object.entries(micros).filter(([name]) => name.startsWith("idle:"));
  return {
    accepted,
    refused: windows.reduce((n, w) => n + w.run.refused, 0),
    perSecond: round(accepted / seconds),
    /** Each window's rate, in the order they ran. */
    windowRates: windows.map((w) => round(w.run.accepted / w.seconds)),
    clientLag: lagOf(windows.map((w) => w.run)),
    cpuUsPerAction: perAction(own, accepted),
    /** Write system calls per action, by process: each socket write is one message sent. */
    writesPerAction: Object.fromEntries(Object.entries(writes).map(([name, n]) => [name, round(n / Math.max(1, accepted), 2)])),
    /** Share of one core the other stack's idle processes used meanwhile, in %. */
    idleCorePercent: round(idle.reduce((n, [, us]) => n + us, 0) / (windows.reduce((n, w) => n + w.cpu.seconds, 0) * 1e4), 1),
    wirePerAction: wireOf((key) => round(windows.reduce((n, w) => n + w.wire[key], 0) / Math.max(1, accepted), 2)),
    machineBusyPercent: Math.round(windows.reduce((n, w) => n + w.cpu.machineBusyPercent * w.seconds, 0) / seconds),
  };
}

/** The game's pipeline with `fighters` players each in a long fight of their own, ready to be measured. */
async function gameStack(base: Record<string, string>, infra: Infra, dbUrl: string, fighters: number) {
  const game = await Game.start(base);
  try {
    return await readyGame(game, infra, dbUrl, fighters, base.JWT_SECRET!);
  } catch (err) {
    await game.stop();
    throw err;
  }
}

/** `fighters` players of `game`, each engaged with an enemy of its own, as a stack to measure. */
async function readyGame(game: Game, infra: Infra, dbUrl: string, fighters: number, jwtSecret: string) {
  const players = await makePlayers(dbUrl, jwtSecret, fighters, "dust-road");
  await sql(dbUrl, "update players set hp = 1000000, max_hp = 1000000 where id = any($1)", [players.map((p) => p.id)]);
  const enemies = await sql<{ id: number }>(
    dbUrl,
    "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select 'giant-roach', 'dust-road', 1000000, 1000000 from generate_series(1, $1::int) returning id",
    [fighters],
  );
  for (const [i, p] of players.entries()) {
    const res = await request(`${game.url}/v1/combat`, {
      method: "POST",
      headers: { authorization: `Bearer ${p.token}`, "content-type": "application/json" },
      body: JSON.stringify({ enemyId: enemies[i]!.id }),
    });
    if (res.statusCode !== 201) throw new Error(`engage: ${res.statusCode} ${await res.body.text()}`);
    await res.body.text();
  }
  const clients = players.map((p) => {
    const auth = { authorization: `Bearer ${p.token}` };
    return {
      action: { url: `${game.url}/v1/combat/actions`, headers: { ...auth, "content-type": "application/json" }, body: '{"action":"attack"}' },
      events: { url: `${game.url}/v1/events`, headers: auth },
    };
  });
  const measured = windowed(clients, { api: game.pids.api, worker: game.pids.worker }, infra, dbUrl, () => game.stop());
  const { windows } = measured;
  let metricsBefore = "";
  let firstWindowAt = new Date();
  const stack: Stack = {
    ...measured.stack,
    // The batch sizes and the database's lag count from the first measured window, after the warm-up.
    async measure(seconds, idle) {
      if (windows.length === 0) {
        metricsBefore = await game.workerMetrics();
        firstWindowAt = new Date();
      }
      return measured.stack.measure(seconds, idle);
    },
  };
  /** Every window's figures, with the database's own lag and the worker's batch sizes over all of them. */
  const results = async () => {
    const metricsAfter = await game.workerMetrics();
    const [server] = await sql<{ p50: number; p99: number; n: number }>(
      dbUrl,
      `select percentile_cont(0.5) within group (order by extract(epoch from completed_at - accepted_at) * 1000) as p50,
              percentile_cont(0.99) within group (order by extract(epoch from completed_at - accepted_at) * 1000) as p99,
              count(*)::int as n
       from combat_actions where accepted_at >= $1 and status = 'completed'`,
      [firstWindowAt],
    );
    return {
      fighters,
      warmUpS: WARM_UP_S,
      ...summarize(windows),
      serverLag: { p50Ms: round(server!.p50, 1), p99Ms: round(server!.p99, 1), completed: server!.n },
      batches: batchSizes(metricsBefore, metricsAfter),
    };
  };
  return { stack, results };
}

/** The bare BullMQ producer and worker pair under `clients` closed-loop clients, ready to be measured. */
async function referenceStack(infra: Infra, dbUrl: string, clients: number) {
  await sql(dbUrl, "drop table if exists bench_reference_rows");
  await sql(dbUrl, "create table bench_reference_rows (id int primary key, n bigint not null default 0)");
  await sql(dbUrl, "insert into bench_reference_rows (id) select generate_series(1, $1::int)", [clients]);
  const env = {
    REDIS_URL: infra.redisUrl,
    DATABASE_URL: dbUrl,
    REFERENCE_PREFIX: `ref${randomBytes(3).toString("hex")}`,
    REFERENCE_CONCURRENCY: String(REFERENCE_CONCURRENCY),
  };
  const worker = await startHelper("test/load/combat-reference.ts", env, ["worker"]);
  const producer = await startHelper("test/load/combat-reference.ts", env, ["producer"]).catch(async (err: Error) => {
    await worker.stop();
    await sql(dbUrl, "drop table if exists bench_reference_rows");
    throw err;
  });
  const targets = Array.from({ length: clients }, (_, i) => ({
    action: { url: `${producer.url}/actions/${i + 1}`, headers: {}, body: "" },
    events: { url: `${producer.url}/events/${i + 1}`, headers: {} },
  }));
  const measured = windowed(targets, { producer: producer.pid, worker: worker.pid }, infra, dbUrl, async () => {
    await producer.stop();
    await worker.stop();
    await sql(dbUrl, "drop table if exists bench_reference_rows");
  });
  const { windows } = measured;
  const stack: Stack = {
    ...measured.stack,
    async measure(seconds, idle) {
      const window = await measured.stack.measure(seconds, idle);
      say(`combat reference (bare BullMQ pair): ${round(window.run.accepted / seconds)} jobs/s in a ${seconds} s window`);
      return window;
    },
  };
  return { stack, results: () => ({ clients, concurrency: REFERENCE_CONCURRENCY, ...summarize(windows) }) };
}

/** The game's pipeline with `fighters` players, warmed up, then measured for one window of `seconds`. */
export async function combatPipeline(base: Record<string, string>, infra: Infra, dbUrl: string, fighters: number, seconds: number) {
  const game = await gameStack(base, infra, dbUrl, fighters);
  try {
    await game.stack.warmUp(WARM_UP_S);
    await game.stack.measure(seconds);
    return await game.results();
  } finally {
    await game.stack.close();
  }
}

/**
 * The game's pipeline and the bare BullMQ pair under the same `clients` closed-loop clients, taking
 * turns after a warm-up of each: `rounds` rounds of a window of each, `seconds / rounds` long, the
 * game first in every other round and the pair first in the others (so that a steady change of
 * pace favours neither). Both stacks stay up throughout, the one not driven idling, and its CPU is
 * read meanwhile (they share Redis and PostgreSQL, so what the idle one asks of them is counted
 * in the other's figures: its CPU says how little that is). A machine that slows down or speeds
 * up during the run then weighs on both alike, and each round gives a ratio of its own: the spread
 * of those says how much the noise moved the figure.
 */
export async function combatSideBySide(base: Record<string, string>, infra: Infra, dbUrl: string, clients: number, seconds: number, rounds: number) {
  const game = await gameStack(base, infra, dbUrl, clients);
  try {
    const reference = await referenceStack(infra, dbUrl, clients);
    try {
      await game.stack.warmUp(WARM_UP_S);
      await reference.stack.warmUp(WARM_UP_S);
      const each = seconds / rounds;
      const ratios: number[] = [];
      const playGame = () => game.stack.measure(each, reference.stack.processes);
      const playPair = () => reference.stack.measure(each, game.stack.processes);
      for (let i = 0; i < rounds; i++) {
        let played: Window;
        let paired: Window;
        if (i % 2 === 0) {
          played = await playGame();
          paired = await playPair();
        } else {
          paired = await playPair();
          played = await playGame();
        }
        ratios.push(round(played.run.accepted / Math.max(1, paired.run.accepted), 2));
      }
      return { combat: await game.results(), reference: reference.results(), roundRatios: ratios };
    } finally {
      await reference.stack.close();
    }
  } finally {
    await game.stack.close();
  }
}
