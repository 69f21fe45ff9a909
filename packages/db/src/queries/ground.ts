import { randomUUID } from "node:crypto";
import { DROPPED_ITEM_TTL_MIN, GameError, ITEMS, MAX_LEVEL, maxCarryWeight } from "@echoes/shared";
import type { Database } from "../client";
import { statement } from "../statement";
import { ACTOR_VERDICTS, actorRefusal, untilSettled } from "./optimistic";

export interface PickupRequest {
  id: number;
  quantity?: number | undefined;
}

export interface ItemsResult {
  items: { itemId: string; quantity: number }[];
  locationId: string;
  eventKey?: string;
}

// What the player can carry at each level (grams, index = level, as PostgreSQL arrays start at 1).
const CARRY_LIMIT_GRAMS = Array.from({ length: MAX_LEVEL }, (_, i) => Math.round(maxCarryWeight(i + 1) * 1000));

interface PickupVerdict {
  verdict: "ok" | "stale" | "unauthorized" | "dead" | "in_combat" | "missing" | "taken" | "elsewhere" | "short" | "overweight";
  /** The first stack, in the order asked, that refuses the pickup. */
  stackId: number | null;
  available: number | null;
  carriedGrams: number;
  addingGrams: number;
  maxGrams: number | null;
  locationId: string | null;
  items: { itemId: string; quantity: number }[];
}

// The player row is locked first, then the stacks in id order (the stacks wait for the player).
// A stack that is gone was taken or expired when its id was handed out before, and never existed
// otherwise. Only the weight rests on the snapshot (the pack's rows are not locked), so only an ok
// or overweight verdict is stale when the player row changed under the lock. Writes happen only
// on an ok verdict, and pick their rows by key and by what the locks returned: an UPDATE or
// DELETE tests its own WHERE against the snapshot's version of a row, which may be older.
const pickupStatement = statement<
  PickupVerdict,
  [playerId: number, stackIds: number[], quantities: (number | null)[], carryLimitGrams: number[], eventKey: string]
>(
  "pick_up_items",
  `with req as (
     select r.id, r.quantity, r.ord from unnest($2::bigint[], $3::int[]) with ordinality as r(id, quantity, ord)
   ), me as materialized (
     select id, location_id, alive, combat_id is not null as in_combat, level, xmin::text as version
     from players where id = $1 for no key update
   ), seen as (
     select xmin::text as version from players where id = $1
   ), stacks as materialized (
     select d.id, d.item_id, d.quantity, d.location_id from dropped_items d
     where d.id = any($2::bigint[]) and d.expires_at > now() and exists (select 1 from me)
     order by d.id
     for update
   ), wanted as materialized (
     select r.ord, r.id, s.item_id, coalesce(r.quantity, s.quantity) as take, s.quantity as available,
       case
         when s.id is null and r.id > (select coalesce(pg_sequence_last_value(pg_get_serial_sequence('dropped_items', 'id')::regclass), 0)) then 'missing'
         when s.id is null then 'taken'
         when s.location_id <> me.location_id then 'elsewhere'
         when coalesce(r.quantity, s.quantity) > s.quantity then 'short'
       end as refusal
     from req r cross join me left join stacks s on s.id = r.id
   ), weights as (
     select
       (select coalesce(sum(i.quantity * it.weight_grams::bigint), 0) from inventory i join items it on it.id = i.item_id where i.player_id = $1)::bigint as carried,
       (select coalesce(sum(w.take * it.weight_grams::bigint), 0) from wanted w join items it on it.id = w.item_id)::bigint as adding
   ), verdict as materialized (
     select
       case
         ${ACTOR_VERDICTS}
         when f.refusal is not null then f.refusal
         when seen.version is distinct from me.version then 'stale'
         when w.carried + w.adding <= ($4::int[])[me.level] then 'ok'
         else 'overweight'
       end as verdict,
       f.id as "stackId", f.available, w.carried as "carriedGrams", w.adding as "addingGrams",
       ($4::int[])[me.level] as "maxGrams", me.location_id as "locationId"
     from (select) as anchor
       left join me on true
       left join seen on true
       left join lateral (select id, available, refusal from wanted where refusal is not null order by ord limit 1) f on true
       cross join weights w
   ), taken as (
     select w.ord, w.id, w.item_id, w.take, w.available from wanted w cross join verdict v where v.verdict = 'ok'
   ), shrunk as (
     update dropped_items d set quantity = d.quantity - t.take from taken t where d.id = t.id and t.take < t.available
   ), emptied as (
     delete from dropped_items d using taken t where d.id = t.id and t.take = t.available
   ), packed as (
     insert into inventory (player_id, item_id, quantity)
     select $1, t.item_id, sum(t.take) from taken t group by t.item_id
     on conflict (player_id, item_id) do update set quantity = inventory.quantity + excluded.quantity
   ), counted as (
     insert into stat_events (event_key, player_id, deltas)
     select $5, $1, jsonb_build_object('itemsLooted', sum(t.take)) from taken t having count(*) > 0
   ), touched as (
     update players set updated_at = now() where id = $1 and exists (select 1 from taken)
   )
   select v.*,
     coalesce((select json_agg(json_build_object('itemId', x.item_id, 'quantity', x.quantity) order by x.first)
               from (select item_id, sum(take)::int as quantity, min(ord) as first from taken group by item_id) x), '[]') as items
   from verdict v`,
);

