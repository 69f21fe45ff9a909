import { GameError, ITEMS, STATUS_EFFECTS, type ActiveEffect, type ItemKind, asConsumable, maxCarryWeight, useConsumable } from "@echoes/shared";
import type { Database } from "../client";
import { run, statement, transaction } from "../statement";

export interface InventoryView {
  items: { itemId: string; name: string; kind: ItemKind; quantity: number; weight: number; equipped: boolean }[];
  totalWeight: number;
  maxWeight: number;
}

const inventoryStatement = statement<
  { level: number; weaponItemId: string | null; armourItemId: string | null; items: { itemId: string; quantity: number }[] },
  [playerId: number]
>(
  "inventory_view",
  `select p.level, p.weapon_item_id as "weaponItemId", p.armour_item_id as "armourItemId",
     coalesce(json_agg(json_build_object('itemId', i.item_id, 'quantity', i.quantity) order by i.item_id) filter (where i.item_id is not null), '[]') as items
   from players p left join inventory i on i.player_id = p.id
   where p.id = $1
   group by p.id`,
);

const kg = (grams: number) => Math.round(grams) / 1000;

/** The pack with item definitions and weights (per stack, in kg), or null when the player does not exist. */
export async function getInventory(database: Database, playerId: number): Promise<InventoryView | null> {
  const [row] = await run(database, database.primary, inventoryStatement, [playerId]);
  if (!row) return null;
  let totalGrams = 0;
  const items = row.items.map(({ itemId, quantity }) => {
    const def = ITEMS.get(itemId);
    const grams = Math.round((def?.weight ?? 0) * 1000) * quantity;
    totalGrams += grams;
    return {
      itemId,
      name: def?.name ?? itemId,
      kind: def?.kind ?? "junk",
      quantity,
      weight: kg(grams),
      equipped: itemId === row.weaponItemId || itemId === row.armourItemId,
    };
  });
  return { items, totalWeight: kg(totalGrams), maxWeight: maxCarryWeight(row.level) };
}

const lockForUse = statement<{ hp: number; maxHp: number; stamina: number; maxStamina: number; alive: boolean; inCombat: boolean }, [playerId: number]>(
  "lock_player_for_use",
  `select hp, max_hp as "maxHp", stamina, max_stamina as "maxStamina", alive, combat_id is not null as "inCombat"
   from players where id = $1 for no key update`,
);

// A separate statement, so that it reads after the lock was granted: every writer of a
// player's pack and effects locks the player row first.
const packAndEffects = statement<{ quantity: number | null; effects: ActiveEffect[] }, [playerId: number, itemId: string]>(
  "pack_and_effects_for_use",
  `select (select quantity from inventory where player_id = $1 and item_id = $2) as quantity,
     coalesce((select json_agg(json_build_object('effectId', effect_id, 'remainingTicks', remaining_ticks))
               from player_status_effects where player_id = $1), '[]') as effects`,
);

const applyUse = statement<Record<string, never>, [playerId: number, itemId: string, hp: number, stamina: number, effectIds: string[], effectTicks: number[]]>(
  "apply_use",
  `with pack as (
     update inventory set quantity = quantity - 1 where player_id = $1 and item_id = $2 and quantity > 1
   ), emptied as (
     delete from inventory where player_id = $1 and item_id = $2 and quantity = 1
   ), cleared as (
     delete from player_status_effects where player_id = $1 and not (effect_id = any($5::text[]))
   ), kept as (
     insert into player_status_effects (player_id, effect_id, remaining_ticks)
     select $1, e.effect_id, e.remaining_ticks from unnest($5::text[], $6::int[]) as e(effect_id, remaining_ticks)
     on conflict (player_id, effect_id) do update set remaining_ticks = excluded.remaining_ticks
   )
   update players set hp = $3, stamina = $4, updated_at = now() where id = $1`,
);

const equip = statement<Record<string, never>, [playerId: number, itemId: string, kind: "weapon" | "armour"]>(
  "equip_item",
  `update players set
     weapon_item_id = case when $3 = 'weapon' then $2 else weapon_item_id end,
     armour_item_id = case when $3 = 'armour' then $2 else armour_item_id end,
     updated_at = now()
   where id = $1`,
);

export interface UseResult {
  itemId: string;
  effect: "consumed" | "equipped";
  hp: number;
  stamina: number;
  statusEffects: ActiveEffect[];
}

/**
 * Uses an item from the pack outside a fight: a consumable heals, restores stamina, cures or
 * applies its effect and is spent; a weapon or armour is equipped.
 */
export async function useItem(database: Database, playerId: number, itemId: string): Promise<UseResult> {
  const def = ITEMS.get(itemId);
  if (!def) throw new GameError("not_found", `There is no item called ${itemId}.`, { itemId });
  return transaction(database, async (client) => {
    const [locked] = await run(database, client, lockForUse, [playerId]);
    if (!locked) throw new GameError("unauthorized", "This player no longer exists.");
    if (!locked.alive) throw new GameError("dead", "You are dead.");
    if (locked.inCombat) throw new GameError("in_combat", "In a fight, use items through a combat action.");
    const [held] = await run(database, client, packAndEffects, [playerId, itemId]);
    const player = { ...locked, quantity: held?.quantity ?? null, effects: held?.effects ?? [] };
    if (!player.quantity) throw new GameError("not_enough_items", `You have no ${def.name}.`, { itemId });

    if (def.kind === "weapon" || def.kind === "armour") {
      await run(database, client, equip, [playerId, itemId, def.kind]);
      return { itemId, effect: "equipped", hp: player.hp, stamina: player.stamina, statusEffects: player.effects };
    }
    const consumable = asConsumable(def);
    if (!consumable) throw new GameError("not_usable", `${def.name} cannot be used.`, { itemId });
    const after = useConsumable(player, consumable, STATUS_EFFECTS);
    await run(database, client, applyUse, [
      playerId,
      itemId,
      after.hp,
      after.stamina,
      after.effects.map((e) => e.effectId),
      after.effects.map((e) => e.remainingTicks),
    ]);
    return { itemId, effect: "consumed", hp: after.hp, stamina: after.stamina, statusEffects: after.effects };
  });
}
