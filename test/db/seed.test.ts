import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { seedSynthetic, seedWorld } from "@echoes/db";
import { useTestDatabase } from "../support/db";

const COUNT = `select (select count(*) from locations)::int as locations, (select count(*) from location_exits)::int as exits,
  (select count(*) from items)::int as items, (select count(*) from wandering_enemies)::int as enemies,
  (select count(*) from dropped_items)::int as stacks, (select count(*) from players)::int as players`;

describe("seeding", () => {
  const t = useTestDatabase();

  it("is safe to run twice: nothing is duplicated", async () => {
    const first = (await t.client.query(COUNT)).rows[0];
    const summary = await seedWorld(t.db.url);
    const second = (await t.client.query(COUNT)).rows[0];
    assert.deepEqual(second, first);
    assert.equal(summary.enemiesSpawned, 0);
    assert.equal(summary.groundStacks, 0);
  });

  it("synthetic mode adds players and stacks in bulk, spread over the map", async () => {
    const before = (await t.client.query(COUNT)).rows[0];
    const started = performance.now();
    const made = await seedSynthetic(t.db.url, { players: 5_000, droppedItems: 50_000 });
    const ms = performance.now() - started;
    const after = (await t.client.query(COUNT)).rows[0];
    assert.equal(made.players, 5_000);
    assert.equal(after.players - before.players, 5_000);
    assert.equal(after.stacks - before.stacks, 50_000);
    const spread = (await t.client.query("select count(distinct location_id)::int as n from dropped_items")).rows[0].n;
    assert.equal(spread, before.locations);
    assert.ok(ms < 60_000, `took ${ms} ms`);
  });
});
