import { randomUUID } from "node:crypto";
import type { RedisClient } from "@echoes/shared";
import type { Database } from "./client";
import { type Statement, run, statement } from "./statement";

export const LEADERBOARDS = ["kills", "xp", "level"] as const;
export type LeaderboardKind = (typeof LEADERBOARDS)[number];

export interface LeaderboardEntry {
  rank: number;
  playerId: number;
  username: string;
  value: number;
}

/** Levels rank first, XP breaks ties: both fit exactly in one sorted-set score. */
const LEVEL_SCALE = 1e10;

export interface Standing {
  playerId: number;
  username: string;
  kills: number;
  xp: number;
  level: number;
  /** `player_statistics.version` when the standing was read: a lower one never overwrites a higher. */
  version: number;
}

/** The version recorded for a deleted player: no standing read before the deletion can bring them back. */
const GONE = "gone";

/** Writes one player's standing unless a newer one (higher version) was written already, or the player was deleted. */
const RECORD = `
local seen = redis.call('HGET', KEYS[5], ARGV[1])
if seen == '${GONE}' then return 0 end
if tonumber(ARGV[6]) < tonumber(seen or '-1') then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[5])
redis.call('HSET', KEYS[5], ARGV[1], ARGV[6])
return 1`;

/** Marks the boards complete, unless Redis lost the rebuild's own claim meanwhile (then part of what it wrote may be gone too). */
const FINISH_REBUILD = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

/** Extends a rebuild's claim while it is still this rebuild's. */
const HOLD_REBUILD = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** A rebuild that stops extending its claim (its process died) lets another start after this long. */
const REBUILD_CLAIM_MS = 60_000;

type Recording = RedisClient & {
  leaderboardRecord(...args: (string | number)[]): Promise<number>;
  leaderboardFinishRebuild(rebuilding: string, complete: string, token: string, at: string): Promise<number>;
  leaderboardHoldRebuild(rebuilding: string, token: string, ttlMs: number): Promise<number>;
};

/** Sorted sets of the leaderboards in Redis, kept by the statistics worker; one hash tag, so one slot in a cluster. */
export class Leaderboards {
  private readonly redis: Recording;

  /** `changed` runs after every change of the boards (the API's cached boards are dropped by it). */
  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly changed: () => Promise<void> = async () => undefined,
  ) {
    redis.defineCommand("leaderboardRecord", { numberOfKeys: 5, lua: RECORD });
    redis.defineCommand("leaderboardFinishRebuild", { numberOfKeys: 2, lua: FINISH_REBUILD });
    redis.defineCommand("leaderboardHoldRebuild", { numberOfKeys: 1, lua: HOLD_REBUILD });
    this.redis = redis as Recording;
  }

  private key(kind: LeaderboardKind | "names" | "versions" | "complete" | "rebuilding"): string {
    return `${this.prefix}:{lb}:${kind}`;
  }

  /**
   * Records players' standings (absolute values, so repeating one changes nothing; an older
   * standing arriving after a newer one is ignored).
   */
  async record(standings: Standing[]): Promise<void> {
    const keys = [this.key("kills"), this.key("xp"), this.key("level"), this.key("names"), this.key("versions")];
    await Promise.all(
      standings.map((s) => this.redis.leaderboardRecord(...keys, s.playerId, s.kills, s.xp, s.level * LEVEL_SCALE + s.xp, s.username, s.version)),
    );
    await this.changed();
  }

  /** Removes a deleted player from every board, for good: a standing recorded later is ignored. */
  async forget(playerId: number): Promise<void> {
    const multi = this.redis.multi();
    for (const kind of LEADERBOARDS) multi.zrem(this.key(kind), String(playerId));
    multi.hdel(this.key("names"), String(playerId));
    multi.hset(this.key("versions"), String(playerId), GONE);
    await multi.exec();
    await this.changed();
  }

  /**
   * The top `limit` of a board, or null while the boards are not known to be complete: nothing
   * was rebuilt from PostgreSQL since Redis started empty (or lost its data), or the board is empty.
   */
  async top(kind: LeaderboardKind, limit: number): Promise<LeaderboardEntry[] | null> {
    const replies = await this.redis
      .pipeline()
      .exists(this.key("complete"))
      .zrevrange(this.key(kind), 0, limit - 1, "WITHSCORES")
      .exec();
    const [complete, flat] = (replies ?? []).map(([err, value]) => {
      if (err) throw err;
      return value;
    }) as [number, string[]];
    if (complete !== 1 || flat.length === 0) return null;
    const ids: string[] = [];
    const scores: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      ids.push(flat[i]!);
      scores.push(Number(flat[i + 1]));
    }
    const names = await this.redis.hmget(this.key("names"), ...ids);
    return ids.map((id, i) => ({
      rank: i + 1,
      playerId: Number(id),
      username: names[i] ?? `player-${id}`,
      value: kind === "level" ? Math.floor(scores[i]! / LEVEL_SCALE) : scores[i]!,
    }));
  }

  /** True until a rebuild from PostgreSQL has finished against this Redis's current data. */
  async needsRebuild(): Promise<boolean> {
    return (await this.redis.exists(this.key("complete"))) === 0;
  }

  /**
   * Claims the rebuild; returns the token that `holdRebuild` and `finishRebuild` need, or null
   * while another rebuild holds the claim (sweeps overlap when a rebuild outlasts their period).
   */
  async startRebuild(): Promise<string | null> {
    const token = randomUUID();
    return (await this.redis.set(this.key("rebuilding"), token, "PX", REBUILD_CLAIM_MS, "NX")) === "OK" ? token : null;
  }

  /** Keeps the claim alive between pages; false when it was lost (Redis lost its data, or the claim expired). */
  async holdRebuild(token: string): Promise<boolean> {
    return (await this.redis.leaderboardHoldRebuild(this.key("rebuilding"), token, REBUILD_CLAIM_MS)) === 1;
  }

  /** Marks the boards complete, unless Redis lost data since `startRebuild`; returns whether it did. */
  async finishRebuild(token: string): Promise<boolean> {
    const finished = (await this.redis.leaderboardFinishRebuild(this.key("rebuilding"), this.key("complete"), token, new Date().toISOString())) === 1;
    if (finished) await this.changed();
    return finished;
  }
}