/**
 * Picks up many stacks in one statement: all or nothing. Stacks are locked in id order, so
 * two players racing for the same stack serialize and the second is refused with 409.
 */
export async function pickUpItems(database: Database, playerId: number, requests: PickupRequest[]): Promise<ItemsResult> {
  const wanted = new Map<number, number | null>();
  for (const r of requests) {
    if (wanted.has(r.id)) throw new GameError("validation_failed", `Stack ${r.id} is listed twice.`);
    wanted.set(r.id, r.quantity ?? null);
  }
  const eventKey = `pickup-${randomUUID()}`;
  const v = await untilSettled(database, playerId, pickupStatement, [playerId, [...wanted.keys()], [...wanted.values()], CARRY_LIMIT_GRAMS, eventKey]);
  const id = v.stackId;
  switch (v.verdict) {
    case "ok":
      return { items: v.items, locationId: v.locationId!, eventKey };
    case "unauthorized":
    case "dead":
    case "in_combat":
      throw actorRefusal(v.verdict, "Not in the middle of a fight.");
    case "missing":
      throw new GameError("not_found", `There is no stack ${id}.`, { stackId: id! });
    case "taken":
      throw new GameError("item_taken", `Stack ${id} is no longer on the ground.`, { stackId: id! });
    case "elsewhere":
      throw new GameError("not_found", `There is no stack ${id} here.`, { stackId: id! });
    case "short":
      throw new GameError("item_taken", `Only ${v.available} left in stack ${id}.`, { stackId: id!, available: v.available! });
    case "overweight": {
      const [carried, adding, max] = [v.carriedGrams / 1000, v.addingGrams / 1000, v.maxGrams! / 1000];
      throw new GameError("overweight", `That would weigh ${(v.carriedGrams + v.addingGrams) / 1000} kg; you can carry ${max} kg.`, { carried, adding, max });
    }
  }
}

interface DropVerdict {
  verdict: "ok" | "stale" | "unauthorized" | "dead" | "in_combat" | "short";
  /** The first item, in the order asked, that the pack holds too few of. */
  itemId: string | null;
  have: number | null;
  wanted: number | null;
  locationId: string | null;
  stacks: { id: number; itemId: string; quantity: number }[];
}

