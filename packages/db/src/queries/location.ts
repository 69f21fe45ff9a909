import { ENEMY_TYPES, ITEMS, LOCATIONS } from "@echoes/shared";
import type { Database, Db } from "../client";
import { run, statement } from "../statement";

/** How many stacks, enemies and players a location view lists (newest stacks first). */
export const VIEW_LIMITS = { items: 50, enemies: 20, players: 50 } as const;

/**
 * What changes at a location, as JSON, in one round trip: the newest stacks on the ground,
 * living enemies and living players. Static parts (names, descriptions, exits) come from the
 * world data in memory, so the database only reads its large, changing tables.
 */
const LIVE_SQL = (locationRef: string) => `
  json_build_object(
    'items', coalesce((
      select json_agg(json_build_object('id', d.id, 'itemId', d.item_id, 'quantity', d.quantity))
      from (select id, item_id, quantity from dropped_items
            where location_id = ${locationRef} and expires_at > now()
            order by id desc limit ${VIEW_LIMITS.items}) d), '[]'),
    'enemies', coalesce((
      select json_agg(json_build_object('id', e.id, 'enemyTypeId', e.enemy_type_id, 'hp', e.hp, 'maxHp', e.max_hp, 'inCombat', e.combat_id is not null))
      from (select id, enemy_type_id, hp, max_hp, combat_id from wandering_enemies
            where location_id = ${locationRef} and died_at is null
            order by id limit ${VIEW_LIMITS.enemies}) e), '[]'),
    'players', coalesce((
      select json_agg(json_build_object('id', p.id, 'username', p.username))
      from (select id, username from players
            where location_id = ${locationRef} and alive
            order by id limit ${VIEW_LIMITS.players}) p), '[]')
  )`;

const locationLive = statement<{ live: Live }, [locationId: string]>("location_live", `select ${LIVE_SQL("$1")} as live`);

const locationLiveForPlayer = statement<{ locationId: string; live: Live }, [playerId: number]>(
  "location_live_for_player",
  `select me.location_id as "locationId", ${LIVE_SQL("me.location_id")} as live from players me where me.id = $1`,
);

const playerLocation = statement<{ locationId: string }, [playerId: number]>(
  "player_location",
  `select location_id as "locationId" from players where id = $1`,
);

interface Live {
  items: { id: number; itemId: string; quantity: number }[];
  enemies: { id: number; enemyTypeId: string; hp: number; maxHp: number; inCombat: boolean }[];
  players: { id: number; username: string }[];
}

/** The location view (PRODUCT.md) as JSON text: static world data joined with what the database says lives there. */
function composeView(locationId: string, live: Live): string | null {
  const location = LOCATIONS.get(locationId);
  if (!location) return null;
  return JSON.stringify({
    location: { id: location.id, name: location.name, description: location.description, dangerLevel: location.dangerLevel, image: location.image ?? null },
    exits: location.exits.map((x) => ({ direction: x.direction, to: x.to, toName: LOCATIONS.get(x.to)?.name ?? x.to, staminaCost: x.staminaCost })),
    items: live.items.map((d) => ({ id: d.id, itemId: d.itemId, name: ITEMS.get(d.itemId)?.name ?? d.itemId, quantity: d.quantity })),
    enemies: live.enemies.map((e) => ({ ...e, name: ENEMY_TYPES.get(e.enemyTypeId)?.name ?? e.enemyTypeId })),
    players: live.players,
  });
}

/** The view of one location as JSON text, or null for an unknown location. */
export async function getLocationView(database: Database, db: Db, locationId: string): Promise<string | null> {
  if (!LOCATIONS.has(locationId)) return null;
  const [row] = await run(database, db, locationLive, [locationId]);
  return row ? composeView(locationId, row.live) : null;
}

/** A player's location and its view in one round trip; null when the player does not exist. */
export async function getLocationViewForPlayer(database: Database, db: Db, playerId: number): Promise<{ locationId: string; view: string } | null> {
  const [row] = await run(database, db, locationLiveForPlayer, [playerId]);
  if (!row) return null;
  const view = composeView(row.locationId, row.live);
  return view === null ? null : { locationId: row.locationId, view };
}

/** Where a player stands; null when the player does not exist. */
export async function getPlayerLocation(database: Database, db: Db, playerId: number): Promise<string | null> {
  const [row] = await run(database, db, playerLocation, [playerId]);
  return row?.locationId ?? null;
}

/** The SQL of the location view query, for EXPLAIN in tests and benchmarks (`$1` is the location id). */
export const LOCATION_VIEW_SQL = locationLive.text;
