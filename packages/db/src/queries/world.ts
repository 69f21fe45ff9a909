import {
  type ActiveEffect,
  CORPSE_DECAY_S,
  ENEMY_TYPES,
  LOCATIONS,
  RESPAWN_DELAY_S,
  STATUS_EFFECTS,
  WORLD,
  keyedRng,
  planRoams,
  planSpawns,
  restStamina,
  restingEffects,
  revive,
} from "@echoes/shared";
import type pg from "pg";
import type { Database } from "../client";
import { type Queryable, run, statement, transaction } from "../statement";
import { deploymentSecret } from "./deployment";

/** What a world task changed: locations whose cached views are now stale, and players whose cached documents are. */
export interface TickResult {
  rows: number;
  locations: string[];
  players: number[];
}

/** A tick of the world: its task and its scheduler slot, which name its rolls. */
export interface Tick {
  task: string;
  at: Date;
}

const rolls = (secret: Uint8Array, tick: Tick, what: string | number) => keyedRng(secret, `${tick.task}:${tick.at.getTime()}:${what}`);

/** Arbitrary constant naming the lock that lets one spawner count and fill the world at a time. */
const SPAWN_LOCK = 7_466_813_010;

const spawnLock = statement<{ pg_advisory_xact_lock: string }, [key: number]>("lock_spawning", "select pg_advisory_xact_lock($1)");

const livingStatement = statement<{ locationId: string; alive: number }>(
  "living_enemies_by_location",
  `select location_id as "locationId", count(*)::int as alive from wandering_enemies where died_at is null group by location_id`,
);

const spawnStatement = statement<{ locationId: string }, [enemyTypeIds: string[], locationIds: string[], hp: number[]]>(
  "spawn_enemies",
  `insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp)
   select s.enemy_type_id, s.location_id, s.hp, s.hp from unnest($1::text[], $2::text[], $3::int[]) as s(enemy_type_id, location_id, hp)
   returning location_id as "locationId"`,
);

/**
 * Brings every dangerous location up to its target population (`planSpawns`), with rolls keyed
 * by the deployment's secret and the tick. Runs inside the caller's transaction; spawners take
 * turns, so two ticks never count the same gap twice.
 */
export async function spawnMissingEnemies(
  database: Pick<Database, "preparedStatements">,
  client: Queryable,
  secret: Uint8Array,
  tick: Tick,
): Promise<{ locationId: string; count: number }[]> {
  await run(database, client, spawnLock, [SPAWN_LOCK]);
  const living = new Map((await run(database, client, livingStatement, [])).map((r) => [r.locationId, r.alive]));
  const places = WORLD.locations.map((l) => ({ locationId: l.id, dangerLevel: l.dangerLevel, alive: living.get(l.id) ?? 0 }));
  const spawns = planSpawns(places, WORLD.enemyTypes, (locationId) => rolls(secret, tick, locationId));
  if (spawns.length === 0) return [];
  const rows = await run(database, client, spawnStatement, [spawns.map((s) => s.enemyTypeId), spawns.map((s) => s.locationId), spawns.map((s) => s.hp)]);
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.locationId, (counts.get(r.locationId) ?? 0) + 1);
  return [...counts].map(([locationId, count]) => ({ locationId, count }));
}

const buryStatement = statement<Record<string, never>, [limit: number, decayS: number]>(
  "bury_enemies",
  `delete from wandering_enemies where id in (
     select id from wandering_enemies
     where died_at is not null and died_at < now() - make_interval(secs => $2) and combat_id is null
       and not exists (select 1 from active_combats c where c.enemy_id = wandering_enemies.id and c.status = 'won' and c.loot_rolled_at is null)
     order by died_at limit $1 for update skip locked)`,
);

