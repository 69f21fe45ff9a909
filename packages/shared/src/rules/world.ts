import type { EnemyTypeDef, ItemDef, ItemKind, LocationDef } from "../world/schema";
import type { Rng } from "./rng";

/** How many enemies a location holds when the world is at rest, by its danger level. */
export function targetPopulation(dangerLevel: number): number {
  return [0, 2, 3, 3, 4, 5][dangerLevel] ?? 0;
}

/** Enemy types that may spawn at a location of the given danger level. */
export function spawnableAt(dangerLevel: number, enemyTypes: readonly EnemyTypeDef[]): EnemyTypeDef[] {
  return enemyTypes.filter((e) => e.minDanger <= dangerLevel && dangerLevel <= e.maxDanger);
}

/** Seconds a dead enemy lies where it fell before the world clears it away (once its loot was rolled). */
export const CORPSE_DECAY_S = 60;

export interface Population {
  locationId: string;
  dangerLevel: number;
  /** Living enemies there now. */
  alive: number;
}

export interface Spawn {
  locationId: string;
  enemyTypeId: string;
  hp: number;
}

/**
 * The enemies that bring each location back to its target population: each one of a type that
 * lives at that danger level, picked with the location's own `rng`.
 */
export function planSpawns(places: readonly Population[], enemyTypes: readonly EnemyTypeDef[], rngFor: (locationId: string) => Rng): Spawn[] {
  const spawns: Spawn[] = [];
  for (const place of places) {
    const missing = targetPopulation(place.dangerLevel) - place.alive;
    const candidates = spawnableAt(place.dangerLevel, enemyTypes);
    if (missing <= 0 || candidates.length === 0) continue;
    const rng = rngFor(place.locationId);
    for (let i = 0; i < missing; i++) {
      const type = rng.pick(candidates);
      spawns.push({ locationId: place.locationId, enemyTypeId: type.id, hp: type.maxHp });
    }
  }
  return spawns;
}

export interface Idle {
  enemyId: number;
  enemyTypeId: string;
  locationId: string;
}

export interface Roam {
  enemyId: number;
  from: string;
  to: string;
}

/**
 * Which idle enemies wander this tick, and where: each on its type's roam chance, through an exit
 * into ground as dangerous as it can live in, with its own `rng`.
 */
export function planRoams(
  idle: readonly Idle[],
  world: { locations: ReadonlyMap<string, LocationDef>; enemyTypes: ReadonlyMap<string, EnemyTypeDef> },
  rngFor: (enemyId: number) => Rng,
): Roam[] {
  const roams: Roam[] = [];
  for (const enemy of idle) {
    const type = world.enemyTypes.get(enemy.enemyTypeId);
    const here = world.locations.get(enemy.locationId);
    if (!type || !here) continue;
    const rng = rngFor(enemy.enemyId);
    if (!rng.chance(type.roamChance)) continue;
    const ways = here.exits.filter((x) => {
      const danger = world.locations.get(x.to)?.dangerLevel ?? -1;
      return danger >= type.minDanger && danger <= type.maxDanger;
    });
    if (ways.length === 0) continue;
    roams.push({ enemyId: enemy.enemyId, from: enemy.locationId, to: rng.pick(ways).to });
  }
  return roams;
}

/** Stacks scattered on a bare location when the world is seeded. */
export const GROUND_STACKS_PER_PLACE = 3;

/** What may lie around at a location of this danger: scraps near home, better finds far out. */
function groundKinds(dangerLevel: number): readonly ItemKind[] {
  if (dangerLevel === 0) return ["junk", "material"];
  if (dangerLevel < 3) return ["junk", "material", "consumable"];
  return ["material", "consumable", "weapon", "armour"];
}

/** The items scattered on bare ground when the world is seeded, picked with each location's own `rng`. */
export function scatterGroundLoot(
  places: readonly { locationId: string; dangerLevel: number }[],
  items: readonly ItemDef[],
  rngFor: (locationId: string) => Rng,
): { locationId: string; itemId: string; quantity: number }[] {
  const stacks: { locationId: string; itemId: string; quantity: number }[] = [];
  for (const place of places) {
    const kinds = groundKinds(place.dangerLevel);
    const pool = items.filter((i) => kinds.includes(i.kind));
    if (pool.length === 0) continue;
    const rng = rngFor(place.locationId);
    for (let k = 0; k < GROUND_STACKS_PER_PLACE; k++) {
      const item = rng.pick(pool);
      stacks.push({ locationId: place.locationId, itemId: item.id, quantity: item.kind === "junk" || item.kind === "material" ? rng.int(1, 4) : 1 });
    }
  }
  return stacks;
}
