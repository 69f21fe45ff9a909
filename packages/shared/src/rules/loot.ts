import type { EnemyTypeDef, LootEntry } from "../world/schema";
import type { Rng } from "./rng";

/** Rolls a loot table: each entry drops on its own chance, in a quantity between min and max. */
export function rollLoot(table: readonly LootEntry[], rng: Rng): { itemId: string; quantity: number }[] {
  const drops = new Map<string, number>();
  for (const entry of table) {
    if (!rng.chance(entry.chance)) continue;
    drops.set(entry.itemId, (drops.get(entry.itemId) ?? 0) + rng.int(entry.min, entry.max));
  }
  return [...drops].map(([itemId, quantity]) => ({ itemId, quantity }));
}

/** How many enemies a location holds when the world is at rest, by its danger level. */
export function targetPopulation(dangerLevel: number): number {
  return [0, 2, 3, 3, 4, 5][dangerLevel] ?? 0;
}

/** Enemy types that may spawn at a location of the given danger level. */
export function spawnableAt(dangerLevel: number, enemyTypes: readonly EnemyTypeDef[]): EnemyTypeDef[] {
  return enemyTypes.filter((e) => e.minDanger <= dangerLevel && dangerLevel <= e.maxDanger);
}

/** Minutes an item dropped or looted stays on the ground before the wasteland claims it. */
export const DROPPED_ITEM_TTL_MIN = 30;
