import {
  ENEMY_TYPES,
  ITEMS,
  STATUS_EFFECTS,
  type ActiveEffect,
  type TurnAction,
  type TurnEvent,
  type TurnOutcome,
  asArmour,
  asConsumable,
  asWeapon,
  deathPenalty,
  gainXp,
  resolveTurn,
  seededRng,
} from "@echoes/shared";
import type { Database } from "../client";
import type { StatDeltas } from "../schema/player-statistics";
import { run, statement, transaction } from "../statement";

/** What a resolved turn stores as the action's result, and what the player is told. */
export interface TurnRecord {
  combatId: number;
  turn: number;
  action: string;
  itemId: string | null;
  outcome: TurnOutcome | "void";
  events: TurnEvent[];
  player: { hp: number; maxHp: number; stamina: number; statusEffects: ActiveEffect[]; level: number; xp: number };
  enemy: { id: number | null; enemyTypeId: string; name: string; hp: number; maxHp: number };
  /** HP the enemy and the player lost this turn (blows and effects). */
  damageDealt: number;
  damageTaken: number;
  xpGained: number;
  levelsGained: number;
}

/** What the worker needs after the commit to notify, invalidate and enqueue follow-ups. */
export interface ResolvedTurn {
  /** False when the turn had been resolved before (a retry or a duplicate job). */
  fresh: boolean;
  playerId: number;
  locationId: string;
  enemyId: number | null;
  status: "completed" | "failed";
  record: TurnRecord | { error: string; message: string };
  /** Set when this turn ended the fight. */
  ended: null | { outcome: Exclude<TurnOutcome, "ongoing"> | "void"; statsEventKey: string | null };
}

// The fight and the action are locked together: if another worker holds them (a duplicate of
// this job), the wait ends with both rows as that worker left them, so a resolved turn is seen.
const lockCombat = statement(
  "lock_combat",
  `select c.id, c.status, c.turn, c.player_id as "playerId", c.enemy_id as "enemyId", c.enemy_type_id as "enemyTypeId",
     c.location_id as "locationId", c.damage_dealt as "damageDealt", c.damage_taken as "damageTaken",
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
       damage_dealt = damage_dealt + $4,
       damage_taken = damage_taken + $5,
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
   ), death_mail as (
     insert into email_outbox (kind, player_id, address, dedupe_key, data)
     select 'death', p.id, p.email, 'death-' || c.id, jsonb_build_object('enemyTypeId', c.enemy_type_id, 'locationId', c.location_id, 'diedAt', now())
     from players p join active_combats c on c.id = $1
     where p.id = $7 and $3 = 'lost' and p.notify_death and p.email_verified_at is not null
     on conflict (dedupe_key) where dedupe_key is not null do nothing
   )
   select 1`,
);

const voidTurn = statement(
  "void_combat_turn",
  `update combat_actions set status = 'failed', result = $3, completed_at = now() where combat_id = $1 and turn = $2 and status = 'accepted'`,
);