/** Clears away old corpses and brings every dangerous location back to its target population. */
export async function respawnEnemies(database: Database, batch: number, tick: Tick): Promise<TickResult> {
  await run(database, database.primary, buryStatement, [batch, CORPSE_DECAY_S]);
  const secret = await deploymentSecret(database);
  const rows = await transaction(database, (client) => spawnMissingEnemies(database, client, secret, tick));
  return { rows: rows.reduce((n, r) => n + r.count, 0), locations: rows.map((r) => r.locationId), players: [] };
}

const markTick = statement<{ task: string }, [task: string, slot: Date]>(
  "mark_world_tick",
  `insert into world_tick_runs (task, slot) values ($1, $2) on conflict do nothing returning task`,
);

/**
 * Runs a tick's work in one transaction that first records the tick: a tick that committed
 * before is found and skipped, one that rolled back left no trace and runs again the same way.
 */
async function onceInTransaction(database: Database, tick: Tick, work: (client: pg.PoolClient) => Promise<TickResult>): Promise<TickResult> {
  return transaction(database, async (client) => {
    const fresh = await run(database, client, markTick, [tick.task, tick.at]);
    return fresh.length === 0 ? { rows: 0, locations: [], players: [] } : work(client);
  });
}

const idleStatement = statement<{ enemyId: number; enemyTypeId: string; locationId: string }>(
  "idle_enemies",
  `select id as "enemyId", enemy_type_id as "enemyTypeId", location_id as "locationId"
   from wandering_enemies where died_at is null and combat_id is null
   order by id for no key update skip locked`,
);

const roamStatement = statement<Record<string, never>, [enemyIds: number[], toIds: string[]]>(
  "roam_enemies",
  `update wandering_enemies e set location_id = r.to_id
   from unnest($1::bigint[], $2::text[]) as r(id, to_id)
   where e.id = r.id`,
);

/** Lets idle enemies wander (`planRoams`), each with rolls keyed by the deployment's secret, the tick and the enemy. */
export async function roamEnemies(database: Database, tick: Tick): Promise<TickResult> {
  const secret = await deploymentSecret(database);
  return onceInTransaction(database, tick, async (client) => {
    const idle = await run(database, client, idleStatement, []);
    const roams = planRoams(idle, { locations: LOCATIONS, enemyTypes: ENEMY_TYPES }, (enemyId) => rolls(secret, tick, enemyId));
    if (roams.length > 0) {
      await run(database, client, roamStatement, [roams.map((r) => r.enemyId), roams.map((r) => r.to)]);
    }
    return { rows: roams.length, locations: [...new Set(roams.flatMap((r) => [r.from, r.to]))], players: [] };
  });
}

const expireStatement = statement<{ locationId: string }, [limit: number]>(
  "expire_items",
  `delete from dropped_items where id in (
     select id from dropped_items where expires_at <= now() order by expires_at limit $1 for update skip locked)
   returning location_id as "locationId"`,
);

/** Removes stacks whose time on the ground ran out, a bounded batch at a time. */
export async function expireItems(database: Database, batch: number, maxBatches: number): Promise<TickResult> {
  const locations = new Set<string>();
  let rows = 0;
  for (let i = 0; i < maxBatches; i++) {
    const gone = await run(database, database.primary, expireStatement, [batch]);
    rows += gone.length;
    for (const g of gone) locations.add(g.locationId);
    if (gone.length < batch) break;
  }
  return { rows, locations: [...locations], players: [] };
}

/**
 * Runs `page` (one transaction each) from the lowest player id up, until a page comes back short.
 * Each page commits on its own and marks the players it reached with the tick, so a tick that is
 * run again after a failure or a crash goes on where the last one stopped.
 */
async function inPages(database: Database, batch: number, page: (client: pg.PoolClient, cursor: number) => Promise<number[]>): Promise<number[]> {
  let cursor = 0;
  const reached: number[] = [];
  for (;;) {
    const ids = await transaction(database, (client) => page(client, cursor));
    reached.push(...ids);
    if (ids.length < batch) return reached;
    cursor = ids[ids.length - 1]!;
  }
}

