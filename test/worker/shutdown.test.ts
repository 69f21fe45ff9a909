import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { TestGame } from "../support/game";
import { longFights } from "../support/fights";
import { type Spawned, spawnApp } from "../support/processes";

describe("worker shutdown", () => {
  let game: TestGame;
  let worker: Spawned | null = null;
  before(async () => {
    game = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "100000" } });
  });
  after(async () => {
    worker?.kill("SIGKILL");
    await game.close();
  });

  it("SIGTERM lets the active job finish, then the process exits 0", async () => {
    const [fighter] = await longFights(game, 1, "dust-road");
    worker = spawnApp("worker", {
      DATABASE_URL: game.config.DATABASE_URL,
      REDIS_URL: game.config.REDIS_URL,
      REDIS_PREFIX: game.prefix,
      WORKER_METRICS_PORT: "0",
      WORLD_TASKS_ENABLED: "false",
      WORKER_SHUTDOWN_TIMEOUT_MS: "20000",
    });
    await worker.waitFor(/worker started/);

    // Hold the fight's row so the job blocks inside its transaction, mid-turn.
    const blocker = new pg.Client({ connectionString: game.db.url });
    await blocker.connect();
    await blocker.query("begin");
    await blocker.query("select id from active_combats where id = $1 for no key update", [fighter!.combatId]);
    const acted = await game.call("POST", "/v1/combat/actions", { token: fighter!.token, body: { action: "attack" } });
    assert.equal(acted.status, 202);
    await game.eventually(
      async () => {
        const rows = await game.sql("select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()");
        return rows[0].n > 0;
      },
      15_000,
      "the job to wait for the fight's lock",
    );

    worker.kill("SIGTERM");
    await worker.waitFor(/shutting down/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(worker.child.exitCode, null, "still running while its job is active");
    await blocker.query("rollback");
    await blocker.end();

    const { code } = await worker.exited;
    assert.equal(code, 0);
    const [action] = await game.sql("select status from combat_actions where combat_id = $1 and turn = 1", [fighter!.combatId]);
    assert.equal(action.status, "completed");
    assert.match(worker.output(), /worker stopped/);
  });
});
