import {
  ENEMY_TYPES,
  ITEMS,
  STATUS_EFFECTS,
  type ActiveEffect,
  type FightStatus,
  type TurnAction,
  type TurnRecord,
  asArmour,
  asConsumable,
  asWeapon,
  keyedRng,
  settleTurn,
} from "@echoes/shared";
import type { Database } from "../client";
import { run, statement, transaction } from "../statement";

export type { TurnRecord };

/** The result a turn that could not be taken stores instead of a record. */
export interface VoidTurn {
  error: "combat_over";
  message: string;
}

/** What the worker needs after the commit to notify, invalidate and enqueue follow-ups. */
export interface ResolvedTurn {
  /** False when the turn had been resolved before (a retry or a duplicate job). */
  fresh: boolean;
  playerId: number;
  locationId: string;
  enemyId: number | null;
  status: "completed" | "failed";
  record: TurnRecord | VoidTurn;
  /** Set when this turn ended the fight: its outcome and the statistics event it recorded. */
  ended: null | { outcome: FightStatus; statsEventKey: string };
}

// The fight and the action are locked together: if another worker holds them (a duplicate of
// this job), the wait ends with both rows as that worker left them, so a resolved turn is seen.
const lockCombat = statement(
  "lock_combat",
  `select c.id, c.status, c.turn, c.player_id as "playerId", c.enemy_id as "enemyId", c.enemy_type_id as "enemyTypeId",
     c.location_id as "locationId", c.damage_dealt as "damageDealt", c.damage_taken as "damageTaken", c.seed,
     a.action, a.item_id as "itemId", a.status as "actionStatus", a.result
   from active_combats c join combat_actions a on a.combat_id = c.id and a.turn = $2
   where c.id = $1
   for no key update of c, a`,
);

const lockSides = statement(
  "lock_combat_sides",
  `select p.hp, p.max_hp as "maxHp", p.stamina, p.max_stamina as "maxStamina", p.level, p.xp,
     p.weapon_item_id as "weaponItemId", p.armour_item_id as "armourItemId",
     coalesce((select json_agg(json_build_object('effectId', effect_id, 'remainingTicks', remaining_ticks) order by applied_at, effect_id)
               from player_status_effects where player_id = p.id), '[]') as effects,
     (select quantity from inventory where player_id = p.id and item_id = $3) as "itemQuantity",
     e.hp as "enemyHp", e.max_hp as "enemyMaxHp", e.effects as "enemyEffects"
   from players p, wandering_enemies e
   where p.id = $1 and e.id = $2
   for no key update of p, e`,
);

const writeTurn = statement(
  "write_combat_turn",
  `with fight as (
     update active_combats set
       turn = turn + 1,
       status = $3,
       damage_dealt = $4,
       damage_taken = $5,
       ended_at = case when $3 = 'active' then null else now() end
     where id = $1
   ), act as (
     update combat_actions set status = 'completed', result = $6, completed_at = now() where combat_id = $1 and turn = $2
   ), player_side as (
     update players set
       hp = $8, stamina = $9, xp = $10, level = $11, max_hp = $12, max_stamina = $13,
       alive = $14, died_at = case when $14 then null else now() end,
       combat_id = case when $3 = 'active' then combat_id else null end,
       updated_at = now()
     where id = $7
   ), effects_gone as (
     delete from player_status_effects where player_id = $7 and not (effect_id = any($15::text[]))
   ), effects_kept as (
     insert into player_status_effects (player_id, effect_id, remaining_ticks)
     select $7, x.effect_id, x.remaining_ticks from unnest($15::text[], $16::int[]) as x(effect_id, remaining_ticks)
     on conflict (player_id, effect_id) do update set remaining_ticks = excluded.remaining_ticks
   ), enemy_side as (
     update wandering_enemies set
       hp = $18, effects = $19,
       combat_id = case when $3 = 'active' then combat_id else null end,
       died_at = case when $18 = 0 then now() else null end
     where id = $17
   ), pack as (
     update inventory set quantity = quantity - 1 where $20::text is not null and player_id = $7 and item_id = $20 and quantity > 1
   ), pack_empty as (
     delete from inventory where $20::text is not null and player_id = $7 and item_id = $20 and quantity = 1
   ), stats as (
     insert into stat_events (event_key, player_id, deltas) select $21, $7, $22 where $21::text is not null
   )
   select 1`,
);

const voidTurn = statement(
  "void_combat_turn",
  `update combat_actions set status = 'failed', result = $3, completed_at = now() where combat_id = $1 and turn = $2 and status = 'accepted'`,
);

/** The fight's statistics event: one per fight, recorded by the turn that ends it. */
export const fightStatsEventKey = (combatId: number) => `fight-${combatId}`;

