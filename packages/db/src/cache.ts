import type { Logger, RedisClient } from "@echoes/shared";

export type CacheName = "location" | "player";

export interface CacheObserver {
  onLookup?(cache: CacheName, outcome: "hit" | "miss" | "error"): void;
}

export interface CacheOptions {
  prefix: string;
  enabled: boolean;
  /** Lifetime of a cached location view (the review asks for 5 s). */
  locationTtlMs: number;
  /** Lifetime of a cached player position. */
  playerTtlMs: number;
  /** After a write, misses read the primary for this long, so a lagging replica cannot serve stale views. */
  primaryWindowMs: number;
}

/** Cache options from an app's configuration (see `cacheEnv` in packages/shared). */
export function cacheOptionsFrom(config: {
  REDIS_PREFIX: string;
  CACHE_ENABLED: boolean;
  LOCATION_CACHE_TTL_MS: number;
  PLAYER_CACHE_TTL_MS: number;
  REPLICA_PRIMARY_WINDOW_MS: number;
  DATABASE_REPLICA_URL?: string | undefined;
}): CacheOptions {
  return {
    prefix: config.REDIS_PREFIX,
    enabled: config.CACHE_ENABLED,
    locationTtlMs: config.LOCATION_CACHE_TTL_MS,
    playerTtlMs: config.PLAYER_CACHE_TTL_MS,
    primaryWindowMs: config.DATABASE_REPLICA_URL ? config.REPLICA_PRIMARY_WINDOW_MS : 0,
  };
}

