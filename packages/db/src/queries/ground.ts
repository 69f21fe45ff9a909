import { randomUUID } from "node:crypto";
import { DROPPED_ITEM_TTL_MIN, GameError, ITEMS, maxCarryWeight } from "@echoes/shared";
import type pg from "pg";
import type { Database } from "../client";
import { run, statement, transaction } from "../statement";

interface LockedPlayer {
  id: number;
  locationId: string;
  alive: boolean;
  inCombat: boolean;
  level: number;
}

const lockPlayer = statement<LockedPlayer, [playerId: number]>(
  "lock_player_for_items",
  `select id, location_id as "locationId", alive, combat_id is not null as "inCombat", level
   from players where id = $1 for no key update`,
);

// Read after the player lock was granted (a statement of its own, so a fresh snapshot): every
// writer of a pack locks its player first, so this is the weight as it stands.
const carried = statement<{ grams: number }, [playerId: number]>(
  "carried_weight",
  `select coalesce(sum(i.quantity * it.weight_grams), 0)::int as grams from inventory i join items it on it.id = i.item_id where i.player_id = $1`,
);

/** Locks the player row (serializing this player's item actions) and checks they may act. */
async function lockActingPlayer(database: Database, client: pg.PoolClient, playerId: number): Promise<LockedPlayer> {
  const [player] = await run(database, client, lockPlayer, [playerId]);
  if (!player) throw new GameError("unauthorized", "This player no longer exists.");
  if (!player.alive) throw new GameError("dead", "You are dead.");
  if (player.inCombat) throw new GameError("in_combat", "Not in the middle of a fight.");
  return player;
}

export interface PickupRequest {
  id: number;
  quantity?: number | undefined;
}

export interface ItemsResult {
  items: { itemId: string; quantity: number }[];
  locationId: string;
  eventKey?: string;
}

/** The highest stack id ever handed out: a larger id never existed, a smaller one was taken or expired. */
const lastStackId = statement<{ lastId: number }>(
  "last_stack_id",
  `select coalesce(pg_sequence_last_value(pg_get_serial_sequence('dropped_items', 'id')::regclass), 0)::bigint as "lastId"`,
);

const lockStacks = statement<{ id: number; itemId: string; quantity: number; locationId: string }, [stackIds: number[]]>(
  "lock_stacks",
  `select d.id, d.item_id as "itemId", d.quantity, d.location_id as "locationId"
   from dropped_items d
   where d.id = any($1::bigint[]) and d.expires_at > now()
   order by d.id
   for update`,
);

const takeStacks = statement<
  Record<string, never>,
  [stackIds: number[], takes: number[], playerId: number, itemIds: string[], quantities: number[], eventKey: string, count: number]
>(
  "take_stacks",
  `with req as (select * from unnest($1::bigint[], $2::int[]) as r(id, take)),
   shrink as (update dropped_items d set quantity = d.quantity - r.take from req r where d.id = r.id and d.quantity > r.take),
   gone as (delete from dropped_items d using req r where d.id = r.id and d.quantity = r.take),
   pack as (
     insert into inventory (player_id, item_id, quantity)
     select $3, g.item_id, g.quantity from unnest($4::text[], $5::int[]) as g(item_id, quantity)
     on conflict (player_id, item_id) do update set quantity = inventory.quantity + excluded.quantity
   ),
   event as (insert into stat_events (event_key, player_id, deltas) values ($6, $3, jsonb_build_object('itemsLooted', $7::int)))
   select 1`,
);

/** Sums quantities per item id. */
function byItem(entries: { itemId: string; quantity: number }[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const e of entries) totals.set(e.itemId, (totals.get(e.itemId) ?? 0) + e.quantity);
  return totals;
}

/**
 * Picks up many stacks in one transaction: all or nothing. Stacks are locked in id order, so
 * two players racing for the same stack serialize and the second is refused with 409.
 */
