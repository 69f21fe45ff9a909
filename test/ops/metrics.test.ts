import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { freePort } from "@echoes/db/embedded";
import { TestGame } from "../support/game";
import { request } from "../support/http";
import { which } from "../support/ops";
import { spawnApp } from "../support/processes";

const promtool = which("promtool");

/** Runs `promtool check metrics` on a scrape; returns its complaints (none when it passes). */
function promtoolProblems(text: string): string {
  const run = spawnSync(promtool!, ["check", "metrics"], { input: text, encoding: "utf8" });
  return run.status === 0 ? "" : `${run.stdout}${run.stderr}`.trim() || `exit ${run.status}`;
}

describe("metrics", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true, env: { RATE_LIMIT_ACTIONS: "1000" } });
    // Some play, so that every family has samples: requests, cache, pool, jobs.
    const { token } = await game.register();
    await game.call("GET", "/v1/location", { token });
    await game.call("GET", "/v1/location", { token });
    await game.call("POST", "/v1/move", { token, body: { direction: "north" } });
    await game.call("GET", "/v1/nowhere", { token });
  });
  after(() => game.close());

  it("the API's /metrics passes promtool and carries the families operators rely on", {
    skip: promtool ? false : "promtool is not installed (apt-get install prometheus)",
  }, async () => {
    const text = (await game.call("GET", "/metrics")).body as string;
    assert.equal(promtoolProblems(text), "");
    for (const family of [
      "http_request_duration_seconds_bucket",
      "http_requests_total",
      "cache_lookups_total",
      "db_pool_connections",
      "db_queries_total",
      "nodejs_eventloop_lag_seconds",
      "process_resident_memory_bytes",
    ]) {
      assert.match(text, new RegExp(`^${family}`, "m"), family);
    }
    assert.match(text, /http_requests_total\{method="GET",route="\/v1\/location",status="200"\} 2/);
    assert.match(text, /route="unmatched",status="404"/, "unknown paths share one label, not one each");
    assert.doesNotMatch(text, /route="\/v1\/nowhere"/);
  });

  it("the worker's /metrics passes promtool and counts jobs by queue and state", { skip: promtool ? false : "promtool is not installed" }, async () => {
    const scrape = async () => (await fetch(`http://127.0.0.1:${game.worker!.metricsPort}/metrics`)).text();
    // The move above queued a statistics job; wait until the worker has counted it.
    const text = await game.eventually(
      async () => {
        const t = await scrape();
        return /jobs_completed_total\{queue="statistics",name="apply"\} [1-9]/.test(t) ? t : null;
      },
      10_000,
      "the statistics job",
    );
    assert.equal(promtoolProblems(text), "");
    for (const family of [
      "queue_jobs",
      "job_duration_seconds_bucket",
      "job_wait_seconds_bucket",
      "jobs_completed_total",
      "db_pool_connections",
      "process_resident_memory_bytes",
    ]) {
      assert.match(text, new RegExp(`^${family}`, "m"), family);
    }
    assert.match(text, /queue_jobs\{queue="combat-turns",state="waiting"\} \d+/);
  });

  it("node:cluster mode answers on one port from several processes and aggregates their metrics", async () => {
    const port = await freePort();
    const api = spawnApp("api", {
      DATABASE_URL: game.config.DATABASE_URL,
      REDIS_URL: game.config.REDIS_URL,
      REDIS_PREFIX: game.prefix,
      JWT_SECRET: game.config.jwtSecret,
      PORT: String(port),
      HOST: "127.0.0.1",
      API_PROCESSES: "3",
    });
    try {
      await api.waitFor(/API cluster started/);
      const base = `http://127.0.0.1:${port}`;
      await game.eventually(async () => (await request(base, "GET", "/healthz").catch(() => null))?.status === 200, 20_000, "the cluster");
      await new Promise((r) => setTimeout(r, 1_000));
      const n = 60;
      for (let i = 0; i < n; i++) assert.equal((await request(base, "GET", "/healthz", { headers: { connection: "close" } })).status, 200);
      const pids = new Set([...api.output().matchAll(/"pid":(\d+)[^\n]*"route":"\/healthz"/g)].map((m) => m[1]));
      assert.ok(pids.size >= 2, `requests were served by ${pids.size} process(es)`);
      for (let scrape = 0; scrape < 3; scrape++) {
        const text = (await request(base, "GET", "/metrics")).body as string;
        const served = Number(/http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)/.exec(text)?.[1]);
        assert.ok(served >= n, `scrape ${scrape} counted ${served} of at least ${n} across the processes`);
        if (promtool) assert.equal(promtoolProblems(text), "");
      }
      api.kill("SIGTERM");
      assert.equal((await api.exited).code, 0);
    } finally {
      api.kill("SIGKILL");
    }
  });
});