const TOP_SQL: Record<LeaderboardKind, string> = {
  kills: `select s.player_id as "playerId", p.username, s.kills as value
          from player_statistics s join players p on p.id = s.player_id
          order by s.kills desc, s.player_id desc limit $1`,
  xp: `select id as "playerId", username, xp as value from players order by xp desc, id desc limit $1`,
  level: `select id as "playerId", username, level as value from players order by level desc, xp desc, id desc limit $1`,
};
const TOP = Object.fromEntries(
  LEADERBOARDS.map((k) => [k, statement<{ playerId: number; username: string; value: number }, [limit: number]>(`leaderboard_${k}`, TOP_SQL[k])]),
) as Record<LeaderboardKind, Statement<{ playerId: number; username: string; value: number }, [limit: number]>>;

/** A board computed by PostgreSQL (from the replica when there is one). */
export async function leaderboardFromDatabase(database: Database, kind: LeaderboardKind, limit: number): Promise<LeaderboardEntry[]> {
  const rows = await run(database, database.replica, TOP[kind], [limit]);
  return rows.map((r, i) => ({ rank: i + 1, ...r }));
}

const standingsPage = statement<Standing, [afterPlayerId: number, limit: number]>(
  "leaderboard_standings",
  `select p.id as "playerId", p.username, coalesce(s.kills, 0) as kills, p.xp, p.level, coalesce(s.version, 0) as version
   from players p left join player_statistics s on s.player_id = p.id
   where p.id > $1 order by p.id limit $2`,
);

/**
 * Rebuilds the Redis boards from PostgreSQL, a page of players at a time, and marks them complete
 * (readers use Redis from then on). One rebuild runs at a time: `started` is false when another
 * holds the claim. When Redis lost data during the rebuild, the boards are not marked, and the
 * next call rebuilds them again.
 */
export async function rebuildLeaderboards(
  database: Database,
  boards: Leaderboards,
  page: number,
): Promise<{ started: boolean; players: number; complete: boolean }> {
  const token = await boards.startRebuild();
  if (token === null) return { started: false, players: 0, complete: false };
  let cursor = 0;
  let players = 0;
  for (;;) {
    const rows = await run(database, database.primary, standingsPage, [cursor, page]);
    if (rows.length === 0) break;
    await boards.record(rows);
    players += rows.length;
    cursor = rows[rows.length - 1]!.playerId;
    if (rows.length < page) break;
    if (!(await boards.holdRebuild(token))) return { started: true, players, complete: false };
  }
  return { started: true, players, complete: await boards.finishRebuild(token) };
}
