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
    const res = await game.call("GET", "/v1/me", { token });
    assert.equal(game.apiStatements.primary - before, 1);
    assert.equal(res.status, 200);
    for (const key of ["id", "username", "hp", "maxHp", "stamina", "maxStamina", "level", "xp", "locationId", "inCombat", "statusEffects"]) {
      assert.ok(key in res.body, key);
    }
    const effects = res.body.statusEffects.map((e: any) => [e.id, e.remainingTicks]).sort();
    assert.deepEqual(effects, [
      ["bleeding", 3],
      ["well-fed", 5],
    ]);
    assert.ok(res.body.statusEffects.every((e: any) => typeof e.name === "string" && e.name.length > 0));
  });

  it("GET /v1/me/inventory lists definitions, weights and what is equipped", async () => {
    const { token } = await game.register();
    const res = await game.call("GET", "/v1/me/inventory", { token });
    assert.equal(res.status, 200);
    assert.ok(res.body.maxWeight > 0);
    const sum = res.body.items.reduce((s: number, i: any) => s + i.weight, 0);
    assert.ok(Math.abs(sum - res.body.totalWeight) < 0.001);
    for (const item of res.body.items) {
      assert.equal(typeof item.name, "string");
      assert.ok(item.quantity > 0);
    }
  });

  it("GET /v1/me/stats counts moves once the statistics are applied", async () => {
    const { token } = await game.register();
    const moved = await game.call("POST", "/v1/move", { token, body: { direction: "north" } });
    assert.equal(moved.status, 200);
    const stats = await game.call("GET", "/v1/me/stats", { token });
    assert.equal(stats.status, 200);
    assert.equal(stats.body.distanceTravelled + stats.body.pendingEvents, 1);
  });

  it("DELETE /v1/me removes the player, their pack and their place in the world", async () => {
    const { token, player } = await game.register();
    assert.equal((await game.call("DELETE", "/v1/me", { token })).status, 204);
    const rows = await game.sql(
      "select (select count(*) from players where id = $1)::int as p, (select count(*) from inventory where player_id = $1)::int as i",
      [player.id],
    );
    assert.deepEqual(rows[0], { p: 0, i: 0 });
  });
});