/**
 * Applies one accepted combat action exactly once. In one transaction it locks the fight,
 * returns the stored result if this turn was already resolved, else settles the turn with
 * randomness keyed by the fight's secret seed and the turn (a retry rolls the same) and writes
 * what `settleTurn` returned: both sides, the turn log and, when the fight ends, its statistics event.
 */
export async function resolveCombatTurn(database: Database, combatId: number, turn: number): Promise<ResolvedTurn | null> {
  return transaction(database, async (client) => {
    const [fight] = await run<{
      id: number;
      status: string;
      turn: number;
      playerId: number;
      enemyId: number | null;
      enemyTypeId: string;
      locationId: string;
      damageDealt: number;
      damageTaken: number;
      seed: Buffer;
      action: "attack" | "flee" | "use";
      itemId: string | null;
      actionStatus: string;
      result: TurnRecord | VoidTurn;
    }>(database, client, lockCombat, [combatId, turn]);
    if (!fight) return null;
    const base = { playerId: fight.playerId, locationId: fight.locationId, enemyId: fight.enemyId };
    if (fight.actionStatus !== "accepted") {
      // Resolved before: a retry still reports how it ended the fight, so a crash between the commit
      // and the follow-ups (loot, statistics) is made good by the retry, not only by the sweeper.
      const endedHere = fight.actionStatus === "completed" && fight.status !== "active" && fight.turn === turn + 1;
      return {
        ...base,
        fresh: false,
        status: fight.actionStatus as "completed" | "failed",
        record: fight.result,
        ended: endedHere ? { outcome: fight.status as FightStatus, statsEventKey: fightStatsEventKey(combatId) } : null,
      };
    }
    const voided = async (message: string): Promise<ResolvedTurn> => {
      const record: VoidTurn = { error: "combat_over", message };
      await run(database, client, voidTurn, [combatId, turn, record]);
      return { ...base, fresh: true, status: "failed", record, ended: null };
    };
    if (fight.status !== "active" || fight.turn !== turn || fight.enemyId === null) return voided("The fight ended before this action could be taken.");

    const [sides] = await run<{
      hp: number;
      maxHp: number;
      stamina: number;
      maxStamina: number;
      level: number;
      xp: number;
      weaponItemId: string | null;
      armourItemId: string | null;
      effects: ActiveEffect[];
      itemQuantity: number | null;
      enemyHp: number;
      enemyMaxHp: number;
      enemyEffects: ActiveEffect[];
    }>(database, client, lockSides, [fight.playerId, fight.enemyId, fight.itemId]);
    const enemyType = ENEMY_TYPES.get(fight.enemyTypeId);
    if (!sides || !enemyType) return voided("One side of this fight is gone.");

    const action: TurnAction =
      fight.action === "use"
        ? { kind: "use", itemId: fight.itemId ?? "", item: sides.itemQuantity ? asConsumable(ITEMS.get(fight.itemId ?? "")) : null }
        : { kind: fight.action };
    const settled = settleTurn(
      { combatId, turn, enemyId: fight.enemyId, damageDealt: fight.damageDealt, damageTaken: fight.damageTaken },
      {
        hp: sides.hp,
        maxHp: sides.maxHp,
        stamina: sides.stamina,
        maxStamina: sides.maxStamina,
        level: sides.level,
        xp: sides.xp,
        effects: sides.effects,
        weapon: asWeapon(ITEMS.get(sides.weaponItemId ?? "")),
        armour: asArmour(ITEMS.get(sides.armourItemId ?? "")),
      },
      { hp: sides.enemyHp, maxHp: sides.enemyMaxHp, effects: sides.enemyEffects, type: enemyType },
      action,
      STATUS_EFFECTS,
      keyedRng(fight.seed, `turn:${turn}`),
    );
    const statsEventKey = settled.stats ? fightStatsEventKey(combatId) : null;
    const { player, enemy } = settled;
    await run(database, client, writeTurn, [
      combatId,
      turn,
      settled.fight.status,
      settled.fight.damageDealt,
      settled.fight.damageTaken,
      settled.record,
      fight.playerId,
      player.hp,
      player.stamina,
      player.xp,
      player.level,
      player.maxHp,
      player.maxStamina,
      player.alive,
      player.effects.map((e) => e.effectId),
      player.effects.map((e) => e.remainingTicks),
      fight.enemyId,
      enemy.hp,
      JSON.stringify(enemy.effects),
      settled.itemUsed,
      statsEventKey,
      settled.stats,
    ]);
    return {
      ...base,
      fresh: true,
      status: "completed",
      record: settled.record,
      ended: statsEventKey ? { outcome: settled.fight.status, statsEventKey } : null,
    };
  });
}
