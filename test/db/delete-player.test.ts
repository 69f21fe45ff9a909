import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type Database, acceptCombatAction, deletePlayer, openDatabase } from "@echoes/db";
import { GameError, createLogger } from "@echoes/shared";
import { loadApiConfig } from "../../apps/api/src/config";
import { useTestDatabase, waitForLockWait } from "../support/db";
import { TEST_ENV } from "../support/env";
import { createPlayers } from "../support/players";

describe("deleting a player", () => {
  const t = useTestDatabase();
  let database: Database;
  before(() => {
    database = openDatabase(loadApiConfig({ DATABASE_URL: t.db.url, DB_POOL_SIZE: "2" }), createLogger("test", TEST_ENV.logLevel));
  });
  after(() => database.close());
  const sql = async (text: string, values: unknown[] = []) => (await t.client.query(text, values)).rows;

  /** A new player at Cinderhold Square and an idle Giant Roach beside them. */
  async function playerBesideEnemy(): Promise<{ player: { id: number }; enemy: { id: number } }> {
    const [player] = await createPlayers(sql, async () => ({ token: "" }), 1, "cinderhold-square");
    const [enemy] = await sql(
      `insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp)
       select id, 'cinderhold-square', max_hp, max_hp from enemy_types where id = 'giant-roach' returning id`,
    );
    return { player: player!, enemy };
  }

  it("frees the enemy of a fight that began while the deletion waited for the player", async () => {
    const { player, enemy } = await playerBesideEnemy();
    // An engage in flight: it holds the player's row and has started the fight, not yet committed.
    const engage = new pg.Client({ connectionString: t.db.url });
    await engage.connect();
    try {
      await engage.query("begin");
      await engage.query("select id from players where id = $1 for no key update", [player.id]);
      const [fight] = (
        await engage.query(
          `insert into active_combats (player_id, enemy_id, enemy_type_id, location_id)
           values ($1, $2, 'giant-roach', 'cinderhold-square') returning id`,
          [player.id, enemy.id],
        )
      ).rows;
      await engage.query("update players set combat_id = $2 where id = $1", [player.id, fight.id]);
      await engage.query("update wandering_enemies set combat_id = $2 where id = $1", [enemy.id, fight.id]);

      const deleting = deletePlayer(database, player.id);
      // The deletion is now waiting for the player's row.
      await waitForLockWait(sql);
      await engage.query("commit");
      assert.equal(await deleting, "cinderhold-square");
    } finally {
      await engage.end();
    }
    const [after] = await sql("select combat_id from wandering_enemies where id = $1", [enemy.id]);
    assert.equal(after.combat_id, null, "the enemy is free to fight again");
    assert.deepEqual(await sql("select id from active_combats where player_id = $1", [player.id]), []);
  });

  it("refuses a combat action recorded while the player is being deleted as 401, not a database error", async () => {
    const { player, enemy } = await playerBesideEnemy();
    const [fight] = await sql(
      `insert into active_combats (player_id, enemy_id, enemy_type_id, location_id) values ($1, $2, 'giant-roach', 'cinderhold-square') returning id`,
      [player.id, enemy.id],
    );
    await sql("update players set combat_id = $2 where id = $1", [player.id, fight.id]);
    // A deletion in flight: the player and the fight are gone, not yet committed.
    const deleting = new pg.Client({ connectionString: t.db.url });
    await deleting.connect();
    try {
      await deleting.query("begin");
      await deleting.query("delete from players where id = $1", [player.id]);
      const accepting = acceptCombatAction(database, player.id, { action: "attack" }).then(
        () => null,
        (err: unknown) => err,
      );
      await waitForLockWait(sql);
      await deleting.query("commit");
      const err = await accepting;
      assert.ok(err instanceof GameError, `a game refusal, not ${String(err)}`);
      assert.equal(err.code, "unauthorized");
    } finally {
      await deleting.end();
    }
    assert.deepEqual(await sql("select id from combat_actions where player_id = $1", [player.id]), []);
  });
});
