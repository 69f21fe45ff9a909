// Local services for `npm start`, `npm test` and the fault suite: find out whether something
// listens, and run a redis-server of our own.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";

/** True when something accepts TCP connections at host:port within a second. */
export function listening(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port, timeout: 1_000 });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(false));
  });
}

export async function waitUntilListening(host: string, port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await listening(host, port)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

export interface RedisServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on 127.0.0.1:port with its files in `dir`, configured for queues
 * (noeviction); `appendonly` keeps data across its own restarts.
 */
export async function startRedisServer(port: number, dir: string, options: { appendonly?: boolean; extra?: string[] } = {}): Promise<RedisServer> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      options.appendonly === false ? "no" : "yes",
      "--maxmemory-policy",
      "noeviction",
      ...(options.extra ?? []),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (!(await waitUntilListening("127.0.0.1", port, 10_000))) {
    child.kill("SIGKILL");
    throw new Error(`redis-server did not start on port ${port}`);
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill("SIGTERM");
      }),
  };
}
