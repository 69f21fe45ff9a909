import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@echoes/db/embedded";
import { waitUntilListening } from "../../scripts/services";

/** The path of a program on this machine, or null when it is not installed. */
export function which(program: string, extra: string[] = []): string | null {
  for (const candidate of [...extra, ...(process.env.PATH ?? "").split(":").map((d) => join(d, program))]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  return null;
}

const isRoot = process.getuid?.() === 0;

/** uid and gid of the `postgres` system user, for servers that refuse to run as root. */
function postgresUser(): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()),
  };
}

/** A scratch folder the `postgres` user may use too. */
export function scratchDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `echoes-${name}-`));
  chmodSync(dir, 0o755);
  if (isRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  return dir;
}

export interface Service {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): () => Promise<void> {
  return () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill(signal);
    });
}

/**
 * Runs PgBouncer with the repository's configuration (ops/pgbouncer/pgbouncer.ini): same pool
 * mode and pool figures, but listening on a free local port, serving every database of the
 * given PostgreSQL, and trusting local clients.
 */
export async function startPgBouncer(server: {
  host: string;
  port: number;
  user: string;
  password: string;
}): Promise<Service & { log(): string; preparedStatements: boolean }> {
  const binary = which("pgbouncer", ["/usr/sbin/pgbouncer"]);
  if (!binary) throw new Error("pgbouncer is not installed (apt-get install pgbouncer)");
  // Prepared statements in transaction mode arrived in PgBouncer 1.21; older ones refuse the setting.
  const [major, minor] = (/(\d+)\.(\d+)/.exec(spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout) ?? ["", "0", "0"]).slice(1).map(Number) as [
    number,
    number,
  ];
  const preparedStatements = major > 1 || (major === 1 && minor >= 21);
  const dir = scratchDir("pgbouncer");
  const port = await freePort();
  const repo = readFileSync("ops/pgbouncer/pgbouncer.ini", "utf8");
  const settings = repo
    .split("\n")
    .filter((line) => !/^\s*(listen_addr|listen_port|auth_type|auth_file|admin_users|stats_users)\s*=/.test(line))
    .filter((line) => preparedStatements || !/^\s*max_prepared_statements\s*=/.test(line))
    .join("\n")
    .replace(/\[databases\][^[]*/, `[databases]\n* = host=${server.host} port=${server.port} user=${server.user}\n\n`);
  const ini = `${settings}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, "userlist.txt")}
logfile = ${join(dir, "pgbouncer.log")}
`;
  writeFileSync(join(dir, "userlist.txt"), `"${server.user}" "${server.password}"\n`, { mode: 0o644 });
  writeFileSync(join(dir, "pgbouncer.ini"), ini, { mode: 0o644 });
  const args = isRoot ? ["-u", "postgres", join(dir, "pgbouncer.ini")] : [join(dir, "pgbouncer.ini")];
  const child = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  child.stderr!.on("data", (d: Buffer) => (errors += d.toString()));
  if (!(await waitUntilListening("127.0.0.1", port, 10_000))) throw new Error(`pgbouncer did not start: ${errors}`);
  const stop = stopper(child, "SIGINT");
  return {
    port,
    process: child,
    preparedStatements,
    log: () => readFileSync(join(dir, "pgbouncer.log"), "utf8"),
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `masters` redis-server nodes in cluster mode and joins them into one cluster (no replicas). */
export async function startRedisCluster(masters = 3): Promise<{ nodes: string; stop(): Promise<void> }> {
  const dir = scratchDir("redis-cluster");
  const servers: Service[] = [];
  for (let i = 0; i < masters; i++) {
    const port = await freePort();
    const nodeDir = join(dir, String(port));
    mkdirSync(nodeDir);
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        nodeDir,
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        "nodes.conf",
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: "ignore" },
    );
    if (!(await waitUntilListening("127.0.0.1", port, 10_000))) throw new Error(`redis-server did not start on ${port}`);
    servers.push({ port, process: child, stop: stopper(child) });
  }
  const nodes = servers.map((s) => `127.0.0.1:${s.port}`);
  const created = spawnSync("redis-cli", ["--cluster", "create", ...nodes, "--cluster-replicas", "0", "--cluster-yes"], { encoding: "utf8", timeout: 30_000 });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
  const until = Date.now() + 20_000;
  for (;;) {
    // Every node must agree before clients connect, or their first cluster check may fail.
    const info = servers.map((s) => spawnSync("redis-cli", ["-p", String(s.port), "cluster", "info"], { encoding: "utf8" }).stdout).join("\n");
    if ((info.match(/cluster_state:ok/g) ?? []).length === servers.length) break;
    if (Date.now() > until) throw new Error(`the cluster did not become ready:\n${info}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    nodes: nodes.join(","),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's PostgreSQL server programs (initdb, pg_ctl, pg_basebackup), or null when not installed. */
export function debianPostgresBin(): string | null {
  for (const version of ["17", "16", "15"]) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(join(dir, "pg_basebackup")) && existsSync(join(dir, "initdb"))) return dir;
  }
  return null;
}

/**
 * A primary and a streaming read replica made with pg_basebackup, each on a free port, with
 * Debian's PostgreSQL programs run as the `postgres` user.
 */
export async function startReplicatedPostgres(): Promise<{ primaryUrl: string; replicaUrl: string; stop(): Promise<void> }> {
  const bin = debianPostgresBin();
  if (!bin) throw new Error("PostgreSQL server programs not found (apt-get install postgresql)");
  const dir = scratchDir("replica");
  const as = isRoot ? postgresUser() : {};
  const run = (program: string, args: string[]) => {
    const result = spawnSync(join(bin, program), args, { ...as, encoding: "utf8", timeout: 120_000, env: { ...process.env, PGPASSWORD: "replicate" } });
    if (result.status !== 0) throw new Error(`${program} ${args.join(" ")}: ${result.stdout}${result.stderr}`);
  };
  const primaryDir = join(dir, "primary");
  const replicaDir = join(dir, "replica");
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, "pw"), "replicate\n", { mode: 0o644 });
  if (isRoot) chownSync(join(dir, "pw"), (as as { uid: number }).uid, (as as { gid: number }).gid);
  run("initdb", ["-D", primaryDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${join(dir, "pw")}`, "--no-sync"]);
  writeFileSync(
    join(primaryDir, "postgresql.auto.conf"),
    `port = ${primaryPort}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nwal_level = replica\nmax_wal_senders = 5\nfsync = off\n`,
  );
  const started: ChildProcess[] = [];
  const startServer = async (dataDir: string, port: number) => {
    const child = spawn(join(bin, "postgres"), ["-D", dataDir], { ...as, stdio: "ignore" });
    started.push(child);
    if (!(await waitUntilListening("127.0.0.1", port, 30_000))) throw new Error(`postgres did not start on ${port}`);
    // Accepting connections may take a moment longer than listening.
    await new Promise((r) => setTimeout(r, 500));
  };
  await startServer(primaryDir, primaryPort);
  run("pg_basebackup", ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-D", replicaDir, "-R", "-X", "stream", "-c", "fast"]);
  writeFileSync(
    join(replicaDir, "postgresql.auto.conf"),
    `${readFileSync(join(replicaDir, "postgresql.auto.conf"), "utf8")}port = ${replicaPort}\nhot_standby = on\n`,
  );
  if (isRoot) chownSync(join(replicaDir, "postgresql.auto.conf"), (as as { uid: number }).uid, (as as { gid: number }).gid);
  await startServer(replicaDir, replicaPort);
  return {
    primaryUrl: `postgres://postgres:replicate@127.0.0.1:${primaryPort}/postgres`,
    replicaUrl: `postgres://postgres:replicate@127.0.0.1:${replicaPort}/postgres`,
    stop: async () => {
      await Promise.all(started.reverse().map((c) => stopper(c, "SIGINT")()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
