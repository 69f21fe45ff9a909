import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";

describe("player routes", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start();
  });
  after(() => game.close());

  it("GET /v1/me returns the player with status effects, loaded in one query", async () => {
    const { token, player } = await game.register();
    await game.sql("insert into player_status_effects (player_id, effect_id, remaining_ticks) values ($1, 'bleeding', 3), ($1, 'well-fed', 5)", [player.id]);
    const before = game.apiStatements.primary;
    const { data: me, response } = await game.client(token).api.GET("/v1/me");
    assert.equal(game.apiStatements.primary - before, 1);
    assert.equal(response.status, 200);
    for (const key of ["id", "username", "hp", "maxHp", "stamina", "maxStamina", "level", "xp", "locationId", "inCombat", "statusEffects"]) {
      assert.ok(key in me!, key);
    }
    const effects = me!.statusEffects.map((e) => [e.id, e.remainingTicks]).sort();
    assert.deepEqual(effects, [
      ["bleeding", 3],
      ["well-fed", 5],
    ]);
    assert.ok(me!.statusEffects.every((e) => e.name.length > 0));
  });

  it("GET /v1/me/inventory lists definitions, weights and what is equipped", async () => {
    const { token } = await game.register();
    const { data: pack, response } = await game.client(token).api.GET("/v1/me/inventory");
    assert.equal(response.status, 200);
    assert.ok(pack!.maxWeight > 0);
    const sum = pack!.items.reduce((s, i) => s + i.weight, 0);
    assert.ok(Math.abs(sum - pack!.totalWeight) < 0.001);
    for (const item of pack!.items) {
      assert.ok(item.name.length > 0);
      assert.ok(item.quantity > 0);
    }
  });

  it("GET /v1/me/stats counts moves once the statistics are applied", async () => {
    const { token } = await game.register();
    const { api } = game.client(token);
    const moved = await api.POST("/v1/move", { body: { direction: "north" } });
    assert.equal(moved.response.status, 200);
    const { data: stats, response } = await api.GET("/v1/me/stats");
    assert.equal(response.status, 200);
    assert.equal(stats!.distanceTravelled + stats!.pendingEvents, 1);
  });

  it("DELETE /v1/me removes the player, their pack and their place in the world", async () => {
    const { token, player } = await game.register();
    assert.equal((await game.client(token).api.DELETE("/v1/me")).response.status, 204);
    const rows = await game.sql(
      "select (select count(*) from players where id = $1)::int as p, (select count(*) from inventory where player_id = $1)::int as i",
      [player.id],
    );
    assert.deepEqual(rows[0], { p: 0, i: 0 });
  });
});
