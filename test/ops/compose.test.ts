import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { z } from "zod";
import { parse } from "yaml";
import { TestGame } from "../support/game";
import { which } from "../support/ops";

const compose = which("docker-compose");

describe("the production stack description", () => {
  it("docker-compose.yml passes `docker-compose config`", {
    skip: compose ? false : "docker-compose is not installed (apt-get install docker-compose)",
  }, () => {
    const run = spawnSync(compose!, ["-f", "docker-compose.yml", "config", "-q"], { encoding: "utf8", env: { ...process.env, JWT_SECRET: "x".repeat(40) } });
    assert.equal(run.status, 0, run.stderr);
    const refused = spawnSync(compose!, ["-f", "docker-compose.yml", "config", "-q"], { encoding: "utf8", env: { PATH: process.env.PATH } });
    assert.notEqual(refused.status, 0, "a missing JWT_SECRET is refused");
    assert.match(refused.stderr, /JWT_SECRET/);
  });

  it("has the review's pieces: replica, PgBouncer in transaction mode, two Redis roles, scaled API and worker, Prometheus, Grafana", () => {
    const stack = parse(readFileSync("docker-compose.yml", "utf8"));
    const services = stack.services;
    for (const name of ["postgres", "postgres-replica", "pgbouncer", "redis-queue", "redis-cache", "migrate", "api", "worker", "lb", "prometheus", "grafana"])
      assert.ok(services[name], name);
    assert.ok(services.postgres.command.includes("shared_preload_libraries=pg_stat_statements"));
    assert.ok(services.postgres.command.includes("log_min_duration_statement=100"));
    assert.ok(services["redis-queue"].command.includes("noeviction") && services["redis-queue"].command.includes("--appendonly"));
    assert.ok(services["redis-cache"].command.includes("allkeys-lru"));
    assert.ok(services.api.deploy.replicas > 1 && services.worker.deploy.replicas > 1);
    assert.match(services.api.environment.DATABASE_URL, /@pgbouncer:6432\//);
    assert.match(services.api.environment.DATABASE_REPLICA_URL, /@postgres-replica:5432\//);
    const bouncer = readFileSync("ops/pgbouncer/pgbouncer.ini", "utf8");
    assert.match(bouncer, /^pool_mode = transaction$/m);
    assert.match(bouncer, /^max_client_conn = 1000$/m);
    assert.match(bouncer, /^default_pool_size = 25$/m);
    const prometheus = parse(readFileSync("ops/prometheus/prometheus.yml", "utf8"));
    assert.deepEqual(prometheus.scrape_configs.map((j: { job_name: string }) => j.job_name).sort(), ["api", "worker"]);
  });
});

/** The parts of Grafana's dashboard model that provisioning needs. */
const dashboardSchema = z.object({
  uid: z.string().min(1),
  title: z.string().min(1),
  schemaVersion: z.int().min(30),
  panels: z
    .array(
      z.object({
        id: z.int(),
        type: z.enum(["timeseries", "stat", "gauge", "table", "bargauge", "heatmap"]),
        title: z.string().min(1),
        gridPos: z.object({ x: z.int().min(0).max(23), y: z.int().min(0), w: z.int().min(1).max(24), h: z.int().min(1) }),
        datasource: z.object({ type: z.literal("prometheus"), uid: z.string() }),
        targets: z.array(z.object({ refId: z.string(), expr: z.string().min(1) })).min(1),
      }),
    )
    .min(1),
});

describe("the Grafana dashboard", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true });
    const { token } = await game.register();
    await game.call("GET", "/v1/location", { token });
  });
  after(() => game.close());

  it("is valid dashboard JSON, provisioned with the Prometheus datasource, covering what operators watch", () => {
    const dashboard = dashboardSchema.parse(JSON.parse(readFileSync("ops/grafana/dashboards/echoes.json", "utf8")));
    const datasource = parse(readFileSync("ops/grafana/provisioning/datasources/prometheus.yml", "utf8")).datasources[0];
    assert.ok(dashboard.panels.every((p) => p.datasource.uid === datasource.uid));
    assert.equal(new Set(dashboard.panels.map((p) => p.id)).size, dashboard.panels.length, "panel ids are unique");
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(" | ");
    for (const topic of ["request rate", "error rate", "p50", "p95", "p99", "queue depth", "job duration", "job wait", "cache hit ratio", "pool saturation"]) {
      assert.ok(titles.includes(topic), `a panel about ${topic}`);
    }
  });

  it("queries only metric names the API and the worker really export", async () => {
    const dashboard = dashboardSchema.parse(JSON.parse(readFileSync("ops/grafana/dashboards/echoes.json", "utf8")));
    const exported = new Set<string>();
    for (const text of [
      (await game.call("GET", "/metrics")).body as string,
      await (await fetch(`http://127.0.0.1:${game.worker!.metricsPort}/metrics`)).text(),
    ]) {
      for (const line of text.split("\n")) {
        const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line)?.[1];
        if (sample) exported.add(sample);
        // A family with no samples yet (a counter nothing incremented) still declares its type.
        const declared = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)/.exec(line);
        if (declared) {
          exported.add(declared[1]!);
          if (declared[2] === "histogram") for (const suffix of ["_bucket", "_sum", "_count"]) exported.add(declared[1] + suffix);
        }
      }
    }
    const FUNCTIONS = new Set(["sum", "by", "rate", "histogram_quantile", "max", "min", "avg", "irate", "increase", "without", "on", "ignoring", "le"]);
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const names = [
          ...target.expr
            .replace(/\{[^}]*\}/g, "")
            .replace(/\[[^\]]*\]/g, "")
            .matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g),
        ]
          .map((m) => m[0])
          .filter((n) => !FUNCTIONS.has(n) && !/^(le|route|queue|state|job|pool|cache|instance|result|status|method|name|kind)$/.test(n));
        assert.ok(names.length > 0, `${panel.title}: ${target.expr}`);
        for (const name of names) assert.ok(exported.has(name), `${panel.title} queries ${name}, which nothing exports`);
      }
    }
  });
});
