import { GameError, ITEMS, STATUS_EFFECTS, type ActiveEffect, type ItemKind, asConsumable, maxCarryWeight, useConsumable } from "@echoes/shared";
import { LRUCache } from "lru-cache";
import type { Database } from "../client";
import { run, statement } from "../statement";
import { ACTOR_VERDICTS, STALE, actorRefusal, optimistically } from "./optimistic";

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

/** A player's vitals and status effects: everything a consumable acts on. */
export interface Condition {
  hp: number;
  maxHp: number;
  stamina: number;
  maxStamina: number;
  effects: ActiveEffect[];
}

/**
 * The condition this process last knew of each player (what a use wrote or found), bounded and
 * least recently used first out. A use computes its result from this guess and writes it only
 * if the guess still holds: a wrong or missing guess costs one more statement, never a wrong write.
 */
export type ConditionGuesses = LRUCache<number, Condition>;

export function conditionGuesses(max = 50_000): ConditionGuesses {
  return new LRUCache({ max });
}

/** A condition as the use statement compares it: effects as an object of remaining ticks by effect id. */
interface ConditionRow {
  hp: number;
  maxHp: number;
  stamina: number;
  maxStamina: number;
  effects: Record<string, number>;
}

const toRow = (c: Condition): ConditionRow => ({ ...c, effects: Object.fromEntries(c.effects.map((e) => [e.effectId, e.remainingTicks])) });
const fromRow = (r: ConditionRow): Condition => ({
  ...r,
  effects: Object.entries(r.effects)
    .map(([effectId, remainingTicks]) => ({ effectId, remainingTicks }))
    .sort((a, b) => (a.effectId < b.effectId ? -1 : 1)),
});

type UseKind = "consumable" | "weapon" | "armour" | "unusable";

interface UseVerdict {
  verdict: "ok" | "stale" | "changed" | "unauthorized" | "dead" | "in_combat" | "not_held" | "not_usable";
  /** The player's condition as the statement found it; null when the player is gone. */
  condition: ConditionRow | null;
}

// The player row is locked first, then the pack's row of the item. The status effects are read
// from the snapshot, which is the latest state only when the player row did not change under the
// lock (every writer of effects updates it); otherwise the verdict is "stale". A consumable's
// result, computed from a guessed condition, is written only when the guess equals the condition
// found; an equipped weapon or armour needs no guess. The pack's row is picked by key and by the
// quantity its lock returned, never by its snapshot version's quantity.
const useStatement = statement<
  UseVerdict,
  [
    playerId: number,
    itemId: string,
    kind: UseKind,
    guess: ConditionRow | null,
    hp: number | null,
    stamina: number | null,
    effectIds: string[],
    effectTicks: number[],
  ]
