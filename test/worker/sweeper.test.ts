import assert from "node:assert/strict";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { after, before, describe, it } from "node:test";
import { Redis } from "ioredis";
import { freePort } from "@echoes/db/embedded";
import { type RedisServer, startRedisServer } from "../../scripts/services";
import { TestGame } from "../support/game";
import { type Fighter, allApplied, auditFights, longFights } from "../support/fights";
import { type Spawned, spawnApp } from "../support/processes";

const HP = 100_000;

describe("Redis loses every job after the actions were accepted", () => {
  let redis: RedisServer;
  let game: TestGame;
  let fighters: Fighter[];
  let worker: Spawned | null = null;
  before(async () => {
    // This test flushes Redis, so it runs its own on a free port and never touches the shared one.
    redis = await startRedisServer(await freePort(), join(tmpdir(), `echoes-sweeper-${process.pid}`), { appendonly: false });
    game = await TestGame.start({ redisUrl: redis.url, env: { RATE_LIMIT_ACTIONS: "100000" } });
    fighters = await longFights(game, 10, "dust-road", HP);
  });
  after(async () => {
    worker?.kill("SIGKILL");
    await game.close();
    await redis.stop();
  });

  it("the sweeper finds the recorded actions and gets each applied exactly once", async () => {
    const accepted = [];
    for (const f of fighters) {
      const res = await game.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } });
      assert.equal(res.status, 202);
      accepted.push(res.body.jobId);
    }
    const probe = new Redis(redis.url);
    assert.ok((await probe.keys(`${game.prefix}:*`)).length > 0, "the jobs are in Redis");
    await probe.flushall();
    assert.equal(await probe.dbsize(), 0);
    probe.disconnect();

    worker = spawnApp("worker", {
      DATABASE_URL: game.config.DATABASE_URL,
      REDIS_URL: redis.url,
      REDIS_PREFIX: game.prefix,
      WORKER_METRICS_PORT: "0",
      SWEEP_AFTER_S: "1",
      WORLD_TICK_SCALE: "0.1",
    });
    await worker.waitFor(/worker started/);
    await game.eventually(
      () =>
        allApplied(
          game,
          fighters.map((f) => f.combatId),
        ),
      30_000,
      "the sweeper to re-queue every action",
    );
    await worker.waitFor(/sweeper re-queued accepted work/);
    const audit = await auditFights(game, fighters, HP);
    assert.deepEqual(audit.problems, []);
    assert.equal(audit.applied, accepted.length);
  });
});
