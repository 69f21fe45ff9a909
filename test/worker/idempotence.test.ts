import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Job } from "bullmq";
import { combatJobId } from "@echoes/shared";
import { processCombatTurn } from "../../apps/worker/src/processors/combat-turn";
import { processLoot } from "../../apps/worker/src/processors/loot";
import { processStatistics } from "../../apps/worker/src/processors/statistics";
import { TestGame } from "../support/game";

const ARENA = "dust-road";

/** What a job could have changed, so two runs can be compared. */
async function snapshot(game: TestGame, playerId: number, enemyId: number) {
  const [player] = await game.sql("select hp, stamina, xp, level, alive, combat_id, location_id from players where id = $1", [playerId]);
  const [enemy] = await game.sql("select hp, effects, died_at is not null as dead, combat_id from wandering_enemies where id = $1", [enemyId]);
  const fights = await game.sql(
    "select id, turn, status, damage_dealt, damage_taken, loot_rolled_at is not null as looted from active_combats where player_id = $1 order by id",
    [playerId],
  );
  const actions = await game.sql("select turn, status, result from combat_actions where player_id = $1 order by turn", [playerId]);
  const effects = await game.sql("select effect_id, remaining_ticks from player_status_effects where player_id = $1 order by effect_id", [playerId]);
  const pack = await game.sql("select item_id, quantity from inventory where player_id = $1 order by item_id", [playerId]);
  const events = await game.sql("select event_key, deltas, applied_at is not null as applied from stat_events where player_id = $1 order by event_key", [
    playerId,
  ]);
  const stats = await game.sql("select kills, deaths, damage_dealt, damage_taken, xp_gained, distance_travelled from player_statistics where player_id = $1", [
    playerId,
  ]);
  const ground = await game.sql("select item_id, quantity from dropped_items where location_id = $1 and dropped_by is null order by id", [ARENA]);
  return { player, enemy, fights, actions, effects, pack, events, stats, ground };
}

const fakeJob = (name: string, data: unknown, id: string) => ({ id, name, data, attemptsMade: 0, timestamp: Date.now() }) as unknown as Job;

describe("jobs applied twice change the world once", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true, env: { RATE_LIMIT_ACTIONS: "1000" } });
    // The in-process worker must not take these jobs: the test runs the processors by hand.
    await Promise.all(game.worker!.workers.map((w) => w.pause()));
  });
  after(() => game.close());

  const setUpFight = async (enemyTypeId = "feral-dog") => {
    const { token, player } = await game.register();
    await game.place(player.id, ARENA);
    const [{ id: enemyId }] = await game.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select id, $1, max_hp, max_hp from enemy_types where id = $2 returning id",
      [ARENA, enemyTypeId],
    );
    const engaged = await game.call("POST", "/v1/combat", { token, body: { enemyId } });
    assert.equal(engaged.status, 201);
    return { token, playerId: player.id as number, enemyId: enemyId as number, combatId: engaged.body.combatId as number };
  };

  it("a combat turn processed twice (one after the other, then two at once) applies once", async () => {
    const { token, playerId, enemyId, combatId } = await setUpFight();
    const ctx = game.worker!.context;
    const acted = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
    assert.equal(acted.status, 202);
    const actionIdOf = async (turn: number) =>
      (await game.sql("select id from combat_actions where combat_id = $1 and turn = $2", [combatId, turn]))[0].id as number;
    const data = { actionId: await actionIdOf(1), combatId, turn: 1, playerId };
    const before = await snapshot(game, playerId, enemyId);
    const first = await processCombatTurn(fakeJob("turn", data, combatJobId(combatId, 1)), ctx);
    const once = await snapshot(game, playerId, enemyId);
    const second = await processCombatTurn(fakeJob("turn", data, combatJobId(combatId, 1)), ctx);
    assert.deepEqual(second, first, "a retry returns the stored result");
    assert.deepEqual(await snapshot(game, playerId, enemyId), once, "and changes nothing");
    assert.notDeepEqual(once, before, "the first run did change the world");

    const next = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
    assert.ok(next.status === 202 || (next.status === 422 && once.fights[0].status !== "active"), JSON.stringify(next.body));
    if (next.status === 202) {
      const data2 = { ...data, actionId: await actionIdOf(2), turn: 2 };
      const [a, b] = await Promise.all([
        processCombatTurn(fakeJob("turn", data2, combatJobId(combatId, 2)), ctx),
        processCombatTurn(fakeJob("turn", data2, combatJobId(combatId, 2)), ctx),
      ]);
      assert.deepEqual(a, b, "two workers at once agree on the turn");
      const [fight] = await game.sql("select turn from active_combats where id = $1", [combatId]);
      assert.equal(fight.turn, 3, "each of the two turns advanced the fight exactly once");
    }
  });

  it("loot for a kill processed twice drops once", async () => {
    const { playerId, enemyId, combatId } = await setUpFight("raider-warlord");
    await game.sql("update wandering_enemies set hp = 0, died_at = now(), combat_id = null where id = $1", [enemyId]);
    await game.sql("update active_combats set status = 'won', ended_at = now() where id = $1", [combatId]);
    await game.sql("update players set combat_id = null where id = $1", [playerId]);
    const ctx = game.worker!.context;
    const job = fakeJob("roll", { combatId, enemyId }, `loot-${enemyId}`);
    const first = (await processLoot(job, ctx)) as { fresh: boolean; drops: unknown[] };
    const once = await snapshot(game, playerId, enemyId);
    const second = (await processLoot(job, ctx)) as { fresh: boolean };
    const third = await Promise.all([processLoot(job, ctx), processLoot(job, ctx)]);
    assert.equal(first.fresh, true);
    assert.equal(second.fresh, false);
    assert.ok(third.every((r: any) => r.fresh === false));
    assert.deepEqual(await snapshot(game, playerId, enemyId), once);
  });

  it("a statistics event processed twice counts once", async () => {
    const { token, playerId, enemyId } = await setUpFight();
    await game.call("POST", "/v1/combat/actions", { token, body: { action: "flee" } });
    const moveKey = `move-test-${playerId}`;
    await game.sql('insert into stat_events (event_key, player_id, deltas) values ($1, $2, \'{"distanceTravelled": 3, "kills": 2}\')', [moveKey, playerId]);
    const ctx = game.worker!.context;
    const job = fakeJob("apply", { eventKey: moveKey }, `stats-${moveKey}`);
    const [before] = await game.sql("select kills, distance_travelled from player_statistics where player_id = $1", [playerId]);
    await processStatistics(job, ctx);
    await Promise.all([processStatistics(job, ctx), processStatistics(job, ctx)]);
    const [after] = await game.sql("select kills, distance_travelled from player_statistics where player_id = $1", [playerId]);
    assert.deepEqual(after, { kills: before.kills + 2, distance_travelled: before.distance_travelled + 3 });
    void enemyId;
  });

  it("refuses malformed payloads without retrying them", async () => {
    const ctx = game.worker!.context;
    await assert.rejects(processCombatTurn(fakeJob("turn", { combatId: "x" }, "bad"), ctx), { name: "UnrecoverableError" });
    await assert.rejects(processCombatTurn(fakeJob("turn", { actionId: 1, combatId: 424242, turn: 1, playerId: 1 }, "gone"), ctx), {
      name: "UnrecoverableError",
    });
    await assert.rejects(processStatistics(fakeJob("apply", { eventKey: "DROP TABLE" }, "bad"), ctx), { name: "UnrecoverableError" });
  });
});