>(
  "use_item",
  `with me as materialized (
     select id, alive, combat_id is not null as in_combat, hp, max_hp, stamina, max_stamina, xmin::text as version
     from players where id = $1 for no key update
   ), seen as (
     select xmin::text as version from players where id = $1
   ), held as materialized (
     select quantity from inventory where player_id = $1 and item_id = $2 and exists (select 1 from me) for update
   ), found as (
     select jsonb_build_object('hp', me.hp, 'maxHp', me.max_hp, 'stamina', me.stamina, 'maxStamina', me.max_stamina,
       'effects', coalesce((select jsonb_object_agg(effect_id, remaining_ticks) from player_status_effects where player_id = $1), '{}'::jsonb)) as condition
     from me
   ), verdict as materialized (
     select
       case
         ${ACTOR_VERDICTS}
         when seen.version is distinct from me.version then 'stale'
         when h.quantity is null then 'not_held'
         when $3::text = 'unusable' then 'not_usable'
         when $3::text <> 'consumable' or f.condition = $4::jsonb then 'ok'
         else 'changed'
       end as verdict,
       f.condition
     from (select) as anchor
       left join me on true
       left join seen on true
       left join held h on true
       left join found f on true
   ), consumed as (
     select 1 from verdict where verdict = 'ok' and $3::text = 'consumable'
   ), spent as (
     update inventory set quantity = quantity - 1
     where player_id = $1 and item_id = $2 and exists (select 1 from consumed) and (select quantity from held) > 1
   ), emptied as (
     delete from inventory where player_id = $1 and item_id = $2 and exists (select 1 from consumed) and (select quantity from held) = 1
   ), cleared as (
     delete from player_status_effects where player_id = $1 and not (effect_id = any($7::text[])) and exists (select 1 from consumed)
   ), kept as (
     insert into player_status_effects (player_id, effect_id, remaining_ticks)
     select $1, e.effect_id, e.remaining_ticks from unnest($7::text[], $8::int[]) as e(effect_id, remaining_ticks)
     where exists (select 1 from consumed)
     on conflict (player_id, effect_id) do update set remaining_ticks = excluded.remaining_ticks
   ), touched as (
     update players set
       hp = case when $3::text = 'consumable' then $5::int else hp end,
       stamina = case when $3::text = 'consumable' then $6::int else stamina end,
       weapon_item_id = case when $3::text = 'weapon' then $2 else weapon_item_id end,
       armour_item_id = case when $3::text = 'armour' then $2 else armour_item_id end,
       updated_at = now()
     where id = $1 and exists (select 1 from verdict where verdict = 'ok')
   )
   select verdict, condition from verdict`,
);

export interface UseResult {
  itemId: string;
  effect: "consumed" | "equipped";
  hp: number;
  stamina: number;
  statusEffects: ActiveEffect[];
}

/**
 * Uses an item from the pack outside a fight, in one statement when `guesses` knows the
 * player's condition: a consumable heals, restores stamina, cures or applies its effect and is
 * spent (by `useConsumable`); a weapon or armour is equipped.
 */
export async function useItem(database: Database, guesses: ConditionGuesses, playerId: number, itemId: string): Promise<UseResult> {
  const def = ITEMS.get(itemId);
  if (!def) throw new GameError("not_found", `There is no item called ${itemId}.`, { itemId });
  const consumable = asConsumable(def);
  const kind: UseKind = consumable ? "consumable" : def.kind === "weapon" || def.kind === "armour" ? def.kind : "unusable";
  const settled = await optimistically(database, playerId, async (target) => {
    const guess = guesses.get(playerId);
    const after = consumable && guess ? useConsumable(guess, consumable, STATUS_EFFECTS) : null;
    const [{ verdict, condition }] = (await run(database, target, useStatement, [
      playerId,
      itemId,
      kind,
      guess ? toRow(guess) : null,
      after?.hp ?? null,
      after?.stamina ?? null,
      after?.effects.map((e) => e.effectId) ?? [],
      after?.effects.map((e) => e.remainingTicks) ?? [],
    ])) as [UseVerdict];
    const found = condition && fromRow(condition);
    if (found) guesses.set(playerId, after && verdict === "ok" ? after : found);
    else guesses.delete(playerId);
    if (verdict === "stale" || verdict === "changed") return STALE;
    return { verdict, found, after };
  });
  const { verdict, found, after } = settled;
  switch (verdict) {
    case "ok":
      if (after) return { itemId, effect: "consumed", hp: after.hp, stamina: after.stamina, statusEffects: after.effects };
      return { itemId, effect: "equipped", hp: found!.hp, stamina: found!.stamina, statusEffects: found!.effects };
    case "unauthorized":
    case "dead":
    case "in_combat":
      throw actorRefusal(verdict, "In a fight, use items through a combat action.");
    case "not_held":
      throw new GameError("not_enough_items", `You have no ${def.name}.`, { itemId });
    case "not_usable":
      throw new GameError("not_usable", `${def.name} cannot be used.`, { itemId });
  }
}
