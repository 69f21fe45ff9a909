import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ITEMS, maxCarryWeight } from "@echoes/shared";
import type pg from "pg";
import { countRoundTrips, formatRoundTrips } from "../load/round-trips";
import type { PgWireCounter } from "../load/wire";
import type { TestDatabase } from "../support/db";
import { type CountedGame, startCountedGame } from "../support/counted-game";
import type { TestGame } from "../support/game";

const HERE = "maple-row";
const STIMPAK_HEAL = 45;

describe("game writes: pickup, drop and use in one statement each", () => {
  let db: TestDatabase;
  let wire: PgWireCounter;
  let game: TestGame;
  let setup: CountedGame;
  before(async () => {
    setup = await startCountedGame();
    ({ db, wire, game } = setup);
  });
  after(() => setup.close());

  /** Sends one request and counts the statements the API sent for it. */
  const counted = async (token: string, path: string, body: unknown) => {
    const sent = game.apiStatements.primary;
    const res = await game.call("POST", path, { token, body });
    return { res, statements: game.apiStatements.primary - sent };
  };

  /** A player here whose token check is already cached, so that a request counts only its own work. */
  const player = async (kit: { itemId: string; quantity: number }[] = []) => {
    const [p] = await game.createPlayers(1, HERE, kit);
    assert.equal((await game.call("GET", "/v1/location", { token: p!.token })).status, 200);
    return p!;
  };

  const dropStack = async (itemId: string, quantity: number): Promise<number> =>
    (
      await game.sql("insert into dropped_items (location_id, item_id, quantity, expires_at) values ($1, $2, $3, now() + interval '1 hour') returning id", [
        HERE,
        itemId,
        quantity,
      ])
    )[0].id;

  /**
   * Holds the player's row lock from a connection of the test while `request` starts and waits
   * for it, then runs `change` in the same transaction (as a writer of the pack does, updating
   * the player row too) and commits: the request's statement took its snapshot before the change.
   */
  const whileWaiting = async <T>(playerId: number, request: () => Promise<T>, change: (client: pg.PoolClient) => Promise<unknown>): Promise<T> => {
    const client = await game.database.pools.primary.connect();
    try {
      await client.query("begin");
      await client.query("select id from players where id = $1 for no key update", [playerId]);
      const pending = request();
      await game.eventually(
        async () => (await game.sql("select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).length > 0,
        10_000,
        "the request to wait for the player's lock",
      );
      await change(client);
      await client.query("update players set updated_at = now() where id = $1", [playerId]);
      await client.query("commit");
      return await pending;
    } finally {
      client.release();
    }
  };

  it("pickup, drop and use each take one round trip on the wire once warm", async () => {
    const rows = await countRoundTrips(
      {
        url: game.url,
        wire,
        sql: (text, values) => game.sql(text, values),
        createPlayers: (count, locationId, kit) => game.createPlayers(count, locationId, kit),
        statementsSent: async () => game.allApiStatements,
      },
      10,
      ["POST /v1/pickup", "POST /v1/drop", "POST /v1/use"],
    );
    console.log(formatRoundTrips(rows));
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.route, [r.roundTrips, r.statements, r.apiStatements]])), {
      "POST /v1/pickup": [1, 1, 1],
      "POST /v1/drop": [1, 1, 1],
      "POST /v1/use": [1, 1, 1],
    });
  });

  it("use: a guess the process still holds costs one statement; a missing or stale guess two, and the result follows the state found", async () => {
    const p = await player([{ itemId: "stimpak", quantity: 5 }]);
    await game.sql("update players set hp = 20 where id = $1", [p.id]);
    const use = () => counted(p.token, "/v1/use", { itemId: "stimpak" });

    const cold = await use();
    assert.equal(cold.res.status, 200);
    assert.deepEqual([cold.res.body.hp, cold.statements], [20 + STIMPAK_HEAL, 2], "no guess yet: one statement finds the state, one writes");
    const fresh = await use();
    assert.deepEqual([fresh.res.body.hp, fresh.statements], [100, 1], "the guess the last use left");

    // Changed behind this process's back: its guess (100 hp) is stale.
    await game.sql("update players set hp = 10 where id = $1", [p.id]);
    const stale = await use();
    assert.deepEqual([stale.res.body.hp, stale.statements], [10 + STIMPAK_HEAL, 2], "computed again from the 10 hp found, not the 100 guessed");
    const again = await use();
    assert.deepEqual([again.res.body.hp, again.statements], [10 + 2 * STIMPAK_HEAL, 1]);

    const [row] = await game.sql(
      "select hp, (select quantity from inventory where player_id = $1 and item_id = 'stimpak') as left from players where id = $1",
      [p.id],
    );
    assert.deepEqual(row, { hp: 10 + 2 * STIMPAK_HEAL, left: 1 });
  });

  it("use: equipping needs no guess and is one statement", async () => {
    const p = await player([{ itemId: "machete", quantity: 1 }]);
    const equipped = await counted(p.token, "/v1/use", { itemId: "machete" });
    assert.equal(equipped.res.body.effect, "equipped");
    assert.equal(equipped.statements, 1);
    assert.deepEqual(await game.sql("select weapon_item_id from players where id = $1", [p.id]), [{ weapon_item_id: "machete" }]);
  });

  it("use: a player row changed while the use waited for its lock is compared again, and the use is computed from what changed", async () => {
    const p = await player([{ itemId: "stimpak", quantity: 3 }]);
    await game.sql("update players set hp = 50 where id = $1", [p.id]);
    assert.equal((await counted(p.token, "/v1/use", { itemId: "stimpak" })).res.body.hp, 50 + STIMPAK_HEAL);
    const raced = await whileWaiting(
      p.id,
      () => counted(p.token, "/v1/use", { itemId: "stimpak" }),
      (client) => client.query("update players set hp = 30 where id = $1", [p.id]),
    );
    assert.equal(raced.res.status, 200);
    assert.equal(raced.res.body.hp, 30 + STIMPAK_HEAL, "healed from the 30 hp that won the race");
    assert.equal(raced.statements, 2, "one statement that saw the row change, one that wrote");
    assert.deepEqual(await game.sql("select hp from players where id = $1", [p.id]), [{ hp: 30 + STIMPAK_HEAL }]);
  });

  it("pickup: a pack that grew while the pickup waited for the player's lock is weighed again (the player row's xmin moved)", async () => {
    const p = await player();
    const caps = await dropStack("bottle-cap", 10);
    const armour = ITEMS.get("power-armour-frame")!;
    assert.ok(armour.weight > maxCarryWeight(1), "heavier than a new player can carry on its own");
    const raced = await whileWaiting(
      p.id,
      () => counted(p.token, "/v1/pickup", { items: [{ id: caps }] }),
      (client) => client.query("insert into inventory (player_id, item_id, quantity) values ($1, 'power-armour-frame', 1)", [p.id]),
    );
    assert.equal(raced.res.status, 422, JSON.stringify(raced.res.body));
    assert.equal(raced.res.body.error.code, "overweight");
    assert.deepEqual(raced.res.body.error.details, {
      carried: armour.weight,
      adding: (10 * Math.round(ITEMS.get("bottle-cap")!.weight * 1000)) / 1000,
      max: maxCarryWeight(1),
    });
    assert.equal(raced.statements, 2, "the first statement's snapshot missed the armour; it wrote nothing and the second weighed it");
    assert.deepEqual(await game.sql("select quantity from dropped_items where id = $1", [caps]), [{ quantity: 10 }]);
    assert.deepEqual(await game.sql("select item_id from inventory where player_id = $1 order by item_id", [p.id]), [{ item_id: "power-armour-frame" }]);
  });

  it("drop: items that reached the pack while the drop waited for the player's lock are found", async () => {
    const p = await player();
    const raced = await whileWaiting(
      p.id,
      () => counted(p.token, "/v1/drop", { items: [{ itemId: "bottle-cap", quantity: 3 }] }),
      (client) => client.query("insert into inventory (player_id, item_id, quantity) values ($1, 'bottle-cap', 5)", [p.id]),
    );
    assert.equal(raced.res.status, 200, JSON.stringify(raced.res.body));
    assert.equal(raced.statements, 2);
    assert.deepEqual(await game.sql("select quantity from inventory where player_id = $1 and item_id = 'bottle-cap'", [p.id]), [{ quantity: 2 }]);
    assert.deepEqual(await game.sql("select quantity from dropped_items where dropped_by = $1", [p.id]), [{ quantity: 3 }]);
  });

  it("one player's many pickups at once all succeed: each waits its turn instead of failing with a conflict", async () => {
    const p = await player();
    const stacks = await Promise.all(Array.from({ length: 16 }, () => dropStack("duct-tape", 2)));
    const results = await Promise.all(stacks.map((id) => game.call("POST", "/v1/pickup", { token: p.token, body: { items: [{ id }] } })));
    assert.deepEqual(
      results.map((r) => r.status),
      stacks.map(() => 200),
      JSON.stringify(results.filter((r) => r.status !== 200).map((r) => r.body)),
    );
    assert.deepEqual(await game.sql("select quantity from inventory where player_id = $1 and item_id = 'duct-tape'", [p.id]), [{ quantity: 32 }]);
    assert.deepEqual(await game.sql("select id from dropped_items where id = any($1)", [stacks]), []);
  });
});
