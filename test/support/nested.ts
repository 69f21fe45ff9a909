import { spawn } from "node:child_process";

export interface NestedRun {
  code: number | null;
  pass: number;
  fail: number;
  output: string;
}

/**
 * Runs test files in a child test runner with extra environment (the parent's TEST_* settings
 * are inherited), for suites that must pass again under different infrastructure.
 */
export function runTestFiles(files: string[], env: Record<string, string>, concurrency = 2): Promise<NestedRun> {
  // Without this, the child runner would report to this one through node's internal protocol.
  const { NODE_TEST_CONTEXT: _parent, ...inherited } = process.env;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-timeout=180000", "--test-reporter=spec", ...files],
      { env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    child.once("exit", (code) => {
      const count = (name: string) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, "m").exec(output)?.[1] ?? NaN);
      resolve({ code, pass: count("pass"), fail: count("fail"), output });
    });
  });
}
