import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LOCATIONS, WORLD } from "@echoes/shared";
import pg from "pg";
import { processCombatTurn } from "../../apps/worker/src/processors/combat-turn";
import { type TestDatabase, createTestDatabase } from "../support/db";
import { TestGame } from "../support/game";
import { fightsWithATurn, turnJob } from "../support/turns";

const START = WORLD.startLocationId;
const exit = LOCATIONS.get(START)!.exits[0]!;
const ARENA = "dust-road";

describe("a database too busy to answer in time", () => {
  let db: TestDatabase;
  let game: TestGame;
  before(async () => {
    db = await createTestDatabase();
    // What an operator sets on the game's database or role: no statement waits longer than this for a row.
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`alter database ${db.name} set lock_timeout = '300ms'`);
    await admin.end();
    game = await TestGame.start({ database: db, worker: true, env: { RATE_LIMIT_ACTIONS: "1000" } });
    // The test hands the combat turn to the processor itself.
    await Promise.all(game.worker!.workers.map((w) => w.pause()));
  });
  after(async () => {
    await game.close();
    await db.drop();
  });

  /** Runs `work` while another session holds a player's row, as a long transaction elsewhere would. */
  const holding = async <T>(playerId: number, work: () => Promise<T>): Promise<T> => {
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("select id from players where id = $1 for update", [playerId]);
      return await work();
    } finally {
      await holder.query("rollback").catch(() => undefined);
      await holder.end();
    }
  };

  it("answers a write that waits past lock_timeout with 503 and Retry-After, changing nothing; once the row is free the same write goes through", async () => {
    const { token, player } = await game.register();
    const refused = await holding(player.id, () => game.call("POST", "/v1/move", { token, body: { direction: exit.direction } }));
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "unavailable");
    assert.match(refused.body.error.message, /too busy/);
    assert.ok(Number(refused.headers.get("retry-after")) > 0);
    const [still] = await game.sql("select location_id, stamina from players where id = $1", [player.id]);
    assert.deepEqual(still, { location_id: START, stamina: player.stamina });
    const moved = await game.call("POST", "/v1/move", { token, body: { direction: exit.direction } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.to, exit.to);
  });

  it("fails a combat turn that waits past lock_timeout without recording anything, so that its job retries; the retry applies it", async () => {
    const [fight] = await fightsWithATurn(game, 1, ARENA);
    const { combatId, playerId } = fight!;
    const job = turnJob(fight!);

    await assert.rejects(
      holding(playerId, () => processCombatTurn(job, game.worker!.context)),
      (err: Error & { code?: string }) => err.code === "55P03" && err.constructor.name !== "UnrecoverableError",
      "a retryable failure, not a final one",
    );
    const [waiting] = await game.sql("select a.status, c.turn from combat_actions a join active_combats c on c.id = a.combat_id where a.combat_id = $1", [
      combatId,
    ]);
    assert.deepEqual(waiting, { status: "accepted", turn: 1 }, "nothing of the turn was written");

    const retried = (await processCombatTurn(job, game.worker!.context)) as { turn: number };
    assert.equal(retried.turn, 1);
    const [applied] = await game.sql("select a.status, c.turn from combat_actions a join active_combats c on c.id = a.combat_id where a.combat_id = $1", [
      combatId,
    ]);
    assert.deepEqual(applied, { status: "completed", turn: 2 });
  });
});
