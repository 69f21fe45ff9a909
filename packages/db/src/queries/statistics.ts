import type { Database } from "../client";
import { STAT_FIELDS, type StatDeltas } from "../schema/player-statistics";
import type { Standing } from "../leaderboard";
import { run, statement } from "../statement";

const COLUMN: Record<(typeof STAT_FIELDS)[number], string> = {
  kills: "kills",
  deaths: "deaths",
  damageDealt: "damage_dealt",
  damageTaken: "damage_taken",
  itemsLooted: "items_looted",
  distanceTravelled: "distance_travelled",
  xpGained: "xp_gained",
  levelUps: "level_ups",
  fightsFled: "fights_fled",
};

const columns = STAT_FIELDS.map((f) => COLUMN[f]);

const applyStatement = statement<Standing, [eventKey: string]>(
  "apply_stat_event",
  `with event as (
     update stat_events set applied_at = now() where event_key = $1 and applied_at is null returning player_id, deltas
   ), totals as (
     insert into player_statistics (player_id, ${columns.join(", ")})
     select player_id, ${STAT_FIELDS.map((f) => `coalesce((deltas->>'${f}')::bigint, 0)`).join(", ")} from event
     on conflict (player_id) do update set
       ${columns.map((c) => `${c} = player_statistics.${c} + excluded.${c}`).join(",\n       ")},
       version = player_statistics.version + 1,
       updated_at = now()
     returning player_id, kills, version
   )
   select t.player_id as "playerId", t.kills, p.xp, p.level, p.username, t.version
   from totals t join players p on p.id = t.player_id`,
);

const standingStatement = statement<Standing, [eventKey: string]>(
  "stat_event_standing",
  `select p.id as "playerId", coalesce(s.kills, 0) as kills, p.xp, p.level, p.username, coalesce(s.version, 0) as version
   from stat_events e join players p on p.id = e.player_id left join player_statistics s on s.player_id = p.id
   where e.event_key = $1`,
);

export interface AppliedStats extends Standing {
  /** False when the event had been applied before (a retried or duplicated job). */
  fresh: boolean;
}

/**
 * Applies one statistics event to its player's totals, once: the event row is marked applied
 * in the same statement. Returns the player's standing either way (null for an unknown event
 * or a deleted player), so a retry can still bring the leaderboards up to date.
 */
export async function applyStatEvent(database: Database, eventKey: string): Promise<AppliedStats | null> {
  const [applied] = await run(database, database.primary, applyStatement, [eventKey]);
  if (applied) return { ...applied, fresh: true };
  const [before] = await run(database, database.primary, standingStatement, [eventKey]);
  return before ? { ...before, fresh: false } : null;
}

export interface PlayerStats {
  kills: number;
  deaths: number;
  damageDealt: number;
  damageTaken: number;
  itemsLooted: number;
  distanceTravelled: number;
  xpGained: number;
  levelUps: number;
  fightsFled: number;
  /** Events recorded but not yet counted (the statistics worker is catching up). */
  pendingEvents: number;
}

const statsStatement = statement<PlayerStats, [playerId: number]>(
  "player_stats",
  `select ${STAT_FIELDS.map((f) => `coalesce(s.${COLUMN[f]}, 0) as "${f}"`).join(", ")},
     (select count(*) from stat_events e where e.player_id = p.id and e.applied_at is null)::int as "pendingEvents"
   from players p left join player_statistics s on s.player_id = p.id
   where p.id = $1`,
);

/** A player's statistics; null when the player does not exist. */
export async function getPlayerStats(database: Database, playerId: number): Promise<PlayerStats | null> {
  const [row] = await run(database, database.primary, statsStatement, [playerId]);
  return row ?? null;
}

export type { StatDeltas };
