import type { ActiveEffect, EffectBook } from "./effects";
import { type EnemySide, type PlayerSide, type TurnAction, type TurnEvent, type TurnOutcome, resolveTurn } from "./combat";
import { deathPenalty, gainXp } from "./progression";
import type { Rng } from "./rng";
import type { StatDeltas } from "./statistics";

/** What a resolved turn stores as the action's result, and what the player is told. */
export interface TurnRecord {
  combatId: number;
  turn: number;
  action: TurnAction["kind"];
  itemId: string | null;
  outcome: TurnOutcome;
  events: TurnEvent[];
  player: { hp: number; maxHp: number; stamina: number; statusEffects: ActiveEffect[]; level: number; xp: number };
  enemy: { id: number | null; enemyTypeId: string; name: string; hp: number; maxHp: number };
  /** HP the enemy and the player lost this turn (blows and effects). */
  damageDealt: number;
  damageTaken: number;
  xpGained: number;
  levelsGained: number;
}

/** The fight as it stands before the turn: whose it is and what it has cost so far. */
export interface FightSoFar {
  combatId: number;
  turn: number;
  enemyId: number | null;
  damageDealt: number;
  damageTaken: number;
}

/** The player's side with what a turn can change beyond the blows: experience and level. */
export interface Fighter extends PlayerSide {
  xp: number;
}

export type FightStatus = "active" | Exclude<TurnOutcome, "ongoing">;

/** Everything one turn changes, for the caller to write as it is. */
export interface SettledTurn {
  record: TurnRecord;
  fight: { status: FightStatus; damageDealt: number; damageTaken: number };
  player: { hp: number; maxHp: number; stamina: number; maxStamina: number; level: number; xp: number; alive: boolean; effects: ActiveEffect[] };
  /** The enemy after the turn; its effects are cleared once the fight is over. */
  enemy: { hp: number; effects: ActiveEffect[]; dead: boolean };
  /** The consumable spent this turn, if any. */
  itemUsed: string | null;
  /** The fight's statistics, once it ended; null while it goes on. */
  stats: StatDeltas | null;
}

/**
 * Settles one combat turn: the blows (`resolveTurn`), then what follows from them — XP and
 * level-ups for a win, the death penalty for a loss, the fight's totals and, when the fight
 * ends, its statistics. Pure: all chance comes from `rng`.
 */
export function settleTurn(fight: FightSoFar, player: Fighter, enemy: EnemySide, action: TurnAction, book: EffectBook, rng: Rng): SettledTurn {
  const blows = resolveTurn(player, enemy, action, book, rng);
  let { xp, level, maxHp, maxStamina } = player;
  let hp = blows.player.hp;
  let effects = blows.player.effects;
  let xpGained = 0;
  let levelsGained = 0;
  if (blows.outcome === "won") {
    const progress = gainXp({ hp, xp, level, maxHp, maxStamina }, enemy.type.xp);
    xpGained = enemy.type.xp;
    ({ hp, xp, level, maxHp, maxStamina, levelsGained } = progress);
  } else if (blows.outcome === "lost") {
    hp = 0;
    effects = [];
    xp = deathPenalty({ xp, level, maxHp }).xp;
  }
  const over = blows.outcome !== "ongoing";
  const totals = { damageDealt: fight.damageDealt + blows.damageDealt, damageTaken: fight.damageTaken + blows.damageTaken };
  const stats: StatDeltas | null = over
    ? {
        kills: blows.outcome === "won" ? 1 : 0,
        deaths: blows.outcome === "lost" ? 1 : 0,
        fightsFled: blows.outcome === "fled" ? 1 : 0,
        damageDealt: totals.damageDealt,
        damageTaken: totals.damageTaken,
        xpGained,
        levelUps: levelsGained,
      }
    : null;
  return {
    record: {
      combatId: fight.combatId,
      turn: fight.turn,
      action: action.kind,
      itemId: action.kind === "use" ? action.itemId : null,
      outcome: blows.outcome,
      events: blows.events,
      player: { hp, maxHp, stamina: blows.player.stamina, statusEffects: effects, level, xp },
      enemy: { id: fight.enemyId, enemyTypeId: enemy.type.id, name: enemy.type.name, hp: blows.enemy.hp, maxHp: enemy.maxHp },
      damageDealt: blows.damageDealt,
      damageTaken: blows.damageTaken,
      xpGained,
      levelsGained,
    },
    fight: { status: blows.outcome === "ongoing" ? "active" : blows.outcome, ...totals },
    player: { hp, maxHp, stamina: blows.player.stamina, maxStamina, level, xp, alive: blows.outcome !== "lost", effects },
    enemy: { hp: blows.enemy.hp, effects: over ? [] : blows.enemy.effects, dead: blows.enemy.hp === 0 },
    itemUsed: blows.itemUsed,
    stats,
  };
}
