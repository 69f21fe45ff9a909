import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Database, migrationsFolder, openDatabase, resolveCombatTurn, runMigrations, seedWorld } from "@echoes/db";
import { createLogger } from "@echoes/shared";
import pg from "pg";
import { type TestDatabase, createEmptyDatabase } from "../support/db";

/** The committed migrations up to (and without) the one tagged `before`, in a folder of their own. */
function migrationsBefore(before: string): string {
  const dir = mkdtempSync(join(tmpdir(), "echoes-migrations-"));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number; tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag.startsWith(before));
  assert.ok(cut > 0, `no migration ${before}`);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return dir;
}

describe("migrating a running game", () => {
  let db: TestDatabase;
  let client: pg.Client;
  let database: Database;
  const old = migrationsBefore("0004");
  before(async () => {
    db = await createEmptyDatabase();
    process.env.DB_MIGRATIONS_DIR = old;
    await runMigrations(db.url);
    delete process.env.DB_MIGRATIONS_DIR;
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  after(async () => {
    await database?.close();
    await client?.end();
    await db?.drop();
    rmSync(old, { recursive: true, force: true });
  });

  it("gives fights started before the fair-roll migration a secret seed each, and their turns resolve", async () => {
    // A world as the previous release left it: a fight with an accepted action, and a finished one.
    await client.query(
      `insert into locations (id, name, description, danger_level) values ('dust-road', 'Dust Road', 'A road of dust and old tyre tracks, under a white sky.', 1)
       on conflict do nothing`,
    );
    const live = await client.query(`
      with t as (insert into enemy_types (id, name, max_hp, xp, min_danger, max_danger, roam_chance, definition)
                 values ('feral-dog', 'Feral Dog', 22, 12, 1, 2, 0.1, '{}') on conflict (id) do update set name = excluded.name returning id),
           p as (insert into players (username, hp, max_hp, stamina, max_stamina, location_id) values ('veteran', 100, 100, 100, 100, 'dust-road') returning id),
           e as (insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select id, 'dust-road', 22, 22 from t returning id),
           c as (insert into active_combats (player_id, enemy_id, enemy_type_id, location_id) select p.id, e.id, 'feral-dog', 'dust-road' from p, e returning id, player_id, enemy_id),
           done as (insert into active_combats (player_id, enemy_type_id, location_id, status, ended_at) select p.id, 'feral-dog', 'dust-road', 'fled', now() from p returning id),
           pl as (update players set combat_id = (select id from c) where id = (select id from p)),
           en as (update wandering_enemies set combat_id = (select id from c) where id = (select id from e)),
           a as (insert into combat_actions (combat_id, player_id, turn, action) select c.id, c.player_id, 1, 'attack' from c)
      select (select id from c) as combat_id, (select id from done) as done_id`);
    const { combat_id: combatId } = live.rows[0];

    await runMigrations(db.url);
    const seeds = (await client.query("select id, seed from active_combats order by id")).rows as { id: number; seed: Buffer }[];
    assert.equal(seeds.length, 2);
    for (const s of seeds) assert.equal(s.seed.length, 32, `fight ${s.id} has a 32-byte seed`);
    assert.notDeepEqual(seeds[0]!.seed, seeds[1]!.seed, "each fight its own seed");
    const [{ secret }] = (await client.query("select secret from game_instance")).rows;
    assert.equal(secret.length, 32);

    await seedWorld(db.url);
    database = openDatabase(
      {
        DATABASE_URL: db.url,
        DB_POOL_SIZE: 2,
        DB_POOL_MAX_OVERFLOW: 0,
        DB_POOL_TIMEOUT_MS: 5_000,
        DB_POOL_RECYCLE_S: 3600,
        DB_POOL_PRE_PING: true,
        DB_POOL_PRE_PING_IDLE_MS: 5_000,
        DB_PREPARED_STATEMENTS: true,
        DB_SLOW_QUERY_MS: 10_000,
      },
      createLogger("test", "silent"),
    );
    const turn = await resolveCombatTurn(database, combatId, 1);
    assert.ok(turn);
    assert.equal(turn.status, "completed");
    assert.equal((turn.record as { turn: number }).turn, 1);
    assert.equal((await client.query("select turn from active_combats where id = $1", [combatId])).rows[0].turn, 2);
  });
});