export async function pickUpItems(database: Database, playerId: number, requests: PickupRequest[]): Promise<ItemsResult> {
  const wanted = new Map<number, number | undefined>();
  for (const r of requests) {
    if (wanted.has(r.id)) throw new GameError("validation_failed", `Stack ${r.id} is listed twice.`);
    wanted.set(r.id, r.quantity);
  }
  return transaction(database, async (client) => {
    const player = await lockActingPlayer(database, client, playerId);
    const [{ grams: carriedGrams }] = (await run(database, client, carried, [playerId])) as [{ grams: number }];
    const stacks = await run(database, client, lockStacks, [[...wanted.keys()]]);
    const found = new Map(stacks.map((s) => [Number(s.id), s]));
    const taken: { id: number; itemId: string; quantity: number }[] = [];
    for (const [id, quantity] of wanted) {
      const stack = found.get(id);
      if (!stack) {
        const [{ lastId }] = (await run(database, client, lastStackId, [])) as [{ lastId: number }];
        if (id > Number(lastId)) throw new GameError("not_found", `There is no stack ${id}.`, { stackId: id });
        throw new GameError("item_taken", `Stack ${id} is no longer on the ground.`, { stackId: id });
      }
      if (stack.locationId !== player.locationId) throw new GameError("not_found", `There is no stack ${id} here.`, { stackId: id });
      const take = quantity ?? stack.quantity;
      if (take > stack.quantity) {
        throw new GameError("item_taken", `Only ${stack.quantity} left in stack ${id}.`, { stackId: id, available: stack.quantity });
      }
      taken.push({ id, itemId: stack.itemId, quantity: take });
    }
    const totals = byItem(taken);
    const addedGrams = [...totals].reduce((sum, [itemId, q]) => sum + Math.round((ITEMS.get(itemId)?.weight ?? 0) * 1000) * q, 0);
    const limitGrams = maxCarryWeight(player.level) * 1000;
    if (carriedGrams + addedGrams > limitGrams) {
      throw new GameError("overweight", `That would weigh ${(carriedGrams + addedGrams) / 1000} kg; you can carry ${limitGrams / 1000} kg.`, {
        carried: carriedGrams / 1000,
        adding: addedGrams / 1000,
        max: limitGrams / 1000,
      });
    }
    const eventKey = `pickup-${randomUUID()}`;
    const count = taken.reduce((sum, t) => sum + t.quantity, 0);
    await run(database, client, takeStacks, [
      taken.map((t) => t.id),
      taken.map((t) => t.quantity),
      playerId,
      [...totals.keys()],
      [...totals.values()],
      eventKey,
      count,
    ]);
    return { items: [...totals].map(([itemId, quantity]) => ({ itemId, quantity })), locationId: player.locationId, eventKey };
  });
}

const lockPack = statement<{ itemId: string; quantity: number }, [playerId: number, itemIds: string[]]>(
  "lock_pack",
  `select item_id as "itemId", quantity from inventory where player_id = $1 and item_id = any($2::text[]) order by item_id for update`,
);

const dropStacks = statement<
  { id: number; itemId: string; quantity: number },
  [playerId: number, itemIds: string[], quantities: number[], locationId: string, ttlMinutes: number]
>(
  "drop_stacks",
  `with req as (select * from unnest($2::text[], $3::int[]) as r(item_id, quantity)),
   shrink as (update inventory i set quantity = i.quantity - r.quantity from req r where i.player_id = $1 and i.item_id = r.item_id and i.quantity > r.quantity),
   gone as (delete from inventory i using req r where i.player_id = $1 and i.item_id = r.item_id and i.quantity = r.quantity returning i.item_id),
   unequip as (
     update players set
       weapon_item_id = case when weapon_item_id in (select item_id from gone) then null else weapon_item_id end,
       armour_item_id = case when armour_item_id in (select item_id from gone) then null else armour_item_id end
     where id = $1 and (weapon_item_id in (select item_id from gone) or armour_item_id in (select item_id from gone))
   )
   insert into dropped_items (location_id, item_id, quantity, dropped_by, expires_at)
   select $4, r.item_id, r.quantity, $1, now() + make_interval(mins => $5) from req r
   returning id, item_id as "itemId", quantity`,
);

/** Drops many stacks from the pack onto the ground in one transaction; each becomes a stack. */
export async function dropItems(
  database: Database,
  playerId: number,
  requests: { itemId: string; quantity: number }[],
): Promise<ItemsResult & { stacks: { id: number; itemId: string; quantity: number }[] }> {
  const totals = byItem(requests);
  for (const itemId of totals.keys()) {
    if (!ITEMS.has(itemId)) throw new GameError("not_found", `There is no item called ${itemId}.`, { itemId });
  }
  return transaction(database, async (client) => {
    const player = await lockActingPlayer(database, client, playerId);
    const owned = new Map((await run(database, client, lockPack, [playerId, [...totals.keys()]])).map((r) => [r.itemId, r.quantity]));
    for (const [itemId, quantity] of totals) {
      const have = owned.get(itemId) ?? 0;
      if (have < quantity)
        throw new GameError("not_enough_items", `You have ${have} ${ITEMS.get(itemId)!.name}, not ${quantity}.`, { itemId, have, wanted: quantity });
    }
    const stacks = await run(database, client, dropStacks, [playerId, [...totals.keys()], [...totals.values()], player.locationId, DROPPED_ITEM_TTL_MIN]);
    return {
      items: [...totals].map(([itemId, quantity]) => ({ itemId, quantity })),
      stacks: stacks.map((s) => ({ ...s, id: Number(s.id) })),
      locationId: player.locationId,
    };
  });
}