const affectedStatement = statement<
  { id: number; hp: number; maxHp: number; stamina: number; maxStamina: number; effects: ActiveEffect[] },
  [afterPlayerId: number, limit: number, tickAt: Date]
>(
  "players_with_effects",
  `select p.id, p.hp, p.max_hp as "maxHp", p.stamina, p.max_stamina as "maxStamina",
     coalesce((select json_agg(json_build_object('effectId', e.effect_id, 'remainingTicks', e.remaining_ticks) order by e.applied_at, e.effect_id)
      from player_status_effects e where e.player_id = p.id), '[]') as effects
   from players p
   where p.id > $1 and p.id in (select player_id from player_status_effects where player_id > $1)
     and p.alive and p.combat_id is null and (p.effects_ticked_at is null or p.effects_ticked_at < $3)
   order by p.id limit $2
   for no key update of p skip locked`,
);

const writeEffectsStatement = statement<
  Record<string, never>,
  [playerIds: number[], hp: number[], stamina: number[], tickAt: Date, keptPlayerIds: number[], keptEffectIds: string[], keptTicks: number[]]
>(
  "write_effect_ticks",
  `with vitals as (
     update players p set hp = v.hp, stamina = v.stamina, effects_ticked_at = $4, updated_at = now()
     from unnest($1::int[], $2::int[], $3::int[]) as v(id, hp, stamina) where p.id = v.id
   ), worn as (
     update player_status_effects e set remaining_ticks = k.ticks
     from unnest($5::int[], $6::text[], $7::int[]) as k(player_id, effect_id, ticks)
     where e.player_id = k.player_id and e.effect_id = k.effect_id
   )
   delete from player_status_effects e using unnest($1::int[]) as b(id)
   where e.player_id = b.id
     and not exists (select 1 from unnest($5::int[], $6::text[]) as k(player_id, effect_id) where k.player_id = e.player_id and k.effect_id = e.effect_id)`,
);

/**
 * Ticks the status effects of players out of combat (fights tick their own) with
 * `restingEffects`: bleeding and poison hurt but never kill outside a fight, good effects heal,
 * and every effect wears down by one. `tick.at` names the tick, once per player.
 */
export async function tickPlayerEffects(database: Database, batch: number, tick: Tick): Promise<TickResult> {
  const reached = await inPages(database, batch, async (client, cursor) => {
    const players = await run(database, client, affectedStatement, [cursor, batch, tick.at]);
    if (players.length === 0) return [];
    const after = players.map((p) => restingEffects(p, STATUS_EFFECTS));
    const kept = after.flatMap((p) => p.effects.map((e) => ({ playerId: p.id, ...e })));
    await run(database, client, writeEffectsStatement, [
      after.map((p) => p.id),
      after.map((p) => p.hp),
      after.map((p) => p.stamina),
      tick.at,
      kept.map((k) => k.playerId),
      kept.map((k) => k.effectId),
      kept.map((k) => k.remainingTicks),
    ]);
    return players.map((p) => p.id);
  });
  return { rows: reached.length, locations: [], players: reached };
}

const restingStatement = statement<{ id: number; stamina: number; maxStamina: number }, [afterPlayerId: number, limit: number, tickAt: Date]>(
  "resting_players",
  `select id, stamina, max_stamina as "maxStamina" from players
   where id > $1 and alive and combat_id is null and stamina < max_stamina
     and (stamina_ticked_at is null or stamina_ticked_at < $3)
   order by id limit $2
   for no key update skip locked`,
);

const writeStaminaStatement = statement<Record<string, never>, [playerIds: number[], stamina: number[], tickAt: Date]>(
  "write_stamina_ticks",
  `update players p set stamina = r.stamina, stamina_ticked_at = $3, updated_at = now()
   from unnest($1::int[], $2::int[]) as r(id, stamina) where p.id = r.id`,
);

