import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";
import { recordReliability } from "../support/reliability";

const total = async (game: TestGame, itemId: string, players: number[]) =>
  (
    await game.sql(
      `select (coalesce((select sum(quantity) from inventory where item_id = $1 and player_id = any($2)), 0)
             + coalesce((select sum(quantity) from dropped_items where item_id = $1), 0))::int as n`,
      [itemId, players],
    )
  )[0]!.n as number;

describe("races: many clients at once on the same things", () => {
  let game: TestGame;
  const numbers: Record<string, number | string> = {};
  before(async () => {
    game = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "100000", DB_POOL_SIZE: "20", DB_POOL_MAX_OVERFLOW: "30" } });
  });
  after(async () => {
    recordReliability({
      id: "04-races",
      fault: "Races for the same items, places and enemies",
      how: "200 players pick up parts of the same 5 stacks at once; 200 players grab one whole stack at once, each pickup one statement; one player drops and picks up from two connections at once and over-drops concurrently; 60 players each race a move against a fight start",
      held: "item totals were conserved exactly (every unit in a pack or on the ground); one stack had exactly one taker; no stack went negative; no player ended both moved and fighting, in two fights, or fighting an enemy elsewhere",
      numbers,
    });
    await game.close();
  });

  it("200 concurrent pickups of the same stacks conserve every unit", async () => {
    const players = await game.createPlayers(200, "scrap-market");
    const stacks = await game.sql<{ id: number }>(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) select 'scrap-market', 'circuit-board', 10, now() + interval '1 hour' from generate_series(1, 5) returning id",
    );
    const ids = players.map((p) => p.id);
    const before = await total(game, "circuit-board", ids);
    const results = await Promise.all(
      players.map((p, i) =>
        game.call("POST", "/v1/pickup", {
          token: p.token,
          body: {
            items: [
              { id: stacks[i % 5]!.id, quantity: 1 + (i % 3) },
              { id: stacks[(i * 7 + 2) % 5]!.id, quantity: 1 },
            ].filter((x, j, a) => a.findIndex((y) => y.id === x.id) === j),
          },
        }),
      ),
    );
    const byStatus = results.reduce<Record<number, number>>((m, r) => {
      m[r.status] = (m[r.status] ?? 0) + 1;
      return m;
    }, {});
    assert.deepEqual(
      Object.keys(byStatus).filter((s) => s !== "200" && s !== "409"),
      [],
      JSON.stringify(byStatus),
    );
    const after = await total(game, "circuit-board", ids);
    assert.equal(after, before);
    const negatives = await game.sql("select count(*)::int as n from dropped_items where quantity <= 0");
    assert.equal(negatives[0].n, 0);
    numbers["pickups racing"] = 200;
    numbers["pickups won / refused 409"] = `${byStatus[200] ?? 0} / ${byStatus[409] ?? 0}`;
    numbers["circuit boards before / after"] = `${before} / ${after}`;
  });

  it("200 clients grab one stack at once through the single-statement pickup: exactly one winner, the rest 409, counts conserved", async () => {
    const players = await game.createPlayers(200, "scrap-market");
    const ids = players.map((p) => p.id);
    const [{ id: stack }] = await game.sql(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) values ('scrap-market', 'spring-coil', 7, now() + interval '1 hour') returning id",
    );
    const before = await total(game, "spring-coil", ids);
    const sentBefore = game.apiStatements.primary;
    const results = await Promise.all(players.map((p) => game.call("POST", "/v1/pickup", { token: p.token, body: { items: [{ id: stack }] } })));
    const statements = game.apiStatements.primary - sentBefore;
    const winners = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    assert.equal(winners.length, 1, JSON.stringify(results.map((r) => r.status)));
    assert.deepEqual(winners[0]!.body, { items: [{ itemId: "spring-coil", quantity: 7 }] });
    assert.equal(refused.length, 199);
    assert.ok(refused.every((r) => r.body.error.code === "item_taken" && r.body.error.details.stackId === stack));
    assert.equal(await total(game, "spring-coil", ids), before);
    const holders = await game.sql("select quantity from inventory where item_id = 'spring-coil' and player_id = any($1)", [ids]);
    assert.deepEqual(holders, [{ quantity: 7 }]);
    assert.deepEqual(await game.sql("select id from dropped_items where id = $1", [stack]), []);
    // Each pickup is one statement; only a first request may add the token's check of the player.
    assert.ok(statements >= 200 && statements <= 400, `${statements} statements for 200 pickups`);
    numbers["one stack, 200 grabbers (won / 409)"] = `${winners.length} / ${refused.length}`;
    numbers["one stack: spring coils before / after"] = `${before} / ${await total(game, "spring-coil", ids)}`;
    numbers["one stack: statements sent for 200 pickups"] = statements;
  });

  it("one player dropping and picking up from two connections at once conserves the pack", async () => {
    const [p] = await game.createPlayers(1, "maple-row", [{ itemId: "bottle-cap", quantity: 30 }]);
    const before = await total(game, "bottle-cap", [p!.id]);
    const dropper = (async () => {
      for (let i = 0; i < 25; i++) await game.call("POST", "/v1/drop", { token: p!.token, body: { items: [{ itemId: "bottle-cap", quantity: 1 }] } });
    })();
    const picker = (async () => {
      for (let i = 0; i < 25; i++) {
        const [stack] = await game.sql(
          "select id from dropped_items where location_id = 'maple-row' and item_id = 'bottle-cap' and dropped_by = $1 order by id desc limit 1",
          [p!.id],
        );
        if (stack) await game.call("POST", "/v1/pickup", { token: p!.token, body: { items: [{ id: stack.id }] } });
      }
    })();
    await Promise.all([dropper, picker]);
    assert.equal(await total(game, "bottle-cap", [p!.id]), before);

    const [q] = await game.createPlayers(1, "maple-row", [{ itemId: "bottle-cap", quantity: 5 }]);
    const over = await Promise.all(
      Array.from({ length: 12 }, () => game.call("POST", "/v1/drop", { token: q!.token, body: { items: [{ itemId: "bottle-cap", quantity: 1 }] } })),
    );
    assert.equal(over.filter((r) => r.status === 200).length, 5);
    assert.ok(over.filter((r) => r.status !== 200).every((r) => r.status === 422 && r.body.error.code === "not_enough_items"));
    const [{ n: held }] = await game.sql("select coalesce(sum(quantity), 0)::int as n from inventory where player_id = $1 and item_id = 'bottle-cap'", [q!.id]);
    assert.equal(held, 0);
    numbers["concurrent over-drops (12 of 5 caps)"] =
      `${over.filter((r) => r.status === 200).length} dropped, ${over.filter((r) => r.status === 422).length} refused`;
  });

  it("using and dropping the same item from two connections at once never fails the request", async () => {
    const players = await game.createPlayers(30, "maple-row", [{ itemId: "bandage", quantity: 6 }]);
    const statuses: number[] = [];
    await Promise.all(
      players.map(async (p) => {
        const rounds = await Promise.all([
          game.call("POST", "/v1/use", { token: p.token, body: { itemId: "bandage" } }),
          game.call("POST", "/v1/drop", { token: p.token, body: { items: [{ itemId: "bandage", quantity: 1 }] } }),
          game.call("POST", "/v1/use", { token: p.token, body: { itemId: "bandage" } }),
          game.call("POST", "/v1/drop", { token: p.token, body: { items: [{ itemId: "bandage", quantity: 1 }] } }),
        ]);
        statuses.push(...rounds.map((r) => r.status));
      }),
    );
    assert.deepEqual(
      statuses.filter((s) => s >= 500),
      [],
    );
    const [{ held, dropped }] = await game.sql(
      `select coalesce((select sum(quantity) from inventory where item_id = 'bandage' and player_id = any($1)), 0)::int as held,
              coalesce((select sum(quantity) from dropped_items where item_id = 'bandage' and dropped_by = any($1)), 0)::int as dropped`,
      [players.map((p) => p.id)],
    );
    const used = statuses.filter((s, i) => i % 2 === 0 && s === 200).length;
    assert.equal(held + dropped + used, 6 * players.length, "every bandage is held, on the ground, or was used");
    numbers["use + drop of the same item at once (requests / 5xx)"] = `${statuses.length} / 0`;
  });

  it("a move racing a fight start: one or the other, never both, never two fights", async () => {
    const players = await game.createPlayers(60, "dust-road");
    const enemies = await game.sql<{ id: number }>(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select 'giant-roach', 'dust-road', 8, 8 from generate_series(1, 60) returning id",
    );
    const outcomes = await Promise.all(
      players.map(async (p, i) => {
        const [move, fight] = await Promise.all([
          game.call("POST", "/v1/move", { token: p.token, body: { direction: "south" } }),
          game.call("POST", "/v1/combat", { token: p.token, body: { enemyId: enemies[i]!.id } }),
        ]);
        return { p, move, fight };
      }),
    );
    let moved = 0;
    let fought = 0;
    for (const { p, move, fight } of outcomes) {
      assert.ok((move.status === 200) !== (fight.status === 201), `player ${p.id}: move ${move.status}, fight ${fight.status}`);
      const [row] = await game.sql("select location_id, combat_id from players where id = $1", [p.id]);
      const active = await game.sql("select id, location_id from active_combats where player_id = $1 and status = 'active'", [p.id]);
      if (fight.status === 201) {
        fought++;
        assert.equal(active.length, 1);
        assert.equal(row.combat_id, active[0].id);
        assert.equal(row.location_id, active[0].location_id, "fighting where they stand");
      } else {
        moved++;
        assert.equal(active.length, 0);
        assert.equal(row.combat_id, null);
        assert.equal(fight.status, 422);
      }
    }
    const engagedTwice = await game.sql("select enemy_id from active_combats where status = 'active' group by enemy_id having count(*) > 1");
    assert.deepEqual(engagedTwice, []);
    numbers["move vs fight races (moved / fought / both)"] = `${moved} / ${fought} / 0`;
  });
});
