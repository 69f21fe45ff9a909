// What every section of the benchmark stands on: a PostgreSQL and a Redis of its own, the game's
// production bundles started with an environment of the bench's choosing, the reference server,
// and the small helpers the sections share.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { runMigrations, seedWorld } from "@echoes/db";
import { freePort } from "@echoes/db/embedded";
import { TokenService } from "../../apps/api/src/auth/tokens";
import { startRedisServer, waitUntilListening } from "../../scripts/services";
import { createPlayers } from "../support/players";
import { type Spawned, spawnApp, spawnNode } from "../support/processes";
import { OwnPostgres } from "../support/stack";

export const say = (line: string) => console.log(`[bench] ${line}`);
export const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
export const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? NaN;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Infra {
  dir: string;
  pg: OwnPostgres;
  adminUrl: string;
  redisUrl: string;
  /** The postmaster's pid (its backends are its children) and redis-server's, for CPU readings. */
  pids: { postgres: number; redis: number };
  stopRedis(): Promise<void>;
}

/** A PostgreSQL (with statement statistics) and a Redis of the benchmark's own. */
export async function startInfra(dirName = "bench"): Promise<Infra> {
  const dir = join(".data", dirName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  spawnSync("chmod", ["755", ".data", dir]);
  const pgServer = await OwnPostgres.start(dir, [
    "-c",
    "shared_preload_libraries=pg_stat_statements",
    "-c",
    "fsync=on",
    "-c",
    "max_connections=300",
    "-c",
    "shared_buffers=256MB",
  ]);
  const redis = await startRedisServer(await freePort(), join(dir, "redis"), { appendonly: false });
  const postmaster = Number(readFileSync(join(dir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
  return {
    dir,
    pg: pgServer,
    adminUrl: pgServer.url,
    redisUrl: redis.url,
    pids: { postgres: postmaster, redis: redis.process.pid! },
    stopRedis: redis.stop,
  };
}

export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function sql<T = any>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The game's API and worker from the production bundles, with an environment of the bench's choosing. */
export class Game {
  api!: Spawned;
  worker!: Spawned;
  url = "";
  /** The worker's /metrics. */
  workerMetricsUrl = "";
  private constructor(readonly env: Record<string, string>) {}

  /**
   * Starts both processes with `base` and `extra`; `apiDatabaseUrl` points the API alone
   * elsewhere (through a wire counter), the worker keeps the direct URL.
   */
  static async start(base: Record<string, string>, extra: Record<string, string> = {}, options: { apiDatabaseUrl?: string } = {}): Promise<Game> {
    const game = new Game({ ...base, ...extra });
    const port = await freePort();
    const metricsPort = await freePort();
    game.url = `http://127.0.0.1:${port}`;
    game.workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    // BENCH_PROFILE_DIR=dir writes CPU profiles of the API and the worker there (node --cpu-prof).
    const profile = (name: string) => (process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${join(process.env.BENCH_PROFILE_DIR, name)}`] : []);
    const apiEnv = {
      ...game.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...(options.apiDatabaseUrl ? { DATABASE_URL: options.apiDatabaseUrl } : {}),
    };
    game.api = spawnApp("api", apiEnv, "bundle", profile("api"));
    game.worker = spawnApp(
      "worker",
      { ...game.env, WORKER_METRICS_PORT: String(metricsPort), WORKER_METRICS_HOST: "127.0.0.1", LOG_LEVEL: "warn" },
      "bundle",
      profile("worker"),
    );
    if (!(await waitUntilListening("127.0.0.1", port, 30_000))) throw new Error(`the API did not start:\n${game.api.output()}`);
    if (!(await waitUntilListening("127.0.0.1", metricsPort, 30_000))) throw new Error(`the worker did not start:\n${game.worker.output()}`);
    return game;
  }

  /** Peak resident memory (VmHWM) of a process, in MB. */
  static peakRss(process: Spawned): number {
    return Game.memoryMb(process, "VmHWM");
  }

  /** Resident memory now (VmRSS) of a process, in MB. */
  static rss(process: Spawned): number {
    return Game.memoryMb(process, "VmRSS");
  }

  private static memoryMb(process: Spawned, field: "VmHWM" | "VmRSS"): number {
    const status = readFileSync(`/proc/${process.child.pid}/status`, "utf8");
    return round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) / 1024, 1);
  }

  /** The API's and the worker's pids, for CPU readings. */
  get pids(): { api: number; worker: number } {
    return { api: this.api.child.pid!, worker: this.worker.child.pid! };
  }

  /** The API's /metrics as text. */
  async apiMetrics(): Promise<string> {
    return (await fetch(`${this.url}/metrics`)).text();
  }

  /** The worker's /metrics as text. */
  async workerMetrics(): Promise<string> {
    return (await fetch(this.workerMetricsUrl)).text();
  }

  async stop(): Promise<void> {
    this.api.kill("SIGTERM");
    this.worker.kill("SIGTERM");
    await Promise.all([this.api.exited, this.worker.exited]);
  }
}

/**
 * Players made straight in the database (no password hashing: signing up thousands through the
 * API would spend minutes in argon2), with tokens signed by the game's secret.
 */
export function makePlayers(url: string, secret: string, count: number, locationId: string, kit: { itemId: string; quantity: number }[] = []) {
  const tokens = new TokenService(secret, 3600);
  return createPlayers(
    (text, values) => sql(url, text, values),
    (id) => tokens.issue(id),
    count,
    locationId,
    kit,
  );
}

export interface Throughput {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
}

/** Closed-loop load with autocannon (100 connections), each request with a random one of `tokens`. */
export async function hammer(url: string, tokens: string[] | null, seconds: number): Promise<Throughput> {
  const result = await autocannon({
    url,
    connections: 100,
    duration: seconds,
    ...(tokens
      ? {
          requests: [
            {
              setupRequest: (request) => {
                request.headers = { ...request.headers, authorization: `Bearer ${tokens[Math.floor(Math.random() * tokens.length)]}` };
                return request;
              },
            },
          ],
        }
      : {}),
  });
  return {
    rps: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

/** A process the bench started from a script of test/load, with its pid and URL. */
export interface Helper {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Runs `node --import tsx <script> <args>` with a free port as PORT, and waits until it prints `ready`. */
export async function startHelper(script: string, env: Record<string, string>, args: string[] = [], ready = /listening/): Promise<Helper> {
  const port = await freePort();
  // BENCH_PROFILE_DIR profiles the references too, beside the game's processes.
  const name = basename(script, ".ts");
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${join(process.env.BENCH_PROFILE_DIR, name)}`] : [];
  const helper = spawnNode(script, [...profile, "--import", "tsx", script, ...args], { ...process.env, ...env, PORT: String(port) });
  await helper.waitFor(ready, 20_000);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: helper.child.pid!,
    stop: async () => {
      helper.kill("SIGTERM");
      await helper.exited;
    },
  };
}

/** The ceiling for a cached read: Hono and one Redis GET per request, serving `key`. */
export function startReference(redisUrl: string, key: string): Promise<Helper> {
  return startHelper("test/load/reference-server.ts", { REDIS_URL: redisUrl, REFERENCE_KEY: key });
}

/** The game's database for a bench run: migrated, seeded, with statement statistics. */
export async function prepareDatabase(infra: Infra, name = "echoes_bench"): Promise<string> {
  const url = await createDatabase(infra.adminUrl, name);
  await runMigrations(url);
  await seedWorld(url);
  await sql(url, "create extension if not exists pg_stat_statements");
  return url;
}

/** The environment every game process of a bench run gets. */
export function benchEnv(dbUrl: string, redisUrl: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `bench${randomBytes(3).toString("hex")}`,
    JWT_SECRET: randomBytes(32).toString("hex"),
    // Virtual players in the closed-loop runs send requests back to back, each standing for many
    // real players: the per-player action limit would refuse most of them, so it is lifted.
    RATE_LIMIT_ACTIONS: "100000",
  };
}

/** Builds the production bundles the bench runs. */
export function buildBundles(): void {
  say("building the production bundles");
  if (spawnSync(process.execPath, ["scripts/build.mjs", "--quiet"], { stdio: "inherit" }).status !== 0) throw new Error("build failed");
}
