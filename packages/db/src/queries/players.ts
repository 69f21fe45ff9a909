import { randomBytes } from "node:crypto";
import { GameError, ITEMS, WORLD, maxHpForLevel, maxStaminaForLevel } from "@echoes/shared";
import type { Database } from "../client";
import { run, statement, transaction } from "../statement";

/** A player as clients see it (PRODUCT.md "a player is ..."). */
export interface PlayerView {
  id: number;
  username: string;
  hp: number;
  maxHp: number;
  stamina: number;
  maxStamina: number;
  level: number;
  xp: number;
  locationId: string;
  inCombat: boolean;
  alive: boolean;
  weaponItemId: string | null;
  armourItemId: string | null;
  statusEffects: { id: string; name: string; remainingTicks: number }[];
}

/** The columns of a `PlayerView`, selected from `players p`. */
export const PLAYER_COLUMNS = `p.id, p.username, p.hp, p.max_hp as "maxHp", p.stamina, p.max_stamina as "maxStamina", p.level, p.xp,
  p.location_id as "locationId", p.combat_id is not null as "inCombat", p.alive,
  p.weapon_item_id as "weaponItemId", p.armour_item_id as "armourItemId"`;

/** A `PlayerView`'s status effects as a JSON column, for `players p`. */
export const STATUS_EFFECTS_JSON = `coalesce((
    select json_agg(json_build_object('id', e.effect_id, 'name', s.name, 'remainingTicks', e.remaining_ticks) order by e.applied_at, e.effect_id)
    from player_status_effects e join status_effects s on s.id = e.effect_id
    where e.player_id = p.id), '[]') as "statusEffects"`;

const playerView = statement<PlayerView, [playerId: number]>("player_view", `select ${PLAYER_COLUMNS}, ${STATUS_EFFECTS_JSON} from players p where p.id = $1`);

/** The player with status effects, in one query; null when the player does not exist. */
export async function getPlayerView(database: Database, playerId: number): Promise<PlayerView | null> {
  const rows = await run(database, database.primary, playerView, [playerId]);
  return rows[0] ?? null;
}

const STARTER_ITEMS = WORLD.starterKit.map((k) => k.itemId);
const STARTER_QUANTITIES = WORLD.starterKit.map((k) => k.quantity);
const STARTER_WEAPON = WORLD.starterKit.find((k) => ITEMS.get(k.itemId)?.kind === "weapon")?.itemId ?? null;
const STARTER_ARMOUR = WORLD.starterKit.find((k) => ITEMS.get(k.itemId)?.kind === "armour")?.itemId ?? null;

const createPlayerStatement = statement<
  PlayerView,
  [
    username: string,
    passwordHash: string | null,
    telegramId: number | null,
    maxHp: number,
    maxStamina: number,
    locationId: string,
    weaponItemId: string | null,
    armourItemId: string | null,
    kitItems: string[],
    kitQuantities: number[],
  ]
>(
  "create_player",
  `with p as (
     insert into players (username, password_hash, telegram_id, hp, max_hp, stamina, max_stamina, location_id, weapon_item_id, armour_item_id)
     values ($1, $2, $3, $4, $4, $5, $5, $6, $7, $8)
     on conflict do nothing
     returning *
   ), kit as (
     insert into inventory (player_id, item_id, quantity)
     select p.id, k.item_id, k.quantity from p, unnest($9::text[], $10::int[]) as k(item_id, quantity)
   ), stats as (
     insert into player_statistics (player_id) select id from p
   )
   select ${PLAYER_COLUMNS}, '[]'::json as "statusEffects" from p`,
);

/**
 * Creates a player at the start with the starter kit, equipped, in one statement. Returns null
 * when the username (or Telegram account) is already taken.
 */
export async function createPlayer(
  database: Database,
  input: { username: string; passwordHash: string | null; telegramId: number | null },
): Promise<PlayerView | null> {
  const rows = await run(database, database.primary, createPlayerStatement, [
    input.username,
    input.passwordHash,
    input.telegramId,
    maxHpForLevel(1),
    maxStaminaForLevel(1),
    WORLD.startLocationId,
    STARTER_WEAPON,
    STARTER_ARMOUR,
    STARTER_ITEMS,
    STARTER_QUANTITIES,
  ]);
  return rows[0] ?? null;
}

const credentials = statement<{ id: number; passwordHash: string | null }, [username: string]>(
  "player_credentials",
  `select id, password_hash as "passwordHash" from players where username = $1`,
);

/** The id and password hash for a username, for login. */
export async function findCredentials(database: Database, username: string): Promise<{ id: number; passwordHash: string | null } | null> {
  const rows = await run(database, database.primary, credentials, [username]);
  return rows[0] ?? null;
}

const byTelegram = statement<PlayerView, [telegramId: number]>(
  "player_by_telegram",
  `select ${PLAYER_COLUMNS}, ${STATUS_EFFECTS_JSON} from players p where p.telegram_id = $1`,
);

/**
 * The player linked to a Telegram account, created on first login: with their Telegram name
 * when it is free, else `tg_<id>`, else `tg_<id>_<random>` (names others registered cannot
 * keep anyone out).
 */
export async function findOrCreateTelegramPlayer(database: Database, telegramId: number, preferredUsername: string | null): Promise<PlayerView> {
  const candidates = [preferredUsername, `tg_${telegramId}`].filter((u): u is string => u !== null);
  for (let attempt = 0; attempt < candidates.length + 5; attempt++) {
    const existing = await run(database, database.primary, byTelegram, [telegramId]);
    if (existing[0]) return existing[0];
    const username = candidates[attempt] ?? `tg_${telegramId}_${randomBytes(3).toString("hex")}`.slice(0, 24);
    const created = await createPlayer(database, { username, passwordHash: null, telegramId });
    if (created) return created;
  }
  throw new GameError("conflict", "Could not find a free name for this Telegram account; try again.");
}

const lockFights = statement<{ id: number }, [playerId: number]>(
  "lock_fights_for_delete",
  `select id from active_combats where player_id = $1 and status = 'active' for no key update`,
);

const deleteStatement = statement<{ locationId: string }, [playerId: number]>(
  "delete_player",
  `with freed as (
     update wandering_enemies set combat_id = null
     where combat_id in (select id from active_combats where player_id = $1 and status = 'active')
   )
   delete from players where id = $1 returning location_id as "locationId"`,
);

const lockPlayer = statement<{ id: number }, [playerId: number]>("lock_player_for_delete", `select id from players where id = $1 for update`);

/**
 * Deletes a player and everything they own; returns where they stood, or null if already gone.
 * Locks the player's fight first, in the combat worker's order (fight, player, enemy), then the
 * player, then any fight that began while it waited for the player (an engage that held the
 * player's row): the statement that frees the enemies must see every fight, or an enemy would
 * stay engaged in a fight that no longer exists. That last lock is taken out of order, so a
 * worker applying that fight's first turn at the same moment can make PostgreSQL pick one of the
 * two as a deadlock victim; both retry.
 */
export async function deletePlayer(database: Database, playerId: number): Promise<string | null> {
  return transaction(database, async (client) => {
    await run(database, client, lockFights, [playerId]);
    await run(database, client, lockPlayer, [playerId]);
    await run(database, client, lockFights, [playerId]);
    const rows = await run(database, client, deleteStatement, [playerId]);
    return rows[0]?.locationId ?? null;
  });
}
