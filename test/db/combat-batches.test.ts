import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { Registry } from "prom-client";
import { CombatActionRecorder, DataMetrics, type Database, openDatabase, resolveCombatTurns } from "@echoes/db";
import { GameError, createLogger } from "@echoes/shared";
import { loadApiConfig } from "../../apps/api/src/config";
import { useTestDatabase, waitForLockWait } from "../support/db";
import { TEST_ENV } from "../support/env";
import { createPlayers } from "../support/players";

describe("combat actions recorded and turns resolved in batches", () => {
  const t = useTestDatabase();
  const metrics = new DataMetrics(new Registry());
  let database: Database;
  before(() => {
    database = openDatabase(loadApiConfig({ DATABASE_URL: t.db.url, DB_POOL_SIZE: "4" }), createLogger("test", TEST_ENV.logLevel), metrics);
  });
  after(() => database.close());
  const sql = async (text: string, values: unknown[] = []) => (await t.client.query(text, values)).rows;

  /** Players at Cinderhold Square, each in a fight of their own with a Giant Roach, carrying `kit`. */
  async function fighters(count: number, kit: { itemId: string; quantity: number }[] = []): Promise<{ id: number; combatId: number }[]> {
    const players = await createPlayers(sql, async () => ({ token: "" }), count, "cinderhold-square", kit);
    const fights = await sql(
      `with e as (
         insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp)
         select 'giant-roach', 'cinderhold-square', 8, 8 from unnest($1::int[]) returning id
       ), pairs as (
         select p.id as player_id, e.id as enemy_id from (select id, row_number() over (order by id) n from unnest($1::int[]) id) p
         join (select id, row_number() over (order by id) n from e) e on e.n = p.n
       )
       insert into active_combats (player_id, enemy_id, enemy_type_id, location_id)
       select player_id, enemy_id, 'giant-roach', 'cinderhold-square' from pairs returning id, player_id`,
      [players.map((p) => p.id)],
    );
    await sql("update players p set combat_id = c.id from active_combats c where c.player_id = p.id and p.id = any($1)", [players.map((p) => p.id)]);
    return players.map((p) => ({ id: p.id, combatId: fights.find((f) => f.player_id === p.id)!.id }));
  }

  const settle = <T>(promises: Promise<T>[]) =>
    Promise.allSettled(promises).then((all) =>
      all.map((r) => (r.status === "fulfilled" ? r.value : r.reason instanceof GameError ? r.reason.code : String(r.reason))),
    );

  it("records the actions sent together in one statement, and answers each request on its own", async () => {
    const [a, b, c, d, ...rest] = await fighters(12);
    const [withBandage] = await fighters(1, [{ itemId: "bandage", quantity: 1 }]);
    const [idle] = await createPlayers(sql, async () => ({ token: "" }), 1, "cinderhold-square");
    const recorder = new CombatActionRecorder(database, { size: 100, waitMs: 0, inFlight: 1 });
    const sentBefore = metrics.sent.primary;
    const answers = await settle([
      ...rest.map((p) => recorder.accept(p.id, { action: "attack" })),
      // The same request twice (a client's retry): both get the one action.
      recorder.accept(a!.id, { action: "attack", idempotencyKey: "retry-1" }),
      recorder.accept(a!.id, { action: "attack", idempotencyKey: "retry-1" }),
      // Two actions for one turn: the first is recorded, the second is refused as pending.
      recorder.accept(b!.id, { action: "flee" }),
      recorder.accept(b!.id, { action: "attack" }),
      // The key of the first used for something else.
      recorder.accept(c!.id, { action: "attack", idempotencyKey: "mine" }),
      recorder.accept(c!.id, { action: "flee", idempotencyKey: "mine" }),
      recorder.accept(d!.id, { action: "use", itemId: "bandage" }),
      recorder.accept(withBandage!.id, { action: "use", itemId: "bandage" }),
      recorder.accept(idle!.id, { action: "attack" }),
      recorder.accept(2_000_000_000, { action: "attack" }),
    ]);
    const job = (p: { combatId: number }) => ({ jobId: `combat-${p.combatId}-1`, combatId: p.combatId, turn: 1 });
    const created = (p: { combatId: number }) => ({ ...job(p), created: true, resolved: false });
    const strip = (answer: unknown) => (typeof answer === "object" && answer ? { ...(answer as object), actionId: undefined } : answer);
    assert.deepEqual(answers.map(strip), [
      ...rest.map((p) => ({ ...created(p), actionId: undefined })),
      { ...created(a!), actionId: undefined },
      { ...job(a!), created: false, resolved: false, actionId: undefined },
      { ...created(b!), actionId: undefined },
      "turn_pending",
      { ...created(c!), actionId: undefined },
      "conflict",
      "not_enough_items",
      { ...created(withBandage!), actionId: undefined },
      "not_in_combat",
      "unauthorized",
    ]);
    // One statement for the batch, and one for each key found taken by a request of the same batch.
    assert.equal(metrics.sent.primary - sentBefore, 3);
    const rows = await sql("select player_id, action, turn from combat_actions where player_id = any($1) order by player_id", [
      [a!.id, b!.id, c!.id, d!.id, withBandage!.id, idle!.id],
    ]);
    assert.deepEqual(
      rows.map((r) => `${r.player_id === withBandage!.id ? "bandaged" : r.player_id}:${r.action}:${r.turn}`),
      [`${a!.id}:attack:1`, `${b!.id}:flee:1`, `${c!.id}:attack:1`, "bandaged:use:1"],
    );
  });

  it("finds each row of a batch by key: plans made while combat_actions was small do not scan it once it has grown", async () => {
    // One connection, so that the plans it keeps are the ones used (a new deployment's first plans).
    const single = openDatabase(
      loadApiConfig({ DATABASE_URL: t.db.url, DB_POOL_SIZE: "1", DB_POOL_MAX_OVERFLOW: "0" }),
      createLogger("test", TEST_ENV.logLevel),
    );
    try {
      const group = await fighters(20);
      // Long fights: every round plays a turn of each.
      await sql(
        "update wandering_enemies e set hp = 100000, max_hp = 100000, combat_id = c.id from active_combats c where c.enemy_id = e.id and c.id = any($1)",
        [group.map((p) => p.combatId)],
      );
      await sql("update players set hp = 100000, max_hp = 100000 where id = any($1)", [group.map((p) => p.id)]);
      const recorder = new CombatActionRecorder(single, { size: 100, waitMs: 0, inFlight: 1 });
      const round = async () => {
        const accepted = await Promise.all(group.map((p) => recorder.accept(p.id, { action: "attack" })));
        const outcomes = await resolveCombatTurns(single, accepted);
        assert.equal([...outcomes.values()].filter((o) => o?.status === "completed").length, group.length);
      };
      // Past the fifth call PostgreSQL may keep a generic plan of each statement for the connection.
      for (let i = 0; i < 8; i++) await round();
      await sql(
        `insert into combat_actions (combat_id, player_id, turn, action, status, result, completed_at)
         select c.id, c.player_id, 10000 + g, 'attack', 'completed', '{}', now() from active_combats c, generate_series(1, 1000) g`,
      );
      const seqScans = async () => {
        await single.pools.primary.query("select pg_stat_force_next_flush()");
        await new Promise((r) => setTimeout(r, 50));
        return t.client.query("select pg_stat_force_next_flush()").then(async () => {
          const [row] = (await t.client.query("select seq_scan from pg_stat_user_tables where relname = 'combat_actions'")).rows;
          return Number(row.seq_scan);
        });
      };
      const before = await seqScans();
      await round();
      await round();
      assert.equal(await seqScans(), before, "no scan of combat_actions while accepting and resolving two batches");
    } finally {
      await single.close();
    }
  });

  it("a request the database refuses fails alone: the others of its batch are recorded one by one", async () => {
    const [doomed, other, third] = await fighters(3);
    const recorder = new CombatActionRecorder(database, { size: 100, waitMs: 0, inFlight: 1 });
    // A deletion in flight holds the doomed player's row; their action's insert waits for it, then fails its foreign key.
    const deleting = new pg.Client({ connectionString: t.db.url });
    await deleting.connect();
    try {
      await deleting.query("begin");
      await deleting.query("delete from players where id = $1", [doomed!.id]);
      const answers = settle([doomed, other, third].map((p) => recorder.accept(p!.id, { action: "attack" })));
      await waitForLockWait(sql);
      await deleting.query("commit");
      const [gone, ...recorded] = await answers;
      assert.equal(gone, "unauthorized");
      assert.deepEqual(
        recorded.map((r) => (r as { jobId: string }).jobId),
        [other, third].map((p) => `combat-${p!.combatId}-1`),
      );
    } finally {
      await deleting.end();
    }
    assert.deepEqual(
      (await sql("select player_id from combat_actions where player_id = any($1) order by player_id", [[doomed!.id, other!.id, third!.id]])).map(
        (r) => r.player_id,
      ),
      [other!.id, third!.id],
    );
  });
});
