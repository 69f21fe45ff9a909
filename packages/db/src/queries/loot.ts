import { DROPPED_ITEM_TTL_MIN, ENEMY_TYPES, keyedRng, rollLoot } from "@echoes/shared";
import type { Database } from "../client";
import { run, statement, transaction } from "../statement";

const killStatement = statement<{ enemyTypeId: string; locationId: string; status: string; rolled: boolean; seed: Buffer }, [combatId: number]>(
  "loot_kill",
  `select enemy_type_id as "enemyTypeId", location_id as "locationId", status, loot_rolled_at is not null as rolled, seed
   from active_combats where id = $1`,
);

const dropLoot = statement<{ itemId: string; quantity: number }, [combatId: number, itemIds: string[], quantities: number[], ttlMinutes: number]>(
  "drop_loot",
  `with kill as (
     update active_combats set loot_rolled_at = now()
     where id = $1 and status = 'won' and loot_rolled_at is null
     returning location_id
   )
   insert into dropped_items (location_id, item_id, quantity, expires_at)
   select kill.location_id, d.item_id, d.quantity, now() + make_interval(mins => $4)
   from kill, unnest($2::text[], $3::int[]) as d(item_id, quantity)
   returning id, item_id as "itemId", quantity`,
);

const markRolled = statement<{ id: number }, [combatId: number]>(
  "mark_loot_rolled",
  `update active_combats set loot_rolled_at = now() where id = $1 and status = 'won' and loot_rolled_at is null returning id`,
);

export interface LootResult {
  /** False when this kill's loot had been rolled before. */
  fresh: boolean;
  locationId: string | null;
  drops: { itemId: string; quantity: number }[];
}

/**
 * Rolls the loot of a won fight onto the ground where the enemy fell, once per kill: the roll
 * is keyed by the fight's secret seed and the fight row remembers that it was rolled.
 */
export async function rollKillLoot(database: Database, combatId: number): Promise<LootResult> {
  return transaction(database, async (client) => {
    const [kill] = await run(database, client, killStatement, [combatId]);
    if (kill?.status !== "won" || kill.rolled) return { fresh: false, locationId: kill?.locationId ?? null, drops: [] };
    const table = ENEMY_TYPES.get(kill.enemyTypeId)?.loot ?? [];
    const drops = rollLoot(table, keyedRng(kill.seed, "loot"));
    if (drops.length === 0) {
      const marked = await run(database, client, markRolled, [combatId]);
      return { fresh: marked.length > 0, locationId: kill.locationId, drops: [] };
    }
    const rows = await run(database, client, dropLoot, [combatId, drops.map((d) => d.itemId), drops.map((d) => d.quantity), DROPPED_ITEM_TTL_MIN]);
    return { fresh: rows.length > 0, locationId: kill.locationId, drops: rows };
  });
}
