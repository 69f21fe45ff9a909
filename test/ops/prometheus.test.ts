import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { freePort } from "@echoes/db/embedded";
import { waitUntilListening } from "../../scripts/services";
import { TestGame } from "../support/game";
import { scratchDir, which } from "../support/ops";

const prometheus = which("prometheus");

describe("a real Prometheus with the repository's scrape configuration", {
  skip: prometheus ? false : "prometheus is not installed (apt-get install prometheus)",
}, () => {
  let game: TestGame;
  let dir: string;
  let stop = async (): Promise<void> => undefined;
  let base = "";
  before(async () => {
    game = await TestGame.start({ worker: true });
    const { token } = await game.register();
    for (let i = 0; i < 5; i++) await game.call("GET", "/v1/location", { token });

    // The repository's configuration, with DNS discovery of the compose services replaced by
    // this test's processes: same jobs, same paths.
    const config = parse(readFileSync("ops/prometheus/prometheus.yml", "utf8"));
    const targets: Record<string, string> = { api: `127.0.0.1:${game.api.port}`, worker: `127.0.0.1:${game.worker!.metricsPort}` };
    config.global.scrape_interval = "1s";
    for (const job of config.scrape_configs) {
      assert.ok(targets[job.job_name], `a target for job ${job.job_name}`);
      delete job.dns_sd_configs;
      job.static_configs = [{ targets: [targets[job.job_name]] }];
    }
    dir = scratchDir("prometheus");
    writeFileSync(join(dir, "prometheus.yml"), stringify(config));
    const port = await freePort();
    const child = spawn(
      prometheus!,
      [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
      { stdio: "ignore" },
    );
    stop = () =>
      new Promise((done) => {
        child.once("exit", () => done());
        child.kill("SIGTERM");
      });
    assert.ok(await waitUntilListening("127.0.0.1", port, 30_000), "prometheus listens");
    base = `http://127.0.0.1:${port}`;
    await game.eventually(async () => (await fetch(`${base}/-/ready`).catch(() => null))?.status === 200, 30_000, "prometheus ready");
  });
  after(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    await game.close();
  });

  const query = async (promql: string) => {
    const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    assert.equal(body.status, "success");
    return body.data.result;
  };

  it("reports the API and the worker up", async () => {
    const up = await game.eventually(
      async () => {
        const result = await query("up");
        return result.length === 2 && result.every((r) => r.value[1] === "1") ? result : null;
      },
      30_000,
      "both targets up",
    );
    assert.deepEqual(up.map((r) => r.metric.job).sort(), ["api", "worker"]);
  });

  it("returns the request-duration histogram and the job counts through its query API", async () => {
    const histogram = await game.eventually(
      async () => {
        const result = await query('sum by (le) (http_request_duration_seconds_bucket{job="api",route="/v1/location"})');
        return result.length > 0 ? result : null;
      },
      30_000,
      "the request histogram",
    );
    const total = histogram.find((r) => r.metric.le === "+Inf");
    assert.equal(Number(total!.value[1]), 5, "five location views were counted");
    const jobs = await game.eventually(
      async () => {
        const result = await query('queue_jobs{job="worker"}');
        return result.length > 0 ? result : null;
      },
      30_000,
      "the job counts",
    );
    const queues = new Set(jobs.map((r) => r.metric.queue));
    assert.deepEqual([...queues].sort(), ["combat-turns", "email", "loot", "statistics", "world"]);
    assert.ok(jobs.every((r) => Number.isFinite(Number(r.value[1]))));
  });
});
