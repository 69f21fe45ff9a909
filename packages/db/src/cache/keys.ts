/** What a cache lookup is about, for metrics (a bounded set). */
export type CacheName = "location" | "position" | "me" | "inventory" | "stats" | "combat" | "leaderboard";

/** The documents cached per player, each invalidated with the player. */
export const PLAYER_DOCS = ["me", "inventory", "stats", "combat"] as const;
export type PlayerDoc = (typeof PLAYER_DOCS)[number];

/**
 * Keys that are invalidated together: one version key that every write bumps, the data keys it
 * drops, and (for a location) the key that sends reads to the primary for a moment after a
 * write. All of a group's keys carry one hash tag, so they share a Redis Cluster slot.
 */
export interface Group {
  /** Names the group in invalidation messages. */
  id: string;
  ver: string;
  data: string[];
  primary?: string;
}

/** One cached value: its key, its group and how long it may live. */
export interface Entry {
  cache: CacheName;
  group: Group;
  key: string;
  ttlMs: number;
  /** Kept in Redis too (false: in this process only). */
  shared: boolean;
}

/** The key names of one deployment (its Redis prefix). */
export class CacheKeys {
  constructor(private readonly prefix: string) {}

  /** Where invalidation messages go. */
  get channel(): string {
    return `${this.prefix}:cache:invalidated`;
  }

  location(locationId: string): Group {
    const base = `${this.prefix}:{loc:${locationId}}`;
    // ":tview", the name views have had since they were stored with a fill tag: processes of a
    // release before that never read this key, and this one never reads theirs.
    return { id: `loc:${locationId}`, ver: `${base}:ver`, data: [`${base}:tview`], primary: `${base}:pri` };
  }

  player(playerId: number): Group {
    const base = `${this.prefix}:{player:${playerId}}`;
    return { id: `player:${playerId}`, ver: `${base}:ver`, data: [`${base}:loc`, ...PLAYER_DOCS.map((d) => `${base}:${d}`)] };
  }

  /** The leaderboards, computed from PostgreSQL or Redis: kept in each process only. */
  get boards(): Group {
    return { id: "boards", ver: `${this.prefix}:{boards}:ver`, data: [] };
  }
}
