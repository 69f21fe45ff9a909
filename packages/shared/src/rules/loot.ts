import type { LootEntry } from "../world/schema";
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

/** Minutes an item dropped or looted stays on the ground before the wasteland claims it. */
export const DROPPED_ITEM_TTL_MIN = 30;
