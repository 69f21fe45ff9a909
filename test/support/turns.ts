import assert from "node:assert/strict";
import type { Job } from "bullmq";
import { combatJobId } from "@echoes/shared";
import type { TestGame } from "./game";

/** What a combat job carries, as the API queues it. */
export interface TurnJobData {
  actionId: number;
  combatId: number;
  turn: number;
  playerId: number;
}

/** A combat job as BullMQ hands it to the processor, for tests that call the processor themselves; it carries only the job's fields of `turn`. */
export const turnJob = ({ actionId, combatId, turn, playerId }: TurnJobData) =>
  ({ id: combatJobId(combatId, turn), name: "turn", data: { actionId, combatId, turn, playerId }, attemptsMade: 0, timestamp: Date.now() }) as unknown as Job;

/**
 * Fights at `locationId` with an accepted first turn each (the jobs the combat queue would hold):
 * `n` new players with 5,000 HP, each engaged with a giant roach of its own with as much.
 */
export async function fightsWithATurn(game: TestGame, n: number, locationId: string): Promise<(TurnJobData & { enemyId: number })[]> {
  const players = await game.createPlayers(n, locationId);
  await game.sql("update players set hp = 5000, max_hp = 5000 where id = any($1)", [players.map((p) => p.id)]);
  const jobs = [];
  for (const p of players) {
    const [{ id: enemyId }] = await game.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('giant-roach', $1, 5000, 5000) returning id",
      [locationId],
    );
    const engaged = await game.call("POST", "/v1/combat", { token: p.token, body: { enemyId } });
    assert.equal(engaged.status, 201, JSON.stringify(engaged.body));
    const acted = await game.call("POST", "/v1/combat/actions", { token: p.token, body: { action: "attack" } });
    assert.equal(acted.status, 202, JSON.stringify(acted.body));
    const [{ id: actionId }] = await game.sql("select id from combat_actions where combat_id = $1 and turn = 1", [engaged.body.combatId]);
    jobs.push({ actionId, combatId: engaged.body.combatId as number, turn: 1, playerId: p.id, enemyId: enemyId as number });
  }
  return jobs;
}
