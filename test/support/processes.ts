import { type ChildProcess, spawn } from "node:child_process";

export interface Spawned {
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): string;
  /** Resolves with the exit code (or the signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Runs one of the game's processes with the given environment: from source
 * (`apps/<app>/src/main.ts`), or the production bundle (`apps/<app>/dist/main.js`, after `npm run build`).
 */
export function spawnApp(app: "api" | "worker", env: Record<string, string>, from: "source" | "bundle" = "source", nodeArgs: string[] = []): Spawned {
  const args = [...nodeArgs, ...(from === "bundle" ? [`apps/${app}/dist/main.js`] : ["--import", "tsx", `apps/${app}/src/main.ts`])];
  return spawnNode(app, args, { ...process.env, LOG_LEVEL: "info", ...env });
}

/** Runs `node <args>` with exactly the given environment, collecting what it writes. */
export function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  const app = name;
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout!.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    kill: (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitFor: async (pattern, ms = 30_000) => {
      const until = Date.now() + ms;
      while (!pattern.test(text)) {
        if (child.exitCode !== null) throw new Error(`${app} exited (${child.exitCode}) before ${pattern}:\n${text.slice(-2000)}`);
        if (Date.now() > until) throw new Error(`${app} did not print ${pattern} within ${ms} ms:\n${text.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}
