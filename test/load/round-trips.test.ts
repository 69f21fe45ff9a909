import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import type { TestDatabase } from "../support/db";
import { type CountedGame, startCountedGame } from "../support/counted-game";
import type { TestGame } from "../support/game";
import { type RoundTripRow, TARGET, countRoundTrips, formatRoundTrips } from "./round-trips";
import type { PgWireCounter } from "./wire";

describe("database round trips per request, counted on the wire", () => {
  let db: TestDatabase;
  let wire: PgWireCounter;
  let game: TestGame;
  let rows: RoundTripRow[] = [];
  let setup: CountedGame;
  before(async () => {
    setup = await startCountedGame();
    ({ db, wire, game } = setup);
  });
  after(() => setup.close());

  it("the wire counter counts one round trip per simple query and per Sync, and names what was sent", async () => {
    const client = new pg.Client({ connectionString: wire.url(db.url) });
    await client.connect();
    try {
      const delta = async (work: () => Promise<unknown>) => {
        const before = wire.totals();
        wire.takeLog();
        await work();
        const after = wire.totals();
        return {
          roundTrips: after.roundTrips - before.roundTrips,
          parses: after.parses - before.parses,
          pings: after.pings - before.pings,
          log: wire.takeLog(),
        };
      };
      assert.deepEqual(await delta(() => client.query("select 2 as two")), { roundTrips: 1, parses: 0, pings: 0, log: ["select 2 as two"] });
      assert.deepEqual(await delta(() => client.query("select $1::int as n", [1])), { roundTrips: 1, parses: 1, pings: 0, log: ["select $1::int as n"] });
      const named = { name: "wire_named", text: "select $1::int + 1 as n", values: [1] };
      assert.deepEqual(await delta(() => client.query(named).then(() => client.query(named))), {
        roundTrips: 2,
        parses: 1,
        pings: 0,
        log: ["select $1::int + 1 as n", "select $1::int + 1 as n"],
      });
      const transaction = async () => {
        await client.query("begin");
        await client.query("select count(*) from players where id = $1", [1]);
        await client.query("commit");
      };
      assert.deepEqual(await delta(transaction), {
        roundTrips: 3,
        parses: 1,
        pings: 0,
        log: ["begin", "select count(*) from players where id = $1", "commit"],
      });
      assert.deepEqual(await delta(() => client.query("select 1")), { roundTrips: 1, parses: 0, pings: 1, log: ["select 1"] });
    } finally {
      await client.end();
    }
  });

  it("counts every hot route, and the API's own statement counter agrees with the wire", async () => {
    rows = await countRoundTrips(
      {
        url: game.url,
        wire,
        sql: (text, values) => game.sql(text, values),
        createPlayers: (count, locationId, kit) => game.createPlayers(count, locationId, kit),
        statementsSent: async () => game.allApiStatements,
      },
      5,
    );
    console.log(formatRoundTrips(rows));
    assert.deepEqual(
      rows.map((r) => r.route),
      Object.keys(TARGET),
    );
    for (const r of rows) {
      assert.equal(
        r.roundTrips - r.pings,
        r.apiStatements,
        `${r.route}: ${r.roundTrips} round trips (${r.pings} pings) on the wire, ${r.apiStatements} by the API's count`,
      );
      if (r.route.startsWith("POST")) assert.ok(r.roundTrips >= 1, `${r.route} is a write and must reach the database`);
    }
  });

  it("every game write costs one round trip and every hot read none once warm", () => {
    assert.ok(rows.length > 0, "the routes were counted");
    assert.deepEqual(Object.fromEntries(rows.map((r) => [r.route, r.roundTrips])), TARGET);
  });
});
