import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { Redis } from "ioredis";
import { freePort } from "@echoes/db/embedded";
import { type TestDatabase, createTestDatabase } from "../support/db";
import { TEST_ENV } from "../support/env";
import { eventually, register, request } from "../support/http";
import { listening } from "../../scripts/services";
import { scratchDir } from "../support/ops";
import { type Spawned, spawnNode } from "../support/processes";

/** `npm start` as built: the launcher, with the API and the worker as its children. */
async function launch(db: TestDatabase, dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ run: Spawned; url: string }> {
  const port = await freePort();
  const { REDIS_PREFIX: _unset, NODE_TEST_CONTEXT: _runner, ...inherited } = process.env;
  const run = spawnNode("launcher", ["--enable-source-maps", "dist/start.js"], {
    ...inherited,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_ENV.redisUrl,
    ECHOES_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: "127.0.0.1",
    WORKER_METRICS_PORT: "0",
    LOG_LEVEL: "warn",
    ...extraEnv,
  });
  return { run, url: `http://127.0.0.1:${port}` };
}

async function stop(run: Spawned): Promise<void> {
  run.kill("SIGTERM");
  await run.exited;
}

/** Plays one combat turn through the HTTP API and returns the job's final state. */
async function fightOneTurn(url: string, db: TestDatabase): Promise<{ jobId: string; state: string }> {
  const { token, player } = await register(url);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  let enemyId: number;
  try {
    const [row] = (
      await client.query(
        "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select id, $1, max_hp, max_hp from enemy_types where id = 'giant-roach' returning id",
        [player.locationId],
      )
    ).rows;
    enemyId = Number(row.id);
  } finally {
    await client.end();
  }
  assert.equal((await request(url, "POST", "/v1/combat", { token, body: { enemyId } })).status, 201);
  const acted = await request(url, "POST", "/v1/combat/actions", { token, body: { action: "attack" } });
  assert.equal(acted.status, 202);
  const done = await eventually(
    async () => {
      const res = await request(url, "GET", `/v1/jobs/${acted.body.jobId}`, { token });
      return res.body.state === "completed" || res.body.state === "failed" ? res : null;
    },
    20_000,
    `job ${acted.body.jobId}`,
  );
  return { jobId: acted.body.jobId, state: done.body.state };
}

