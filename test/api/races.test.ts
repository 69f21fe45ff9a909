import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";

const SPOT = "scrap-market";

/** Every unit of an item in the world: on the ground plus in every pack. */
const worldTotal = (game: TestGame, itemId: string) =>
  game
    .sql<{ n: number }>(
      "select (coalesce((select sum(quantity) from dropped_items where item_id = $1), 0) + coalesce((select sum(quantity) from inventory where item_id = $1), 0))::int as n",
      [itemId],
    )
    .then((r) => r[0]!.n);

describe("races for the same items", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "100000", DB_POOL_SIZE: "20", DB_POOL_MAX_OVERFLOW: "30" } });
  });
  after(() => game.close());

  it("50 players grab the same stack at once: exactly one gets it, the rest get 409, nothing is created or lost", async () => {
    const players = await game.createPlayers(50, SPOT);
    const [{ id: stack }] = await game.sql(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) values ($1, 'gunpowder', 7, now() + interval '1 hour') returning id",
      [SPOT],
    );
    const before = await worldTotal(game, "gunpowder");
    const results = await Promise.all(players.map((p) => game.call("POST", "/v1/pickup", { token: p.token, body: { items: [{ id: stack }] } })));
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses.join(",")}`);
    assert.equal(statuses.filter((s) => s === 409).length, 49);
    assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.error.code === "item_taken"));
    assert.equal(await worldTotal(game, "gunpowder"), before);
    const holders = await game.sql("select player_id, quantity from inventory where item_id = 'gunpowder' and player_id = any($1)", [players.map((p) => p.id)]);
    assert.deepEqual(
      holders.map((h) => h.quantity),
      [7],
    );
  });

  it("players taking parts of the same stacks concurrently never take more than there is", async () => {
    const players = await game.createPlayers(40, SPOT);
    const stacks = await game.sql<{ id: number }>(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) select $1, 'copper-wire', 10, now() + interval '1 hour' from generate_series(1, 3) returning id",
      [SPOT],
    );
    const before = await worldTotal(game, "copper-wire");
    const results = await Promise.all(
      players.map((p, i) =>
        game.call("POST", "/v1/pickup", {
          token: p.token,
          body: {
            items: [
              { id: stacks[i % 3]!.id, quantity: 1 + (i % 3) },
              { id: stacks[(i + 1) % 3]!.id, quantity: 1 },
            ],
          },
        }),
      ),
    );
    assert.ok(
      results.every((r) => r.status === 200 || r.status === 409),
      results.map((r) => r.status).join(","),
    );
    assert.equal(await worldTotal(game, "copper-wire"), before);
    const taken = (
      await game.sql("select coalesce(sum(quantity), 0)::int as n from inventory where item_id = 'copper-wire' and player_id = any($1)", [
        players.map((p) => p.id),
      ])
    )[0].n;
    const left = (await game.sql("select coalesce(sum(quantity), 0)::int as n from dropped_items where id = any($1)", [stacks.map((s) => s.id)]))[0].n;
    assert.equal(taken + left, 30);
  });
});
