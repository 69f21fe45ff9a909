import { RESPAWN_DELAY_S, STAMINA_REGEN_PER_TICK, WORLD, targetPopulation } from "@echoes/shared";
import type { Database } from "../client";
import { type Queryable, run, statement } from "../statement";

/** What a world task changed: locations whose cached views are now stale, players whose position moved. */
export interface TickResult {
  rows: number;
  locations: string[];
  players: number[];
}

const TARGETS = [0, 1, 2, 3, 4, 5].map(targetPopulation);

const respawnStatement = statement(
  "respawn_enemies",
  `with population as (
     select l.id, l.danger_level, count(e.id) as alive
     from locations l left join wandering_enemies e on e.location_id = l.id and e.died_at is null
     where l.danger_level > 0
     group by l.id
   ), missing as (
     select p.id as location_id, p.danger_level
     from population p, generate_series(1, greatest(0, ($1::int[])[p.danger_level + 1] - p.alive)) as slot
   ), spawned as (
     insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp)
     select t.id, m.location_id, t.max_hp, t.max_hp
     from missing m
     cross join lateral (
       select id, max_hp from enemy_types
       where min_danger <= m.danger_level and m.danger_level <= max_danger
       order by random() limit 1
     ) t
     returning location_id
   )
   select location_id as "locationId", count(*)::int as count from spawned group by location_id`,
);

const buryStatement = statement(
  "bury_enemies",
  `delete from wandering_enemies where id in (
     select id from wandering_enemies
     where died_at is not null and died_at < now() - interval '1 minute' and combat_id is null
       and not exists (select 1 from active_combats c where c.enemy_id = wandering_enemies.id and c.status = 'won' and c.loot_rolled_at is null)
     order by died_at limit $1 for update skip locked)`,
);

/** Spawns enemies wherever a dangerous location is below its target population; returns the counts per location. */
export function spawnMissingEnemies(database: Pick<Database, "preparedStatements">, target: Queryable): Promise<{ locationId: string; count: number }[]> {
  return run<{ locationId: string; count: number }>(database, target, respawnStatement, [TARGETS]);
}

/** Brings every dangerous location back to its target population and clears away old corpses. */
export async function respawnEnemies(database: Database, batch: number): Promise<TickResult> {
  await run(database, database.primary, buryStatement, [batch]);
  const rows = await spawnMissingEnemies(database, database.pools.primary);
  return { rows: rows.reduce((n, r) => n + r.count, 0), locations: rows.map((r) => r.locationId), players: [] };
}

const roamStatement = statement(
  "roam_enemies",
  `with movers as (
     select e.id, e.location_id as from_id, t.min_danger, t.max_danger
     from wandering_enemies e join enemy_types t on t.id = e.enemy_type_id
     where e.died_at is null and e.combat_id is null and random() < t.roam_chance
     order by e.id limit $1
     for no key update of e skip locked
   ), routes as (
     select m.id, m.from_id, (
       select x.to_id from location_exits x join locations d on d.id = x.to_id
       where x.from_id = m.from_id and d.danger_level between m.min_danger and m.max_danger
       order by random() limit 1) as to_id
     from movers m
   )
   update wandering_enemies e set location_id = r.to_id
   from routes r
   where e.id = r.id and r.to_id is not null
   returning r.from_id as "fromId", r.to_id as "toId"`,
);

/** Lets some idle enemies wander through an exit into ground as dangerous as they can live in. */
export async function roamEnemies(database: Database, batch: number): Promise<TickResult> {
  const rows = await run<{ fromId: string; toId: string }>(database, database.primary, roamStatement, [batch]);
  return { rows: rows.length, locations: [...new Set(rows.flatMap((r) => [r.fromId, r.toId]))], players: [] };
}

const expireStatement = statement(
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
    const gone = await run<{ locationId: string }>(database, database.primary, expireStatement, [batch]);
    rows += gone.length;
    for (const g of gone) locations.add(g.locationId);
    if (gone.length < batch) break;
  }
  return { rows, locations: [...locations], players: [] };
}

const effectsStatement = statement(
  "tick_player_effects",
  `with batch as (
     select p.id from players p
     where p.id in (select player_id from player_status_effects where player_id > $1)
       and p.alive and p.combat_id is null and (p.effects_ticked_at is null or p.effects_ticked_at < $3)
     order by p.id limit $2
     for no key update of p skip locked
   ), change as (
     select e.player_id, sum(s.hp_per_tick) as hp, sum(s.stamina_per_tick) as stamina
     from player_status_effects e join status_effects s on s.id = e.effect_id join batch b on b.id = e.player_id
     group by e.player_id
   ), vitals as (
     update players p set
       hp = greatest(least(1, p.hp), least(p.max_hp, p.hp + c.hp)),
       stamina = greatest(0, least(p.max_stamina, p.stamina + c.stamina)),
       effects_ticked_at = $3,
       updated_at = now()
     from change c where p.id = c.player_id
   ), counted as (
     update player_status_effects e set remaining_ticks = e.remaining_ticks - 1
     from batch b where e.player_id = b.id and e.remaining_ticks > 1
   ), ended as (
     delete from player_status_effects e using batch b where e.player_id = b.id and e.remaining_ticks <= 1
   )
   select coalesce(max(id), 0) as last, count(*)::int as count from batch`,
);