/** Restores stamina to resting players (`restStamina`), in pages of `batch`; like `tickPlayerEffects`, once per tick. */
export async function regenerateStamina(database: Database, batch: number, tick: Tick): Promise<TickResult> {
  const reached = await inPages(database, batch, async (client, cursor) => {
    const players = await run(database, client, restingStatement, [cursor, batch, tick.at]);
    if (players.length === 0) return [];
    await run(database, client, writeStaminaStatement, [players.map((p) => p.id), players.map(restStamina), tick.at]);
    return players.map((p) => p.id);
  });
  return { rows: reached.length, locations: [], players: reached };
}

const deadStatement = statement<{ id: number; locationId: string; maxHp: number; maxStamina: number }, [limit: number, respawnDelayS: number]>(
  "players_due_to_revive",
  `select id, location_id as "locationId", max_hp as "maxHp", max_stamina as "maxStamina" from players
   where not alive and died_at <= now() - make_interval(secs => $2)
   order by died_at limit $1
   for no key update skip locked`,
);

const reviveStatement = statement<Record<string, never>, [playerIds: number[], locationIds: string[], hp: number[], stamina: number[]]>(
  "revive_players",
  `update players p set alive = true, died_at = null, location_id = r.location_id, hp = r.hp, stamina = r.stamina, updated_at = now()
   from unnest($1::int[], $2::text[], $3::int[], $4::int[]) as r(id, location_id, hp, stamina) where p.id = r.id`,
);

/** Brings players who died a while ago back (`revive`): at the start, with their respawn HP. */
export async function revivePlayers(database: Database, batch: number): Promise<TickResult> {
  const revived = await transaction(database, async (client) => {
    const dead = await run(database, client, deadStatement, [batch, RESPAWN_DELAY_S]);
    if (dead.length === 0) return [];
    const back = dead.map((p) => ({ ...p, ...revive(p, WORLD.startLocationId), diedAt: p.locationId }));
    await run(database, client, reviveStatement, [back.map((p) => p.id), back.map((p) => p.locationId), back.map((p) => p.hp), back.map((p) => p.stamina)]);
    return back;
  });
  if (revived.length === 0) return { rows: 0, locations: [], players: [] };
  return {
    rows: revived.length,
    locations: [...new Set([WORLD.startLocationId, ...revived.map((r) => r.diedAt)])],
    players: revived.map((r) => r.id),
  };
}

const pruneEvents = statement<{ "?column?": number }, [limit: number, keepHours: number]>(
  "prune_stat_events",
  `delete from stat_events where id in (
     select id from stat_events where applied_at is not null and applied_at < now() - make_interval(hours => $2)
     order by applied_at limit $1)
   returning 1`,
);

const pruneFights = statement<{ "?column?": number }, [limit: number, keepDays: number]>(
  "prune_fights",
  `delete from active_combats where id in (
     select id from active_combats
     where status <> 'active' and ended_at < now() - make_interval(days => $2) and (status <> 'won' or loot_rolled_at is not null)
     order by ended_at limit $1)
   returning 1`,
);

const pruneTicks = statement<{ "?column?": number }, [limit: number, keepHours: number]>(
  "prune_world_ticks",
  `delete from world_tick_runs where (task, slot) in (
     select task, slot from world_tick_runs where done_at < now() - make_interval(hours => $2) order by done_at limit $1)
   returning 1`,
);

/** Deletes applied statistics events, long-finished fights (with their turn logs) and old tick records, in bounded batches. */
export async function pruneHistory(database: Database, batch: number, keepEventsHours: number, keepFightsDays: number): Promise<TickResult> {
  const events = await run(database, database.primary, pruneEvents, [batch, keepEventsHours]);
  const fights = await run(database, database.primary, pruneFights, [batch, keepFightsDays]);
  const ticks = await run(database, database.primary, pruneTicks, [batch, keepEventsHours]);
  return { rows: events.length + fights.length + ticks.length, locations: [], players: [] };
}