/** Sets a cached value only if no write bumped the version since the reader looked it up. */
const SET_IF_VERSION = `
local v = redis.call('GET', KEYS[2])
if (v == false and ARGV[1] == '') or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Drops a cached value, bumps its version (so in-flight loads cannot put it back) and marks it primary-only for a moment. */
const INVALIDATE = `
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
if KEYS[3] then redis.call('SET', KEYS[3], '1', 'PX', ARGV[2]) end
return 1`;

const VERSION_TTL_MS = 24 * 3600 * 1000;

type Scripted = RedisClient & {
  cacheSetIfVersion(data: string, ver: string, expected: string, value: string, ttlMs: number): Promise<number>;
  cacheInvalidate(...args: (string | number)[]): Promise<number>;
};

interface Keys {
  data: string;
  ver: string;
  primary?: string;
}

/**
 * The read cache shared by API and workers: location views (5 s) and player positions, in
 * Redis. Every write calls `invalidate` after it commits; a version per key makes sure a load
 * that started before the write cannot store what it read afterwards, so a player always
 * reads their own writes. Concurrent misses in one process share one load. When Redis is
 * unreachable, reads go to PostgreSQL and invalidations are retried once it is back.
 */
export class GameCache {
  private readonly flights = new Map<string, Promise<string | null>>();
  private readonly pending = new Map<string, Keys>();
  private readonly redis: Scripted | null;

  constructor(
    redis: RedisClient | null,
    private readonly options: CacheOptions,
    private readonly logger: Logger,
    private readonly observer: CacheObserver = {},
  ) {
    this.redis = redis as Scripted | null;
    if (redis) {
      redis.defineCommand("cacheSetIfVersion", { numberOfKeys: 2, lua: SET_IF_VERSION });
      redis.defineCommand("cacheInvalidate", { lua: INVALIDATE });
      redis.on("ready", () => void this.flushPending());
      // A timed-out command leaves the connection up, so "ready" may never come: retry on a timer too.
      this.retryTimer = setInterval(() => void this.flushPending(), 1_000);
      this.retryTimer.unref();
    }
  }

  private readonly retryTimer?: NodeJS.Timeout;

  /** Stops retrying deferred invalidations (the process is shutting down). */
  close(): void {
    clearInterval(this.retryTimer);
  }

  get enabled(): boolean {
    return this.options.enabled && this.redis !== null;
  }

  private locationKeys(locationId: string): Required<Keys> {
    const base = `${this.options.prefix}:{loc:${locationId}}`;
    return { data: `${base}:view`, ver: `${base}:ver`, primary: `${base}:pri` };
  }

  private playerKeys(playerId: number): Keys {
    const base = `${this.options.prefix}:{player:${playerId}}`;
    return { data: `${base}:loc`, ver: `${base}:ver` };
  }

  /**
   * The location view as JSON text. `load(fromPrimary)` builds it from the database; it is
   * told to use the primary when the location was written a moment ago.
   */
  locationView(locationId: string, load: (fromPrimary: boolean) => Promise<string | null>): Promise<string | null> {
    const keys = this.locationKeys(locationId);
    return this.read("location", keys, this.options.locationTtlMs, load);
  }

  /** The location a player stands in, or null when the player does not exist. */
  playerLocation(playerId: number, load: () => Promise<string | null>): Promise<string | null> {
    return this.read("player", this.playerKeys(playerId), this.options.playerTtlMs, () => load());
  }

  private async read(
    cache: CacheName,
    keys: Keys,
    ttlMs: number,
    load: (fromPrimary: boolean) => Promise<string | null>,
  ): Promise<string | null> {
    if (!this.enabled) return load(false);
    // An invalidation that has not reached Redis yet: what Redis holds for this key may be stale.
    if (this.pending.has(keys.data)) return this.singleflight(`${keys.data}#pending`, () => load(true));
    let version = "";
    let fromPrimary = false;
    try {
      const [data, ver, primary] = await this.redis!.mget(keys.data, keys.ver, keys.primary ?? keys.ver);
      if (data !== null && data !== undefined) {
        this.observer.onLookup?.(cache, "hit");
        return data;
      }
      version = ver ?? "";
      fromPrimary = keys.primary !== undefined && primary !== null && primary !== undefined;
      this.observer.onLookup?.(cache, "miss");
    } catch {
      this.observer.onLookup?.(cache, "error");
      return this.singleflight(`${keys.data}#down`, () => load(true));
    }
    return this.singleflight(`${keys.data}#${version}`, async () => {
      const value = await load(fromPrimary);
      if (value !== null) {
        this.redis!.cacheSetIfVersion(keys.data, keys.ver, version, value, ttlMs).catch((err: Error) =>
          this.logger.debug({ err: err.message }, "cache fill skipped"),
        );
      }
      return value;
    });
  }

  private singleflight(key: string, load: () => Promise<string | null>): Promise<string | null> {
    const inFlight = this.flights.get(key);
    if (inFlight) return inFlight;
    const flight = load().finally(() => this.flights.delete(key));
    this.flights.set(key, flight);
    return flight;
  }

  /** Forgets cached views of these locations and positions of these players; call after the write committed. */
  async invalidate(targets: { locations?: Iterable<string>; players?: Iterable<number> }): Promise<void> {
    if (!this.redis) return;
    const all: Keys[] = [];
    for (const id of new Set(targets.locations ?? [])) all.push(this.locationKeys(id));
    for (const id of new Set(targets.players ?? [])) all.push(this.playerKeys(id));
    await Promise.all(all.map((keys) => this.invalidateKeys(keys)));
  }

  private async invalidateKeys(keys: Keys): Promise<void> {
    const args: (string | number)[] = keys.primary && this.options.primaryWindowMs > 0
      ? [3, keys.data, keys.ver, keys.primary, VERSION_TTL_MS, this.options.primaryWindowMs]
      : [2, keys.data, keys.ver, VERSION_TTL_MS, this.options.primaryWindowMs];
    try {
      await this.redis!.cacheInvalidate(...args);
      this.pending.delete(keys.data);
    } catch (err) {
      this.pending.set(keys.data, keys);
      this.logger.warn({ err: (err as Error).message, key: keys.data, pending: this.pending.size }, "cache invalidation deferred until Redis is back");
    }
  }

  private async flushPending(): Promise<void> {
    if (this.pending.size === 0 || this.redis?.status !== "ready") return;
    const keys = [...this.pending.values()];
    this.logger.info({ count: keys.length }, "replaying deferred cache invalidations");
    await Promise.all(keys.map((k) => this.invalidateKeys(k)));
  }

  /** Invalidations waiting for Redis to come back. */
  get pendingInvalidations(): number {
    return this.pending.size;
  }
}
