import { randomBytes } from "node:crypto";
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

/**
 * Every stored location view starts with a tag naming that fill (16 hex digits and "|"), so a
 * process that holds a copy can ask Redis whether its copy is still the current one.
 */
const TAG_LENGTH = 16;
const TAGGED = new RegExp(`^[0-9a-f]{${TAG_LENGTH}}\\|`);
const newTag = () => randomBytes(TAG_LENGTH / 2).toString("hex");

/**
 * A player's position and, when it is known, the cached view of that place, in one round trip.
 * ARGV[2] and ARGV[3] name the place and tag of a copy the caller holds: when the player stands
 * there and Redis still holds that fill, the view comes back as 1 instead of its bytes. It reads
 * keys it computes (the place's), so it is only used on a standalone Redis.
 */
const PLAYER_VIEW = `
local loc = redis.call('GET', KEYS[1])
local pver = redis.call('GET', KEYS[2]) or ''
if not loc then return {false, pver} end
local base = ARGV[1] .. ':{loc:' .. loc .. '}'
local v = redis.call('MGET', base .. ':tview', base .. ':ver', base .. ':pri')
local view = v[1]
if view and loc == ARGV[2] and string.sub(view, 1, ${TAG_LENGTH}) == ARGV[3] then view = 1 end
return {loc, pver, view, v[2] or '', v[3]}`;

const VERSION_TTL_MS = 24 * 3600 * 1000;

/** How long a finished load still answers readers that observed the same version. */
const SETTLED_FLIGHT_MS = 250;

type Scripted = RedisClient & {
  cachePlayerViewBuffer(
    playerData: string,
    playerVer: string,
    prefix: string,
    heldLocation: string,
    heldTag: string,
  ): Promise<[Buffer | null, Buffer, Buffer | 1 | null, Buffer, Buffer | null]>;
  cacheSetIfVersion(data: string, ver: string, expected: string, value: string, ttlMs: number): Promise<number>;
  cacheInvalidate(...args: (string | number)[]): Promise<number>;
};

interface Keys {
  data: string;
  ver: string;
  primary?: string;
  /** Values carry a fill tag (location views). */
  tagged?: boolean;
}

/** A process's copy of a location view's bytes, as Redis held them under `tag`. */
interface HeldView {
  tag: string;
  body: Buffer;
}

/** Copies of location views kept in this process (one per place), and where each player was last seen. */
const MAX_HELD_VIEWS = 4_096;
const MAX_REMEMBERED_PLAYERS = 65_536;

