import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useTestDatabase } from "../support/db";

/** The indexes the performance review asked for, by name, with the columns it named. */
const REVIEW_INDEXES: Record<string, { table: string; columns: string[]; unique?: boolean }> = {
  idx_players_username: { table: "players", columns: ["username"], unique: true },
  idx_players_telegram_id: { table: "players", columns: ["telegram_id"], unique: true },
  idx_players_location_id: { table: "players", columns: ["location_id"] },
  idx_dropped_items_location: { table: "dropped_items", columns: ["location_id"] },
  idx_wandering_enemies_location: { table: "wandering_enemies", columns: ["location_id"] },
  idx_active_combats_player_id: { table: "active_combats", columns: ["player_id"] },
  idx_inventory_player_id: { table: "inventory", columns: ["player_id"] },
  idx_inventory_item_id: { table: "inventory", columns: ["item_id"] },
  idx_inventory_player_item: { table: "inventory", columns: ["player_id", "item_id"], unique: true },
};

describe("the migrated schema", () => {
  const t = useTestDatabase();

  it("has all nine indexes of the review, under the review's names, on the review's columns", async () => {
    const { rows } = await t.client.query<{ indexname: string; tablename: string; indexdef: string }>(
      "select indexname, tablename, indexdef from pg_indexes where schemaname = 'public'",
    );
    const byName = new Map(rows.map((r) => [r.indexname, r]));
    for (const [name, want] of Object.entries(REVIEW_INDEXES)) {
      const found = byName.get(name);
      assert.ok(found, `index ${name} exists`);
      assert.equal(found.tablename, want.table, `${name} is on ${want.table}`);
      const columns = /\((.*)\)/
        .exec(found.indexdef)![1]!
        .split(",")
        .map((c) => c.trim().replace(/"/g, ""));
      assert.deepEqual(columns, want.columns, `${name} columns`);
      assert.equal(/CREATE UNIQUE INDEX/.test(found.indexdef), Boolean(want.unique), `${name} uniqueness`);
    }
  });

  it("refuses values out of range", async () => {
    const [player] = (
      await t.client.query(
        "insert into players (username, hp, max_hp, stamina, max_stamina, location_id) values ('range_check', 10, 100, 10, 100, 'cinderhold-square') returning id",
      )
    ).rows;
    await assert.rejects(t.client.query("update players set hp = 101 where id = $1", [player.id]), /players_hp_range/);
    await assert.rejects(t.client.query("update players set hp = -1 where id = $1", [player.id]), /players_hp_range/);
    await assert.rejects(
      t.client.query("insert into inventory (player_id, item_id, quantity) values ($1, 'bandage', 0)", [player.id]),
      /inventory_quantity_positive/,
    );
    await assert.rejects(
      t.client.query("insert into dropped_items (location_id, item_id, quantity, expires_at) values ('cinderhold-square', 'bandage', -3, now())"),
      /dropped_items_quantity_positive/,
    );
    await assert.rejects(t.client.query("insert into inventory (player_id, item_id, quantity) values ($1, 'no-such-item', 1)", [player.id]), /foreign key/);
    await t.client.query("insert into inventory (player_id, item_id, quantity) values ($1, 'bandage', 1)", [player.id]);
    await assert.rejects(
      t.client.query("insert into inventory (player_id, item_id, quantity) values ($1, 'bandage', 1)", [player.id]),
      /idx_inventory_player_item/,
    );
  });

  it("holds the seeded world", async () => {
    const counts = (
      await t.client.query(
        "select (select count(*) from locations)::int as locations, (select count(*) from items)::int as items, (select count(*) from enemy_types)::int as enemies, (select count(*) from wandering_enemies)::int as spawned",
      )
    ).rows[0];
    assert.ok(counts.locations >= 30 && counts.items >= 40 && counts.enemies >= 10 && counts.spawned > 0, JSON.stringify(counts));
  });
});
