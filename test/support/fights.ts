import { type CallOptions, type Response, eventually } from "./http";
import type { Sql } from "./players";

/** What the fight helpers need of a running game: SQL on its database, HTTP to its API, bulk players. */
export interface GameHandle {
  sql: Sql;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  createPlayers(count: number, locationId: string): Promise<{ id: number; token: string; username: string }[]>;
}

export interface Fighter {
  playerId: number;
  token: string;
  combatId: number;
  enemyId: number;
}

/**
 * Players in long fights: each engaged with its own enemy at `locationId`, both with `hp` HP,
 * so that many turns can be played without anyone dying.
 */
export async function longFights(game: GameHandle, count: number, locationId: string, hp = 100_000): Promise<Fighter[]> {
  const players = await game.createPlayers(count, locationId);
  await game.sql("update players set hp = $2, max_hp = $2 where id = any($1)", [players.map((p) => p.id), hp]);
  const fighters: Fighter[] = [];
  for (const p of players) {
    const [{ id: enemyId }] = await game.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('giant-roach', $1, $2, $2) returning id",
      [locationId, hp],
    );
    const engaged = await game.call("POST", "/v1/combat", { token: p.token, body: { enemyId } });
    if (engaged.status !== 201) throw new Error(`engage: ${engaged.status} ${JSON.stringify(engaged.body)}`);
    fighters.push({ playerId: p.id, token: p.token, combatId: engaged.body.combatId, enemyId });
  }
  return fighters;
}

/** Whether every accepted action of these fights has a result. */
export async function allApplied(game: GameHandle, combatIds: number[]): Promise<boolean> {
  const [row] = await game.sql("select count(*)::int as pending from combat_actions where combat_id = any($1) and status = 'accepted'", [combatIds]);
  return row.pending === 0;
}

/**
 * Checks that each fight's accepted actions were applied exactly once: turns 1..n all completed,
 * the fight's turn counter is n + 1, and the fight's damage totals, the enemy's HP and the
 * player's HP are exactly what the stored turn results add up to (a turn applied twice would
 * have taken HP twice but stored one result). Returns the problems found.
 */
export async function auditFights(game: GameHandle, fighters: Fighter[], hp: number): Promise<{ problems: string[]; applied: number }> {
  const problems: string[] = [];
  let applied = 0;
  for (const f of fighters) {
    const actions = await game.sql<{ turn: number; status: string; result: any }>(
      "select turn, status, result from combat_actions where combat_id = $1 order by turn",
      [f.combatId],
    );
    const [fight] = await game.sql("select turn, status, damage_dealt, damage_taken from active_combats where id = $1", [f.combatId]);
    const [enemy] = await game.sql("select hp from wandering_enemies where id = $1", [f.enemyId]);
    const [player] = await game.sql("select hp from players where id = $1", [f.playerId]);
    actions.forEach((a, i) => {
      if (a.turn !== i + 1) problems.push(`fight ${f.combatId}: turn ${a.turn} at position ${i + 1}`);
      if (a.status !== "completed") problems.push(`fight ${f.combatId}: turn ${a.turn} is ${a.status}`);
    });
    applied += actions.filter((a) => a.status === "completed").length;
    if (fight.turn !== actions.length + 1) problems.push(`fight ${f.combatId}: turn counter ${fight.turn} after ${actions.length} actions`);
    const dealt = actions.reduce((s, a) => s + (a.result?.damageDealt ?? 0), 0);
    const taken = actions.reduce((s, a) => s + (a.result?.damageTaken ?? 0), 0);
    if (fight.damage_dealt !== dealt) problems.push(`fight ${f.combatId}: damage dealt ${fight.damage_dealt} but results add up to ${dealt}`);
    if (fight.damage_taken !== taken) problems.push(`fight ${f.combatId}: damage taken ${fight.damage_taken} but results add up to ${taken}`);
    if (enemy.hp !== hp - dealt) problems.push(`fight ${f.combatId}: enemy has ${enemy.hp} HP, results say ${hp - dealt}`);
    if (player.hp !== hp - taken) problems.push(`fight ${f.combatId}: player has ${player.hp} HP, results say ${hp - taken}`);
  }
  return { problems, applied };
}

/** Waits (up to `ms`) until every accepted action of these fights has a result, then audits them. */
export async function auditWhenApplied(
  game: GameHandle,
  fighters: Fighter[],
  hp: number,
  ms: number,
  what: string,
): Promise<{ problems: string[]; applied: number }> {
  await eventually(
    () =>
      allApplied(
        game,
        fighters.map((f) => f.combatId),
      ),
    ms,
    what,
  );
  return auditFights(game, fighters, hp);
}
