import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";
import { type Fighter, auditWhenApplied, longFights } from "../support/fights";
import { type Spawned, spawnApp } from "../support/processes";

const HP = 100_000;

describe("two workers sharing the queues, one killed in the middle of a batch", () => {
  let game: TestGame;
  let fighters: Fighter[];
  const workers: Spawned[] = [];
  before(async () => {
    game = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "100000" } });
    fighters = await longFights(game, 20, "dust-road", HP);
  });
  after(async () => {
    for (const w of workers) w.kill("SIGKILL");
    await game.close();
  });

  const startWorker = () => {
    const w = spawnApp("worker", {
      DATABASE_URL: game.config.DATABASE_URL,
      REDIS_URL: game.config.REDIS_URL,
      REDIS_PREFIX: game.prefix,
      WORKER_METRICS_PORT: "0",
      WORKER_CONCURRENCY: "8",
      WORKER_LOCK_MS: "2000",
      WORKER_STALLED_INTERVAL_MS: "1000",
      WORLD_TASKS_ENABLED: "false",
    });
    workers.push(w);
    return w;
  };

  it("applies every accepted action exactly once after SIGKILL and a restart", async () => {
    const first = startWorker();
    const partner = startWorker();
    await Promise.all([first.waitFor(/worker started/), partner.waitFor(/worker started/)]);

    const accepted: string[] = [];
    let killed = false;
    const turnsEach = 12;
    // Each fighter plays its turns one after the other, as a client would: send, wait for the result, send again.
    const play = async (f: Fighter) => {
      for (let turn = 1; turn <= turnsEach; turn++) {
        const res = await game.call("POST", "/v1/combat/actions", {
          token: f.token,
          body: { action: "attack" },
          headers: { "idempotency-key": `${f.combatId}-${turn}` },
        });
        assert.equal(res.status, 202, JSON.stringify(res.body));
        accepted.push(res.body.jobId);
        await game.eventually(
          async () => {
            const [row] = await game.sql("select status from combat_actions where combat_id = $1 and turn = $2", [f.combatId, turn]);
            return row?.status === "completed";
          },
          60_000,
          `fight ${f.combatId} turn ${turn}`,
        );
      }
    };
    const killer = (async () => {
      await game.eventually(async () => accepted.length >= (fighters.length * turnsEach) / 3, 60_000, "a third of the actions");
      first.kill("SIGKILL");
      killed = true;
      await first.exited;
      const second = startWorker();
      await second.waitFor(/worker started/);
    })();
    await Promise.all([...fighters.map(play), killer]);
    assert.ok(killed);
    assert.equal((await first.exited).signal, "SIGKILL");

    const audit = await auditWhenApplied(game, fighters, HP, 30_000, "every action applied");
    assert.deepEqual(audit.problems, []);
    assert.equal(audit.applied, accepted.length);
    assert.equal(new Set(accepted).size, accepted.length, "every 202 named its own job");
  });
});