// The player row is locked first, then the pack's rows of the listed items in item order. A
// locked row comes back as it stands; only a row added after the snapshot is missing, so only a
// "not enough" verdict is stale when the player row changed under the lock. Writes pick their
// rows as the pickup's do, by key and by the quantities the locks returned.
const dropStatement = statement<DropVerdict, [playerId: number, itemIds: string[], quantities: number[], ttlMinutes: number]>(
  "drop_items",
  `with req as (
     select r.item_id, r.quantity, r.ord from unnest($2::text[], $3::int[]) with ordinality as r(item_id, quantity, ord)
   ), me as materialized (
     select id, location_id, alive, combat_id is not null as in_combat, xmin::text as version
     from players where id = $1 for no key update
   ), seen as (
     select xmin::text as version from players where id = $1
   ), pack as materialized (
     select item_id, quantity from inventory
     where player_id = $1 and item_id = any($2::text[]) and exists (select 1 from me)
     order by item_id
     for update
   ), wanted as materialized (
     select r.ord, r.item_id, r.quantity, coalesce(p.quantity, 0) as have from req r left join pack p on p.item_id = r.item_id
   ), verdict as materialized (
     select
       case
         ${ACTOR_VERDICTS}
         when f.item_id is not null and seen.version is distinct from me.version then 'stale'
         when f.item_id is not null then 'short'
         else 'ok'
       end as verdict,
       f.item_id as "itemId", f.have, f.quantity as wanted, me.location_id as "locationId"
     from (select) as anchor
       left join me on true
       left join seen on true
       left join lateral (select item_id, have, quantity from wanted where have < quantity order by ord limit 1) f on true
   ), dropping as (
     select w.ord, w.item_id, w.quantity, w.have, v."locationId" as location_id from wanted w cross join verdict v where v.verdict = 'ok'
   ), shrunk as (
     update inventory i set quantity = i.quantity - d.quantity from dropping d
     where i.player_id = $1 and i.item_id = d.item_id and d.quantity < d.have
   ), emptied as (
     delete from inventory i using dropping d where i.player_id = $1 and i.item_id = d.item_id and d.quantity = d.have
   ), touched as (
     update players set
       weapon_item_id = case when weapon_item_id in (select item_id from dropping where quantity = have) then null else weapon_item_id end,
       armour_item_id = case when armour_item_id in (select item_id from dropping where quantity = have) then null else armour_item_id end,
       updated_at = now()
     where id = $1 and exists (select 1 from dropping)
   ), placed as (
     insert into dropped_items (location_id, item_id, quantity, dropped_by, expires_at)
     select d.location_id, d.item_id, d.quantity, $1, now() + make_interval(mins => $4) from dropping d order by d.ord
     returning id, item_id, quantity
   )
   select v.*,
     coalesce((select json_agg(json_build_object('id', id, 'itemId', item_id, 'quantity', quantity) order by id) from placed), '[]') as stacks
   from verdict v`,
);

/** Sums quantities per item id. */
function byItem(entries: { itemId: string; quantity: number }[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const e of entries) totals.set(e.itemId, (totals.get(e.itemId) ?? 0) + e.quantity);
  return totals;
}

/** Drops many stacks from the pack onto the ground in one statement; each becomes a stack. */
export async function dropItems(
  database: Database,
  playerId: number,
  requests: { itemId: string; quantity: number }[],
): Promise<ItemsResult & { stacks: { id: number; itemId: string; quantity: number }[] }> {
  const totals = byItem(requests);
  for (const itemId of totals.keys()) {
    if (!ITEMS.has(itemId)) throw new GameError("not_found", `There is no item called ${itemId}.`, { itemId });
  }
  const v = await untilSettled(database, playerId, dropStatement, [playerId, [...totals.keys()], [...totals.values()], DROPPED_ITEM_TTL_MIN]);
  switch (v.verdict) {
    case "ok":
      return { items: [...totals].map(([itemId, quantity]) => ({ itemId, quantity })), stacks: v.stacks, locationId: v.locationId! };
    case "unauthorized":
    case "dead":
    case "in_combat":
      throw actorRefusal(v.verdict, "Not in the middle of a fight.");
    case "short": {
      const [itemId, have, wanted] = [v.itemId!, v.have!, v.wanted!];
      throw new GameError("not_enough_items", `You have ${have} ${ITEMS.get(itemId)!.name}, not ${wanted}.`, { itemId, have, wanted });
    }
  }
}
