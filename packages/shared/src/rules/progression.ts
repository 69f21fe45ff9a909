/** Rules of levels, vitals and carrying. */

export const BASE_MAX_HP = 100;
export const BASE_MAX_STAMINA = 100;
export const MAX_LEVEL = 50;

/** Total XP needed to reach `level` (level 1 needs none; each level costs 100 × level more). */
export function xpForLevel(level: number): number {
  return (100 * (level - 1) * level) / 2;
}

/** The level a player with `xp` experience has reached. */
export function levelForXp(xp: number): number {
  let level = 1;
  while (level < MAX_LEVEL && xp >= xpForLevel(level + 1)) level++;
  return level;
}

export function maxHpForLevel(level: number): number {
  return BASE_MAX_HP + 10 * (level - 1);
}

export function maxStaminaForLevel(level: number): number {
  return BASE_MAX_STAMINA + 5 * (level - 1);
}

/** Carrying capacity in kilograms. */
export function maxCarryWeight(level: number): number {
  return 30 + 2 * (level - 1);
}

/** Stamina regained per world tick out of combat. */
export const STAMINA_REGEN_PER_TICK = 5;

export interface Progress {
  hp: number;
  xp: number;
  level: number;
  maxHp: number;
  maxStamina: number;
}

/** Grants XP; a level-up raises the maxima and heals by as much as the maximum HP grew. */
export function gainXp(current: Progress, amount: number): Progress & { levelsGained: number } {
  const xp = current.xp + amount;
  const level = levelForXp(xp);
  const maxHp = Math.max(current.maxHp, maxHpForLevel(level));
  return {
    hp: Math.min(maxHp, current.hp + (maxHp - current.maxHp)),
    xp,
    level,
    maxHp,
    maxStamina: Math.max(current.maxStamina, maxStaminaForLevel(level)),
    levelsGained: level - current.level,
  };
}

/** HP a player comes back with after dying: half their maximum, at least 1. */
export function respawnHp(maxHp: number): number {
  return Math.max(1, Math.floor(maxHp / 2));
}

/**
 * Death costs a tenth of the XP earned towards the next level (never a level) and the
 * player comes back at the start with `respawnHp`.
 */
export function deathPenalty(current: { xp: number; level: number; maxHp: number }): { xp: number; respawnHp: number } {
  const floor = xpForLevel(current.level);
  const lost = Math.floor((current.xp - floor) / 10);
  return { xp: current.xp - lost, respawnHp: respawnHp(current.maxHp) };
}

/** Seconds a dead player waits before the world brings them back at the start. */
export const RESPAWN_DELAY_S = 10;

/** A dead player brought back: at the world's start, with `respawnHp` and full stamina. */
export function revive(player: { maxHp: number; maxStamina: number }, startLocationId: string): { hp: number; stamina: number; locationId: string } {
  return { hp: respawnHp(player.maxHp), stamina: player.maxStamina, locationId: startLocationId };
}

/** A resting player's stamina after one world tick. */
export function restStamina(player: { stamina: number; maxStamina: number }): number {
  return Math.min(player.maxStamina, player.stamina + STAMINA_REGEN_PER_TICK);
}