/**
 * Ticks status effects of players out of combat (fights tick their own): bleeding and poison
 * hurt but never kill outside a fight, good effects heal, and every effect wears down by one.
 * `tickAt` names the tick (its scheduled instant): each page commits on its own, so a tick that
 * is run again after a failure or a crash skips the players it already reached.
 */
export async function tickPlayerEffects(database: Database, batch: number, tickAt: Date): Promise<TickResult> {
  let cursor = 0;
  let rows = 0;
  for (;;) {
    const [page] = await run<{ last: number; count: number }>(database, database.primary, effectsStatement, [cursor, batch, tickAt]);
    if (!page || page.count === 0) break;
    rows += page.count;
    cursor = page.last;
    if (page.count < batch) break;
  }
  return { rows, locations: [], players: [] };
}

const staminaStatement = statement(
  "regen_stamina",
  `with batch as (
     select id from players
     where id > $1 and alive and combat_id is null and stamina < max_stamina
       and (stamina_ticked_at is null or stamina_ticked_at < $4)
     order by id limit $2
     for no key update skip locked
   ), regen as (
     update players p set stamina = least(p.max_stamina, p.stamina + $3), stamina_ticked_at = $4, updated_at = now()
     from batch b where p.id = b.id
   )
   select coalesce(max(id), 0) as last, count(*)::int as count from batch`,
);

/** Restores stamina to resting players, in pages of `batch`; like `tickPlayerEffects`, once per `tickAt`. */
export async function regenerateStamina(database: Database, batch: number, tickAt: Date): Promise<TickResult> {
  let cursor = 0;
  let rows = 0;
  for (;;) {
    const [page] = await run<{ last: number; count: number }>(database, database.primary, staminaStatement, [cursor, batch, STAMINA_REGEN_PER_TICK, tickAt]);
    if (!page || page.count === 0) break;
    rows += page.count;
    cursor = page.last;
    if (page.count < batch) break;
  }
  return { rows, locations: [], players: [] };
}

const reviveStatement = statement(
  "revive_players",
  `with batch as (
     select id, location_id from players
     where not alive and died_at <= now() - make_interval(secs => $2)
     order by died_at limit $1
     for no key update skip locked
   )
   update players p set
     alive = true, died_at = null, location_id = $3,
     hp = greatest(1, p.max_hp / 2), stamina = p.max_stamina, updated_at = now()
   from batch b where p.id = b.id
   returning p.id, b.location_id as "diedAt"`,
);

/** Brings players who died a while ago back at the start with half their HP. */
export async function revivePlayers(database: Database, batch: number): Promise<TickResult> {
  const rows = await run<{ id: number; diedAt: string }>(database, database.primary, reviveStatement, [batch, RESPAWN_DELAY_S, WORLD.startLocationId]);
  if (rows.length === 0) return { rows: 0, locations: [], players: [] };
  return {
    rows: rows.length,
    locations: [...new Set([WORLD.startLocationId, ...rows.map((r) => r.diedAt)])],
    players: rows.map((r) => r.id),
  };
}

const pruneEvents = statement(
  "prune_stat_events",
  `delete from stat_events where id in (
     select id from stat_events where applied_at is not null and applied_at < now() - make_interval(hours => $2)
     order by applied_at limit $1)
   returning 1`,
);

const pruneFights = statement(
  "prune_fights",
  `delete from active_combats where id in (
     select id from active_combats
     where status <> 'active' and ended_at < now() - make_interval(days => $2) and (status <> 'won' or loot_rolled_at is not null)
     order by ended_at limit $1)
   returning 1`,
);

/** Deletes applied statistics events and long-finished fights (with their turn logs), in bounded batches. */
export async function pruneHistory(database: Database, batch: number, keepEventsHours: number, keepFightsDays: number): Promise<TickResult> {
  const events = await run(database, database.primary, pruneEvents, [batch, keepEventsHours]);
  const fights = await run(database, database.primary, pruneFights, [batch, keepFightsDays]);
  return { rows: events.length + fights.length, locations: [], players: [] };
}
