import type { ArmourDef, ConsumableDef, EnemyTypeDef, WeaponDef } from "../world/schema";
import { type ActiveEffect, type EffectBook, applyEffect, clamp, cureEffects, effectModifiers, staminaAfterTicks, tickEffects } from "./effects";
import type { Rng } from "./rng";

/** What the player does this turn. `use` with `item: null` means the item was not in the pack. */
export type TurnAction = { kind: "attack" } | { kind: "flee" } | { kind: "use"; itemId: string; item: ConsumableDef | null };

export interface PlayerSide {
  hp: number;
  maxHp: number;
  stamina: number;
  maxStamina: number;
  level: number;
  effects: ActiveEffect[];
  weapon: WeaponDef | null;
  armour: ArmourDef | null;
}

export interface EnemySide {
  hp: number;
  maxHp: number;
  effects: ActiveEffect[];
  type: EnemyTypeDef;
}

export type TurnOutcome = "ongoing" | "won" | "lost" | "fled";

/** One line of the turn log, in the order things happened. */
export interface TurnEvent {
  actor: "player" | "enemy";
  kind: "attack" | "miss" | "critical" | "effect" | "effect-applied" | "effect-ended" | "use" | "fumble" | "flee" | "flee-failed" | "defeated";
  amount?: number;
  effectId?: string;
  itemId?: string;
  text: string;
}

export interface TurnResult {
  outcome: TurnOutcome;
  player: Pick<PlayerSide, "hp" | "stamina" | "effects">;
  enemy: Pick<EnemySide, "hp" | "effects">;
  damageDealt: number;
  damageTaken: number;
  /** The consumable spent this turn, if any. */
  itemUsed: string | null;
  events: TurnEvent[];
}

/** Bare hands, for a player with no weapon equipped. */
export const FISTS = { damageMin: 1, damageMax: 3, accuracy: 0.8, critChance: 0.05, critMultiplier: 1.5 } as const;
export const ENEMY_CRIT_MULTIPLIER = 1.5;
export const MIN_HIT_CHANCE = 0.05;
export const MAX_HIT_CHANCE = 0.95;

/** Chance that an attack lands: base accuracy plus the attacker's effects, minus the target's evasion. */
export function hitChance(accuracy: number, accuracyModifier: number, evasion: number): number {
  return clamp(accuracy + accuracyModifier - evasion, MIN_HIT_CHANCE, MAX_HIT_CHANCE);
}

/**
 * Damage of a landed blow: a roll in the weapon's range, times the critical and effect
 * multipliers, minus the target's armour; a landed blow always does at least 1.
 */
export function damageRoll(
  rng: Rng,
  weapon: { damageMin: number; damageMax: number; critChance: number; critMultiplier: number },
  opts: { damageMultiplier: number; defense: number },
): { amount: number; critical: boolean } {
  const base = rng.int(weapon.damageMin, weapon.damageMax);
  const critical = rng.chance(weapon.critChance);
  const raw = base * (critical ? weapon.critMultiplier : 1) * opts.damageMultiplier;
  return { amount: Math.max(1, Math.round(raw) - opts.defense), critical };
}

/** Chance to get away from `enemy`: its pursuit resists, experience helps. */
export function fleeChance(enemy: EnemyTypeDef, level: number): number {
  return clamp(1 - enemy.pursuit + 0.02 * (level - 1), 0.1, 0.95);
}

/**
 * Resolves one combat turn. Order: effects tick on both sides; the player acts (attack, use
 * or flee); a surviving enemy answers unless the player got away. Pure: all chance comes
 * from `rng`, so the same seed resolves the same turn.
 */