/** Inserts into a map that forgets its oldest entry past `max`. */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** The JSON of a stored location view, without its tag (a value without one passes as it is). */
function untag(value: string): string {
  return TAGGED.test(value) ? value.slice(TAG_LENGTH + 1) : value;
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
  private readonly held = new Map<string, HeldView>();
  private readonly lastSeenAt = new Map<number, string>();
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
      redis.defineCommand("cachePlayerView", { numberOfKeys: 2, lua: PLAYER_VIEW });
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
    // ":tview", not ":view": views are stored with their fill's tag, which processes built before
    // tags would pass on to clients; under its own name, a fleet that mixes both during a rollout
    // never reads the other's format (each side's writes then reach the other only by the TTL).
    return { data: `${base}:tview`, ver: `${base}:ver`, primary: `${base}:pri`, tagged: true };
  }

  private playerKeys(playerId: number): Keys {
    const base = `${this.options.prefix}:{player:${playerId}}`;
    return { data: `${base}:loc`, ver: `${base}:ver` };
  }

  /**
   * The location view as JSON text. `load(fromPrimary)` builds it from the database; it is
   * told to use the primary when the location was written a moment ago.
   */
  async locationView(locationId: string, load: (fromPrimary: boolean) => Promise<string | null>): Promise<string | null> {
    const keys = this.locationKeys(locationId);
    const view = await this.read("location", keys, this.options.locationTtlMs, load);
    return view === null ? null : untag(view);
  }

  /** The location a player stands in, or null when the player does not exist. */
  playerLocation(playerId: number, load: () => Promise<string | null>): Promise<string | null> {
    return this.read("player", this.playerKeys(playerId), this.options.playerTtlMs, () => load());
  }

  private async read(cache: CacheName, keys: Keys, ttlMs: number, load: (fromPrimary: boolean) => Promise<string | null>): Promise<string | null> {
    if (!this.enabled) return load(false);
    // An invalidation that has not reached Redis yet: what Redis holds for this key may be stale.
    // Without a version to go by, readers cannot share a load: one that started before a reader's own write would hide it.
    if (this.pending.has(keys.data)) return load(true);
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
      return load(true);
    }
    return this.fill(keys, ttlMs, version, () => load(fromPrimary));
  }

  /** Loads a missed value (once for all concurrent readers of this version) and stores it unless a write bumped the version meanwhile. */
  private fill(keys: Keys, ttlMs: number, version: string, load: () => Promise<string | null>): Promise<string | null> {
    return this.singleflight(`${keys.data}#${version}`, async () => {
      const value = await load();
      if (value !== null) {
        const stored = keys.tagged ? `${newTag()}|${value}` : value;
        this.redis!.cacheSetIfVersion(keys.data, keys.ver, version, stored, ttlMs).catch((err: Error) =>
          this.logger.debug({ err: err.message }, "cache fill skipped"),
        );
      }
      return value;
    });
  }

  /**
   * Where a player stands and what is there (the location view as JSON text), or null when the
   * player does not exist. On a standalone Redis both come back in one round trip. A player the
   * cache does not know is read with `loadBoth` (position and view in one query, from the
   * primary); a place whose view is not cached is built with `loadView`.
   */
  async playerView(
    playerId: number,
    loadBoth: () => Promise<{ locationId: string; view: string } | null>,
    loadView: (locationId: string, fromPrimary: boolean) => Promise<string | null>,
  ): Promise<{ locationId: string; view: string | Buffer } | null> {
    if (!this.enabled) return loadBoth();
    const player = this.playerKeys(playerId);
    const clustered = (this.redis as { isCluster?: boolean }).isCluster === true;
    if (clustered || this.pending.has(player.data)) return this.playerViewInSteps(playerId, loadBoth, loadView);
    // The place this player was last seen at, and this process's copy of its view, if any: when
    // Redis still holds that copy's fill, only its tag crosses the wire and the copy is served.
    const guess = this.lastSeenAt.get(playerId);
    const copy = guess === undefined ? undefined : this.held.get(guess);
    let reply: [Buffer | null, Buffer, Buffer | 1 | null, Buffer, Buffer | null];
    try {
      // The view comes back as bytes and goes out as bytes: no decoding and re-encoding of the JSON.
      reply = await this.redis!.cachePlayerViewBuffer(player.data, player.ver, this.options.prefix, copy ? guess! : "", copy?.tag ?? "");
    } catch {
      this.observer.onLookup?.("player", "error");
      return loadBoth();
    }
    const [rawLocation, rawPlayerVersion, view, rawViewVersion, primary] = reply;
    const locationId = rawLocation === null ? null : rawLocation.toString();
    const playerVersion = rawPlayerVersion.toString();
    if (locationId === null) {
      this.observer.onLookup?.("player", "miss");
      let both: { locationId: string; view: string } | null = null;
      const located = await this.fill(player, this.options.playerTtlMs, playerVersion, async () => (both = await loadBoth())?.locationId ?? null);
      return both ?? (located === null ? null : this.playerViewInSteps(playerId, loadBoth, loadView));
    }
    this.observer.onLookup?.("player", "hit");
    if (guess !== locationId) remember(this.lastSeenAt, playerId, locationId, MAX_REMEMBERED_PLAYERS);
    const place = this.locationKeys(locationId);
    if (view !== null && !this.pending.has(place.data)) {
      this.observer.onLookup?.("location", "hit");
      if (view === 1) return { locationId, view: copy!.body };
      return { locationId, view: this.keep(locationId, view) };
    }
    this.observer.onLookup?.("location", "miss");
    const built = this.pending.has(place.data)
      ? await loadView(locationId, true)
      : await this.fill(place, this.options.locationTtlMs, String(rawViewVersion ?? ""), () => loadView(locationId, primary !== null));
    return built === null ? null : { locationId, view: built };
  }

  /** Keeps a copy of a view read from Redis (when it is a new fill) and returns its JSON bytes. */
  private keep(locationId: string, stored: Buffer): Buffer {
    if (!TAGGED.test(stored.toString("latin1", 0, TAG_LENGTH + 1))) return stored;
    const tag = stored.toString("latin1", 0, TAG_LENGTH);
    const current = this.held.get(locationId);
    if (current?.tag === tag) return current.body;
    // A copy of its own: the reply's bytes may be a slice of a larger buffer that should not be kept alive.
    const body = Buffer.from(stored.subarray(TAG_LENGTH + 1));
    remember(this.held, locationId, { tag, body }, MAX_HELD_VIEWS);
    return body;
  }

  /** `playerView` in two lookups: the player's position, then the view of that place. */
  private async playerViewInSteps(
    playerId: number,
    loadBoth: () => Promise<{ locationId: string; view: string } | null>,
    loadView: (locationId: string, fromPrimary: boolean) => Promise<string | null>,
  ): Promise<{ locationId: string; view: string } | null> {
    let both: { locationId: string; view: string } | null = null;
    const locationId = await this.playerLocation(playerId, async () => (both = await loadBoth())?.locationId ?? null);
    if (locationId === null) return null;
    if (both) return both;
    const view = await this.locationView(locationId, (fromPrimary) => loadView(locationId, fromPrimary));
    return view === null ? null : { locationId, view };
  }

  /**
   * One load per key at a time. Keys of cache fills carry the version the readers observed, so a
   * finished load stays reusable for a moment: a reader that saw the same version before the
   * fill reached Redis gets that result instead of loading again. A write changes the version,
   * so nobody who saw the write is served what was read before it.
   */
  private singleflight(key: string, load: () => Promise<string | null>): Promise<string | null> {
    const inFlight = this.flights.get(key);
    if (inFlight) return inFlight;
    const flight = load();
    this.flights.set(key, flight);
    const forget = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.then(
      () => setTimeout(forget, SETTLED_FLIGHT_MS).unref(),
      () => forget(),
    );
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
    const args: (string | number)[] =
      keys.primary && this.options.primaryWindowMs > 0
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
