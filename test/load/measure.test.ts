import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Histogram, Registry } from "prom-client";
import { CpuMeter, processCpuMicros, processWrites } from "./cpu";
import { bucketPercentile, histogram, histogramDelta, metricSum } from "./scrape";

/** Node code that spins until it has used `ms` of CPU time by its own count (process.cpuUsage). */
const spin = (ms: number) =>
  `const used = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }; const end = used() + ${ms}; while (used() < end);`;

describe("the bench's instruments", () => {
  it("reads a process's CPU time from /proc as the process itself counts it", async () => {
    // The child reports process.cpuUsage() on "go", spins, and reports it again.
    const child = spawn(
      process.execPath,
      [
        "-e",
        `process.stdin.once("data", () => { const before = process.cpuUsage(); ${spin(300)} const after = process.cpuUsage(); console.log(after.user + after.system - before.user - before.system); setInterval(() => {}, 1000); });`,
      ],
      { stdio: ["pipe", "pipe", "ignore"] },
    );
    await new Promise((r) => setTimeout(r, 500));
    const cpu = new CpuMeter({ child: child.pid! });
    cpu.start();
    child.stdin!.write("go\n");
    const own = Number(await new Promise<string>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString()))));
    const window = cpu.stop();
    child.kill();
    assert.ok(own >= 300_000);
    assert.ok(Math.abs(window.micros.child! - own) <= 40_000, `read ${window.micros.child} µs from /proc, the process counted ${own} µs`);
    assert.ok(window.machineBusyPercent > 0);
  });

  it("counts the CPU of a process tree, children that already exited included", async () => {
    const shell = spawn("sh", ["-c", `${JSON.stringify(process.execPath)} -e ${JSON.stringify(spin(300))}; sleep 30`], { stdio: "ignore" });
    const cpu = new CpuMeter({ tree: { tree: shell.pid! } });
    cpu.start();
    // The spinner exits once it has used 300 ms; then the shell's only child is its sleep.
    const children = () => readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    const spinner = async () => {
      for (let i = 0; i < 50 && children().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      return children()[0];
    };
    const first = await spinner();
    for (let i = 0; i < 300 && children()[0] === first; i++) await new Promise((r) => setTimeout(r, 50));
    const window = cpu.stop();
    shell.kill();
    assert.ok(window.micros.tree! >= 300_000, `counted ${window.micros.tree} µs of a 300 ms spin in an exited child`);
    assert.equal(processCpuMicros(2 ** 22 + 12345), 0, "a process that does not exist used nothing");
  });

  it("counts a process's write system calls, and those of a process tree's members", async () => {
    // On "go" a writer makes 300 writes of 100 bytes each to /dev/null, then says it is done on stderr.
    const writer = `const fs = require("node:fs"); const sink = fs.openSync("/dev/null", "w"); process.stdin.once("data", () => { for (let i = 0; i < 300; i++) fs.writeSync(sink, "x".repeat(100)); fs.writeSync(2, "done"); setInterval(() => {}, 1000); });`;
    const child = spawn(process.execPath, ["-e", writer], { stdio: ["pipe", "ignore", "pipe"] });
    // The same writer as the child of a shell: the tree's count is its members'.
    const shell = spawn("sh", ["-c", `${JSON.stringify(process.execPath)} -e ${JSON.stringify(writer)}`], {
      stdio: ["pipe", "ignore", "pipe"],
      detached: true,
    });
    const quiet = spawn("sh", ["-c", "sleep 30"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 1000));
    const meter = new CpuMeter({ child: child.pid!, tree: { tree: shell.pid! }, quiet: { tree: quiet.pid! } });
    meter.start();
    const done = (p: typeof child) => new Promise((resolve) => p.stderr!.once("data", resolve));
    const finished = Promise.all([done(child), done(shell)]);
    child.stdin!.write("go\n");
    shell.stdin!.write("go\n");
    await finished;
    const window = meter.stop();
    for (const p of [child, quiet]) p.kill();
    process.kill(-shell.pid!, "SIGTERM");
    // The 300 writes and the one to stderr; the runtime may add a few of its own.
    for (const subject of ["child", "tree"]) {
      const n = window.writes[subject]!;
      assert.ok(n >= 301 && n <= 320, `counted ${n} writes of 301 in ${subject}`);
    }
    assert.equal(window.writes.quiet, 0, "a sleeping shell and its sleep wrote nothing");
    assert.equal(processWrites(2 ** 22 + 12345), null, "a process that does not exist has no count");
  });

  it("reads counters and histograms from a real Prometheus scrape, and what they gained between two", async () => {
    const registry = new Registry();
    const sizes = new Histogram({
      name: "combat_batch_size",
      help: "turns per batch",
      labelNames: ["queue"],
      buckets: [1, 2, 4, 8, 16],
      registers: [registry],
    });
    for (const v of [1, 1, 3]) sizes.observe({ queue: "combat" }, v);
    const before = histogram(await registry.metrics(), "combat_batch_size");
    for (const v of [4, 8, 8, 16, 3]) sizes.observe({ queue: "combat" }, v);
    sizes.observe({ queue: "other" }, 2);
    const text = await registry.metrics();
    const delta = histogramDelta(before, histogram(text, "combat_batch_size")!);
    assert.equal(delta.count, 6);
    assert.equal(delta.sum, 4 + 8 + 8 + 16 + 3 + 2);
    assert.deepEqual(
      delta.buckets.map((b) => [b.le, b.count]),
      [
        [1, 0],
        [2, 1],
        [4, 3],
        [8, 5],
        [16, 6],
        [Number.POSITIVE_INFINITY, 6],
      ],
    );
    assert.equal(bucketPercentile(delta, 50), 4);
    assert.equal(bucketPercentile(delta, 99), 16);
    assert.equal(metricSum(text, "combat_batch_size_count"), 9);
    assert.equal(histogram(text, "job_duration_seconds"), null);
  });
});