describe("the launcher (npm start) against a shared Redis", () => {
  const databases: TestDatabase[] = [];
  const dataDir = scratchDir("launcher");
  const prefixes = new Set<string>();
  before(async () => {
    const built = spawnSync(process.execPath, ["scripts/build.mjs", "--quiet"], { encoding: "utf8" });
    assert.equal(built.status, 0, built.stderr);
    for (let i = 0; i < 2; i++) databases.push(await createTestDatabase());
    // Copies of one template share its game instance id; the second database is made a different game.
    const client = new pg.Client({ connectionString: databases[1]!.url });
    await client.connect();
    await client.query("update game_instance set id = gen_random_uuid()");
    await client.end();
  });
  after(async () => {
    const redis = new Redis(TEST_ENV.redisUrl);
    for (const prefix of prefixes) {
      for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) if (keys.length > 0) await redis.del(...(keys as string[]));
    }
    redis.disconnect();
    await Promise.all(databases.map((db) => db.drop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("gives each database its own Redis prefix, so a new database's jobs are not mistaken for an old one's", async () => {
    const results: { prefix: string; jobId: string; state: string }[] = [];
    for (const db of databases) {
      const { run, url } = await launch(db, dataDir);
      try {
        await run.waitFor(/the game is starting/, 60_000);
        await eventually(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, 30_000, "readiness");
        const prefix = /Redis key prefix "([^"]+)"/.exec(run.output())?.[1];
        assert.ok(prefix, run.output().slice(-2000));
        prefixes.add(prefix);
        results.push({ prefix, ...(await fightOneTurn(url, db)) });
      } finally {
        await stop(run);
      }
    }
    const [first, second] = results;
    assert.match(first!.prefix, /^eota-[0-9a-f]{8}$/);
    assert.notEqual(first!.prefix, second!.prefix);
    // Both databases number their fights alike: the same job id, applied in each game.
    assert.equal(first!.jobId, second!.jobId);
    assert.deepEqual(
      results.map((r) => r.state),
      ["completed", "completed"],
    );
  });

  it("without SMTP_URL runs a development inbox, prints where to read it, delivers a verification email there and stops it at the end", async () => {
    const { run, url } = await launch(databases[0]!, dataDir);
    let web = 0;
    try {
      await run.waitFor(/the game is starting/, 60_000);
      const inbox = /read them at (http:\/\/localhost:(\d+))/.exec(run.output());
      assert.ok(inbox, run.output().slice(-2000));
      web = Number(inbox[2]);
      prefixes.add(/Redis key prefix "([^"]+)"/.exec(run.output())![1]!);
      await eventually(async () => (await fetch(`${url}/readyz`).catch(() => null))?.ok, 30_000, "readiness");
      const { token, username } = await register(url);
      const address = `${username}@inbox.test`;
      assert.equal((await request(url, "PUT", "/v1/me/email", { token, body: { email: address } })).status, 202);
      const mail = await eventually(
        async () => {
          const list = (await (await fetch(`http://127.0.0.1:${web}/api/email`)).json()) as { subject: string; to: { address: string }[]; text?: string }[];
          return list.find((m) => m.to.some((t) => t.address === address));
        },
        30_000,
        "the verification email in the inbox",
      );
      assert.equal(mail.subject, "Confirm your address for Echoes of the Ashes");
      const page = await fetch(`http://127.0.0.1:${web}/`, { headers: { accept: "text/html" } });
      assert.equal(page.status, 200, "the inbox has a web page");
    } finally {
      await stop(run);
    }
    assert.equal(await listening("127.0.0.1", web), false, "the inbox stopped with the game");
  });

  it("refuses to start a database's game under a prefix another database owns, saying why", async () => {
    const prefix = `eota-shared-${process.pid}`;
    prefixes.add(prefix);
    const owner = await launch(databases[0]!, dataDir, { REDIS_PREFIX: prefix });
    try {
      await owner.run.waitFor(/the game is starting/, 60_000);
      await eventually(async () => (await fetch(`${owner.url}/readyz`).catch(() => null))?.ok, 30_000, "readiness");
    } finally {
      await stop(owner.run);
    }
    const intruder = await launch(databases[1]!, dataDir, { REDIS_PREFIX: prefix });
    const { code } = await intruder.run.exited;
    assert.notEqual(code, 0);
    assert.match(intruder.run.output(), /REDIS_PREFIX \("eota-shared-\d+"\): this Redis holds the jobs and cache of another database/);
    assert.match(intruder.run.output(), /refused its configuration/);
  });

  it("a SIGTERM while the embedded PostgreSQL is still starting stops it too, and nothing is left running", async () => {
    const own = scratchDir("launcher-embedded");
    const { REDIS_PREFIX: _unset, NODE_TEST_CONTEXT: _runner, DATABASE_URL: _database, ...inherited } = process.env;
    const run = spawnNode("launcher", ["--enable-source-maps", "dist/start.js"], {
      ...inherited,
      REDIS_URL: TEST_ENV.redisUrl,
      ECHOES_DATA_DIR: own,
      PORT: String(await freePort()),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    });
    try {
      await run.waitFor(/using the embedded PostgreSQL/, 30_000);
      run.kill("SIGTERM");
      const { code } = await run.exited;
      assert.equal(code, 0, run.output().slice(-2000));
      assert.doesNotMatch(run.output(), /the game is starting/);
      const left = spawnSync("pgrep", ["-f", own], { encoding: "utf8" }).stdout.trim();
      assert.equal(left, "", `processes still running on ${own}`);
    } finally {
      spawnSync("pkill", ["-KILL", "-f", own]);
      rmSync(own, { recursive: true, force: true });
    }
  });

  it("checks the whole configuration before it touches a database or starts anything", async () => {
    const empty = await createTestDatabase();
    databases.push(empty);
    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    try {
      await client.query("drop schema public cascade; drop schema if exists drizzle cascade; create schema public");
      const { run } = await launch(empty, dataDir, { NODE_ENV: "production", JWT_SECRET: "", ADMIN_USER: "keeper" });
      const { code } = await run.exited;
      assert.equal(code, 1);
      assert.match(run.output(), /JWT_SECRET \(unset\): required when NODE_ENV=production/);
      assert.match(run.output(), /ADMIN_PASSWORD .*ADMIN_USER and ADMIN_PASSWORD go together/);
      assert.doesNotMatch(run.output(), /applying migrations/);
      const { rows } = await client.query("select count(*)::int as tables from information_schema.tables where table_schema in ('public', 'drizzle')");
      assert.equal(rows[0].tables, 0, "no table was created");
    } finally {
      await client.end();
    }
  });
});
