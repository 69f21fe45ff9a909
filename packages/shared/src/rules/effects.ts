import type { StatusEffectDef } from "../world/schema";

/** A status effect on a player or an enemy, with the ticks it has left. */
export interface ActiveEffect {
  effectId: string;
  remainingTicks: number;
}

export type EffectBook = ReadonlyMap<string, StatusEffectDef>;

export interface Vitals {
  hp: number;
  maxHp: number;
  effects: ActiveEffect[];
}

export interface EffectTick {
  effectId: string;
  hpChange: number;
  staminaChange: number;
  expired: boolean;
}

/**
 * Ticks every active effect once: applies its HP change (clamped to 0..maxHp, or to
 * `floorHp` when the caller forbids dying from effects) and removes effects that ran out.
 */
export function tickEffects<T extends Vitals>(bearer: T, book: EffectBook, floorHp = 0): { bearer: T; ticks: EffectTick[] } {
  let hp = bearer.hp;
  const effects: ActiveEffect[] = [];
  const ticks: EffectTick[] = [];
  for (const active of bearer.effects) {
    const def = book.get(active.effectId);
    if (!def) continue;
    const before = hp;
    hp = clamp(hp + def.hpPerTick, Math.min(floorHp, hp), bearer.maxHp);
    const remaining = active.remainingTicks - 1;
    ticks.push({ effectId: def.id, hpChange: hp - before, staminaChange: def.staminaPerTick, expired: remaining <= 0 });
    if (remaining > 0) effects.push({ effectId: active.effectId, remainingTicks: remaining });
  }
  return { bearer: { ...bearer, hp, effects }, ticks };
}

/** Stamina after the stamina changes of effect ticks, applied in order, each clamped to 0..max. */
export function staminaAfterTicks(stamina: number, maxStamina: number, ticks: readonly EffectTick[]): number {
  return ticks.reduce((s, t) => clamp(s + t.staminaChange, 0, maxStamina), stamina);
}

/** HP below which effects cannot bring a player outside a fight: out there, bleeding hurts but never kills. */
export const RESTING_HP_FLOOR = 1;

/**
 * One world tick of a player's effects outside a fight: each changes HP (never below
 * `RESTING_HP_FLOOR`) and stamina, and wears down by one tick.
 */
export function restingEffects<T extends Vitals & { stamina: number; maxStamina: number }>(bearer: T, book: EffectBook): T {
  const { bearer: after, ticks } = tickEffects(bearer, book, RESTING_HP_FLOOR);
  return { ...after, stamina: staminaAfterTicks(bearer.stamina, bearer.maxStamina, ticks) };
}

/** Adds an effect, or refreshes its duration when the bearer already has it. */
export function applyEffect(effects: readonly ActiveEffect[], def: StatusEffectDef): ActiveEffect[] {
  const rest = effects.filter((e) => e.effectId !== def.id);
  return [...rest, { effectId: def.id, remainingTicks: def.durationTicks }];
}

/** Removes the named effects. */
export function cureEffects(effects: readonly ActiveEffect[], cures: readonly string[]): ActiveEffect[] {
  return effects.filter((e) => !cures.includes(e.effectId));
}

/** Combined outgoing-damage multiplier and hit-chance modifier of a bearer's effects. */
export function effectModifiers(effects: readonly ActiveEffect[], book: EffectBook): { damageMultiplier: number; accuracyModifier: number } {
  let damageMultiplier = 1;
  let accuracyModifier = 0;
  for (const active of effects) {
    const def = book.get(active.effectId);
    if (!def) continue;
    damageMultiplier *= def.damageMultiplier;
    accuracyModifier += def.accuracyModifier;
  }
  return { damageMultiplier, accuracyModifier };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}