/**
 * Applies one accepted combat action exactly once. In one transaction it locks the fight,
 * returns the stored result if this turn was already resolved, else rolls the turn with
 * randomness seeded by fight and turn (a retry would roll the same) and writes both sides,
 * the turn log and, when the fight ends, its statistics event.
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
      action: "attack" | "flee" | "use";
      itemId: string | null;
      actionStatus: string;
      result: unknown;
    }>(database, client, lockCombat, [combatId, turn]);
    if (!fight) return null;
    const action = { action: fight.action, itemId: fight.itemId, status: fight.actionStatus, result: fight.result };
    const base = { playerId: fight.playerId, locationId: fight.locationId, enemyId: fight.enemyId };
    if (action.status !== "accepted") {
      return { ...base, fresh: false, status: action.status as "completed" | "failed", record: action.result as TurnRecord, ended: null };
    }
    if (fight.status !== "active" || fight.turn !== turn || fight.enemyId === null) {
      const record = { error: "combat_over", message: "The fight ended before this action could be taken." };
      await run(database, client, voidTurn, [combatId, turn, record]);
      return { ...base, fresh: true, status: "failed", record, ended: null };
    }

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
    }>(database, client, lockSides, [fight.playerId, fight.enemyId, action.itemId]);
    const enemyType = ENEMY_TYPES.get(fight.enemyTypeId);
    if (!sides || !enemyType) {
      const record = { error: "combat_over", message: "One side of this fight is gone." };
      await run(database, client, voidTurn, [combatId, turn, record]);
      return { ...base, fresh: true, status: "failed", record, ended: null };
    }

    const turnAction: TurnAction =
      action.action === "use"
        ? { kind: "use", itemId: action.itemId ?? "", item: sides.itemQuantity ? asConsumable(ITEMS.get(action.itemId ?? "")) : null }
        : { kind: action.action };
    const result = resolveTurn(
      {
        hp: sides.hp,
        maxHp: sides.maxHp,
        stamina: sides.stamina,
        maxStamina: sides.maxStamina,
        level: sides.level,
        effects: sides.effects,
        weapon: asWeapon(ITEMS.get(sides.weaponItemId ?? "")),
        armour: asArmour(ITEMS.get(sides.armourItemId ?? "")),
      },
      { hp: sides.enemyHp, maxHp: sides.enemyMaxHp, effects: sides.enemyEffects, type: enemyType },
      turnAction,
      STATUS_EFFECTS,
      seededRng(`combat:${combatId}:turn:${turn}`),
    );

    let { xp, level, maxHp, maxStamina } = sides;
    let hp = result.player.hp;
    let alive = true;
    let xpGained = 0;
    let levelsGained = 0;
    let effects = result.player.effects;
    if (result.outcome === "won") {
      const progress = gainXp({ xp, level, maxHp, maxStamina }, enemyType.xp);
      xpGained = enemyType.xp;
      levelsGained = progress.levelsGained;
      hp = Math.min(progress.maxHp, hp + (progress.maxHp - maxHp));
      ({ xp, level, maxHp, maxStamina } = progress);
    } else if (result.outcome === "lost") {
      alive = false;
      hp = 0;
      effects = [];
      xp = deathPenalty({ xp, level, maxHp }).xp;
    }
    const over = result.outcome !== "ongoing";
    const status = result.outcome === "ongoing" ? "active" : result.outcome;
    const record: TurnRecord = {
      combatId,
      turn,
      action: action.action,
      itemId: action.itemId,
      outcome: result.outcome,
      events: result.events,
      player: { hp, maxHp, stamina: result.player.stamina, statusEffects: effects, level, xp },
      enemy: { id: fight.enemyId, enemyTypeId: enemyType.id, name: enemyType.name, hp: result.enemy.hp, maxHp: sides.enemyMaxHp },
      damageDealt: result.damageDealt,
      damageTaken: result.damageTaken,
      xpGained,
      levelsGained,
    };
    const statsEventKey = over ? `fight-${combatId}` : null;
    const deltas: StatDeltas | null = over
      ? {
          kills: result.outcome === "won" ? 1 : 0,
          deaths: result.outcome === "lost" ? 1 : 0,
          fightsFled: result.outcome === "fled" ? 1 : 0,
          damageDealt: fight.damageDealt + result.damageDealt,
          damageTaken: fight.damageTaken + result.damageTaken,
          xpGained,
          levelUps: levelsGained,
        }
      : null;
    await run(database, client, writeTurn, [
      combatId,
      turn,
      status,
      result.damageDealt,
      result.damageTaken,
      record,
      fight.playerId,
      hp,
      result.player.stamina,
      xp,
      level,
      maxHp,
      maxStamina,
      alive,
      effects.map((e) => e.effectId),
      effects.map((e) => e.remainingTicks),
      fight.enemyId,
      result.enemy.hp,
      JSON.stringify(over ? [] : result.enemy.effects),
      result.itemUsed,
      statsEventKey,
      deltas,
    ]);
    return {
      ...base,
      fresh: true,
      status: "completed",
      record,
      ended: over ? { outcome: result.outcome as Exclude<TurnOutcome, "ongoing">, statsEventKey } : null,
    };
  });
}
