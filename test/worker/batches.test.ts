import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { processCombatTurn } from "../../apps/worker/src/processors/combat-turn";
import { TestGame } from "../support/game";
import { eventually } from "../support/http";
import { fightsWithATurn, turnJob } from "../support/turns";

const ARENA = "dust-road";

describe("combat turns resolved in batches", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true, env: { RATE_LIMIT_ACTIONS: "1000", COMBAT_BATCH_WAIT_MS: "20" } });
    // The test hands the turns to the processor itself, all at once, so that they share one batch.
    await Promise.all(game.worker!.workers.map((w) => w.pause()));
  });
  after(() => game.close());

  const batches = async () => {
    const text = await (await fetch(`http://127.0.0.1:${game.worker!.metricsPort}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? 0);
    return { count: value("combat_batch_size_count"), turns: value("combat_batch_size_sum") };
  };

  it("writes one batch at a time: the turns that come while it is written go together in the next", async () => {
    const jobs = await fightsWithATurn(game, 6, ARENA);
    const turn = (job: (typeof jobs)[number]) => processCombatTurn(turnJob(job), game.worker!.context) as Promise<any>;
    const turns = game.worker!.context.turns;
    // Hold the first fighter's row, so that the first batch locks its fights and then waits, in flight.
    const holder = new pg.Client({ connectionString: game.db.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from players where id = $1 for no key update", [jobs[0]!.playerId]);
      const before = await batches();
      const first = jobs.slice(0, 2).map(turn);
      await eventually(async () => turns.inFlight.batches === 1, 5_000, "the first batch in flight");
      let settled = 0;
      const later = jobs.slice(2).map((job) => turn(job).finally(() => settled++));
      // Five times COMBAT_BATCH_WAIT_MS: the later turns, which wait for no lock, would have gone as a batch of their own by now.
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(turns.inFlight, { batches: 1, items: 2 }, "the later turns wait for the batch in flight");
      assert.equal(settled, 0, "none of the later turns was written");
      await holder.query("rollback");
      const results = await Promise.all([...first, ...later]);
      assert.deepEqual(
        results.map((r) => r.outcome),
        Array(6).fill("ongoing"),
      );
      assert.deepEqual(await batches(), { count: before.count + 2, turns: before.turns + 6 }, "two batches: the held one, then the four that waited");
    } finally {
      await holder.end();
    }
  });

  it("a turn that can no longer be taken fails alone in its batch; the others commit", async () => {
    const jobs = await fightsWithATurn(game, 8, ARENA);
    // Stage directions: one fight's enemy is gone, another fight ended before its turn was applied.
    await game.sql("delete from wandering_enemies where id = $1", [jobs[2]!.enemyId]);
    await game.sql("update active_combats set status = 'fled', ended_at = now() where id = $1", [jobs[5]!.combatId]);
    const before = await batches();
    const results = (await Promise.all(jobs.map((job) => processCombatTurn(turnJob(job), game.worker!.context)))) as any[];
    const after = await batches();
    assert.deepEqual(after, { count: before.count + 1, turns: before.turns + 8 }, "the eight turns were one batch");
    assert.deepEqual(
      results.map((r) => r.error ?? r.outcome),
      ["ongoing", "ongoing", "combat_over", "ongoing", "ongoing", "combat_over", "ongoing", "ongoing"],
    );
    const states = await game.sql(
      "select a.combat_id, a.status, c.turn from combat_actions a join active_combats c on c.id = a.combat_id where a.combat_id = any($1) order by a.combat_id",
      [jobs.map((j) => j.combatId)],
    );
    assert.deepEqual(
      states.map((s) => `${s.status}:${s.turn}`),
      ["completed:2", "completed:2", "failed:1", "completed:2", "completed:2", "failed:1", "completed:2", "completed:2"],
    );
  });

  it("a turn the database refuses to write fails alone: the batch is applied again turn by turn", async () => {
    const jobs = await fightsWithATurn(game, 8, ARENA);
    const refused = jobs[4]!;
    // A stage direction the game cannot cause: the database refuses any change to one player.
    await game.sql(`create or replace function refuse_player() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`);
    await game.sql(`create trigger refuse_player before update on players for each row when (old.id = ${refused.playerId}) execute function refuse_player()`);
    try {
      const before = await batches();
      const settled = await Promise.allSettled(jobs.map((job) => processCombatTurn(turnJob(job), game.worker!.context)));
      const after = await batches();
      assert.deepEqual(
        settled.map((s) => s.status),
        ["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "fulfilled"],
      );
      assert.match(String((settled[4] as PromiseRejectedResult).reason), /refused for the test/);
      assert.deepEqual(after, { count: before.count + 7, turns: before.turns + 7 }, "after the batch failed, each turn went on its own");
      const states = await game.sql("select a.combat_id, a.status from combat_actions a where a.combat_id = any($1) order by a.combat_id", [
        jobs.map((j) => j.combatId),
      ]);
      assert.deepEqual(
        states.map((s) => s.status),
        ["completed", "completed", "completed", "completed", "accepted", "completed", "completed", "completed"],
        "the refused turn is still accepted, for its job to retry",
      );
    } finally {
      await game.sql("drop trigger refuse_player on players");
    }
    const retried = (await processCombatTurn(turnJob(refused), game.worker!.context)) as any;
    assert.equal(retried.outcome, "ongoing", "once the database takes it, the retry applies the turn");
  });
});
