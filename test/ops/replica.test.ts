import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { ensureDatabase } from "@echoes/db/embedded";
import { runMigrations, seedWorld } from "@echoes/db";
import { TestGame } from "../support/game";
import { debianPostgresBin, startReplicatedPostgres } from "../support/ops";
import { createTestDatabase } from "../support/db";

const withDb = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

describe("a real streaming read replica", {
  skip: debianPostgresBin() ? false : "PostgreSQL server programs are not installed (apt-get install postgresql)",
}, () => {
  let servers: Awaited<ReturnType<typeof startReplicatedPostgres>>;
  let game: TestGame;
  let primaryUrl: string;
  let replicaUrl: string;
  before(async () => {
    servers = await startReplicatedPostgres();
    await ensureDatabase(servers.primaryUrl, "echoes");
    primaryUrl = withDb(servers.primaryUrl, "echoes");
    replicaUrl = withDb(servers.replicaUrl, "echoes");
    await runMigrations(primaryUrl);
    await seedWorld(primaryUrl);
    // The game's own database: the primary (the replica follows it); the clone is only a placeholder.
    const placeholder = await createTestDatabase();
    await placeholder.drop();
    game = await TestGame.start({
      database: { ...placeholder, url: primaryUrl, drop: async () => undefined },
      env: { DATABASE_REPLICA_URL: replicaUrl, REPLICA_PRIMARY_WINDOW_MS: "1000", RATE_LIMIT_ACTIONS: "1000" },
    });
  });
  after(async () => {
    await game?.close();
    await servers?.stop();
  });

  it("the replica streams from the primary and refuses writes", async () => {
    const replica = new pg.Client({ connectionString: replicaUrl });
    await replica.connect();
    try {
      assert.equal((await replica.query("select pg_is_in_recovery() as r")).rows[0].r, true);
      await assert.rejects(replica.query("insert into locations (id, name, description, danger_level) values ('x', 'x', 'x', 0)"), /read-only transaction/);
      const [{ n }] = (await replica.query("select count(*)::int as n from locations")).rows;
      assert.ok(n >= 30, "the seeded world reached the replica");
    } finally {
      await replica.end();
    }
  });

  it("sends location reads to the replica and writes to the primary, and players still read their own writes", async () => {
    const { token } = await game.register();
    const before = game.apiStatements;
    // A player's first read finds their position and view together on the primary; after that,
    // views of places nobody wrote to lately come from the replica.
    const players = await game.createPlayers(3, "dust-road");
    for (const p of players) assert.equal((await game.call("GET", "/v1/location", { token: p.token })).status, 200);
    await game.cache.invalidate({ locations: ["dust-road"] });
    await new Promise((r) => setTimeout(r, 1_200));
    const primaryBefore = game.apiStatements.primary;
    for (const p of players) assert.equal((await game.call("GET", "/v1/location", { token: p.token })).status, 200);
    const afterReads = game.apiStatements;
    assert.equal(afterReads.replica - before.replica, 1, "one view miss, answered by the replica (the other two reads were cache hits)");
    assert.equal(afterReads.primary - primaryBefore, 0, "and nothing from the primary");

    // Writes go to the primary (the replica would refuse them), and the writer sees them at once.
    const dropped = await game.call("POST", "/v1/drop", { token, body: { items: [{ itemId: "bandage", quantity: 1 }] } });
    assert.equal(dropped.status, 200);
    const view = await game.call("GET", "/v1/location", { token });
    assert.ok(
      view.body.items.some((i: { id: number }) => i.id === dropped.body.stacks[0].id),
      "read your own write, right after it",
    );
    const moved = await game.call("POST", "/v1/move", { token, body: { direction: "north" } });
    assert.equal(moved.status, 200);

    // Each server saw the pool meant for it.
    const sessions = async (url: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (
          await client.query<{ application_name: string }>(
            "select distinct application_name from pg_stat_activity where datname = 'echoes' and application_name like 'echoes-%'",
          )
        ).rows.map((r) => r.application_name);
      } finally {
        await client.end();
      }
    };
    assert.ok((await sessions(replicaUrl)).includes("echoes-api-replica"), "the API's replica pool is connected to the replica");
    assert.ok(!(await sessions(replicaUrl)).includes("echoes-api-primary"), "no primary pool on the replica");
    assert.ok((await sessions(primaryUrl)).includes("echoes-api-primary"), "the API's primary pool is connected to the primary");
  });
});