export function resolveTurn(player: PlayerSide, enemy: EnemySide, action: TurnAction, book: EffectBook, rng: Rng): TurnResult {
  const events: TurnEvent[] = [];
  let damageDealt = 0;
  let damageTaken = 0;
  let itemUsed: string | null = null;
  const finish = (outcome: TurnOutcome, p: PlayerSide, e: EnemySide): TurnResult => ({
    outcome,
    player: { hp: p.hp, stamina: p.stamina, effects: p.effects },
    enemy: { hp: e.hp, effects: e.effects },
    damageDealt,
    damageTaken,
    itemUsed,
    events,
  });

  const playerTick = tickEffects(player, book);
  let p: PlayerSide = { ...playerTick.bearer, stamina: staminaAfterTicks(player.stamina, player.maxStamina, playerTick.ticks) };
  for (const t of playerTick.ticks) {
    const name = book.get(t.effectId)?.name ?? t.effectId;
    if (t.hpChange < 0) damageTaken -= t.hpChange;
    if (t.hpChange !== 0) {
      events.push({
        actor: "player",
        kind: "effect",
        effectId: t.effectId,
        amount: t.hpChange,
        text: t.hpChange < 0 ? `${name} costs you ${-t.hpChange} HP.` : `${name} restores ${t.hpChange} HP.`,
      });
    }
    if (t.expired) events.push({ actor: "player", kind: "effect-ended", effectId: t.effectId, text: `${name} wears off.` });
  }
  const enemyTick = tickEffects(enemy, book);
  let e: EnemySide = enemyTick.bearer;
  for (const t of enemyTick.ticks) {
    const name = book.get(t.effectId)?.name ?? t.effectId;
    if (t.hpChange < 0) damageDealt -= t.hpChange;
    if (t.hpChange !== 0) {
      events.push({
        actor: "enemy",
        kind: "effect",
        effectId: t.effectId,
        amount: t.hpChange,
        text: `${name} ${t.hpChange < 0 ? `costs the ${e.type.name} ${-t.hpChange} HP` : `restores ${t.hpChange} HP to the ${e.type.name}`}.`,
      });
    }
    if (t.expired) events.push({ actor: "enemy", kind: "effect-ended", effectId: t.effectId, text: `${name} wears off the ${e.type.name}.` });
  }
  if (p.hp <= 0) {
    events.push({ actor: "player", kind: "defeated", text: "You collapse in the ash." });
    return finish("lost", p, e);
  }
  if (e.hp <= 0) {
    events.push({ actor: "enemy", kind: "defeated", text: `The ${e.type.name} falls and does not get up.` });
    return finish("won", p, e);
  }

  if (action.kind === "attack") {
    const weapon = p.weapon?.weapon ?? FISTS;
    const mods = effectModifiers(p.effects, book);
    if (rng.chance(hitChance(weapon.accuracy, mods.accuracyModifier, 0))) {
      const blow = damageRoll(rng, weapon, { damageMultiplier: mods.damageMultiplier * (1 + 0.05 * (p.level - 1)), defense: e.type.defense });
      const amount = Math.min(blow.amount, e.hp);
      e = { ...e, hp: e.hp - amount };
      damageDealt += amount;
      const using = p.weapon ? ` with your ${p.weapon.name}` : "";
      events.push({
        actor: "player",
        kind: blow.critical ? "critical" : "attack",
        amount,
        text: `${blow.critical ? "A critical blow! You" : "You"} hit the ${e.type.name}${using} for ${amount}.`,
      });
      const inflicts = p.weapon?.weapon.inflicts;
      if (e.hp > 0 && inflicts && rng.chance(inflicts.chance)) {
        const def = book.get(inflicts.effectId);
        if (def) {
          e = { ...e, effects: applyEffect(e.effects, def) };
          events.push({ actor: "player", kind: "effect-applied", effectId: def.id, text: `The ${e.type.name} is ${def.name.toLowerCase()}.` });
        }
      }
    } else {
      events.push({ actor: "player", kind: "miss", text: `You miss the ${e.type.name}.` });
    }
  } else if (action.kind === "use") {
    if (action.item) {
      p = useConsumable(p, action.item, book);
      itemUsed = action.item.id;
      events.push({ actor: "player", kind: "use", itemId: action.item.id, text: `You use ${action.item.name}.` });
    } else {
      events.push({ actor: "player", kind: "fumble", itemId: action.itemId, text: "You fumble through your pack and find nothing to use." });
    }
  } else if (rng.chance(fleeChance(e.type, p.level))) {
    events.push({ actor: "player", kind: "flee", text: `You break away from the ${e.type.name} and escape.` });
    return finish("fled", p, e);
  } else {
    events.push({ actor: "player", kind: "flee-failed", text: `The ${e.type.name} cuts off your escape.` });
  }

  if (e.hp <= 0) {
    events.push({ actor: "enemy", kind: "defeated", text: `The ${e.type.name} falls and does not get up.` });
    return finish("won", p, e);
  }

  const enemyMods = effectModifiers(e.effects, book);
  const evasion = p.armour?.armour.evasion ?? 0;
  if (rng.chance(hitChance(e.type.accuracy, enemyMods.accuracyModifier, evasion))) {
    const claws = { damageMin: e.type.damageMin, damageMax: e.type.damageMax, critChance: e.type.critChance, critMultiplier: ENEMY_CRIT_MULTIPLIER };
    const blow = damageRoll(rng, claws, { damageMultiplier: enemyMods.damageMultiplier, defense: p.armour?.armour.defense ?? 0 });
    const amount = Math.min(blow.amount, p.hp);
    p = { ...p, hp: p.hp - amount };
    damageTaken += amount;
    events.push({
      actor: "enemy",
      kind: blow.critical ? "critical" : "attack",
      amount,
      text: `The ${e.type.name} ${blow.critical ? "lands a vicious blow" : "hits you"} for ${amount}.`,
    });
    const inflicts = e.type.inflicts;
    if (p.hp > 0 && inflicts && rng.chance(inflicts.chance)) {
      const def = book.get(inflicts.effectId);
      if (def) {
        p = { ...p, effects: applyEffect(p.effects, def) };
        events.push({ actor: "enemy", kind: "effect-applied", effectId: def.id, text: `You are ${def.name.toLowerCase()}.` });
      }
    }
  } else {
    events.push({ actor: "enemy", kind: "miss", text: `The ${e.type.name} misses you.` });
  }

  if (p.hp <= 0) {
    events.push({ actor: "player", kind: "defeated", text: "You collapse in the ash." });
    return finish("lost", p, e);
  }
  return finish("ongoing", p, e);
}

/** What a consumable does to its user: heal, restore stamina, cure, then apply its effect. */
export function useConsumable<T extends { hp: number; maxHp: number; stamina: number; maxStamina: number; effects: ActiveEffect[] }>(
  user: T,
  item: ConsumableDef,
  book: EffectBook,
): T {
  const c = item.consumable;
  let effects = cureEffects(user.effects, c.cures);
  if (c.applies) {
    const def = book.get(c.applies);
    if (def) effects = applyEffect(effects, def);
  }
  return {
    ...user,
    hp: clamp(user.hp + c.heal, 0, user.maxHp),
    stamina: clamp(user.stamina + c.stamina, 0, user.maxStamina),
    effects,
  };
}
