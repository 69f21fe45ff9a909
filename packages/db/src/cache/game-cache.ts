import { Batcher, type Logger, type RedisClient } from "@echoes/shared";
import { DeferredInvalidations } from "./deferred";
import { CacheKeys, type CacheName, type Entry, type Group, type PlayerDoc } from "./keys";
import { LocalCopies } from "./local-copies";
import { CacheScripts } from "./scripts";
import { SingleFlight } from "./single-flight";

export interface CacheObserver {
  onLookup?(cache: CacheName, outcome: "hit" | "miss" | "error"): void;
}

export interface CacheOptions {
  prefix: string;
  enabled: boolean;
  /** Lifetime of a cached location view (the review asks for 5 s). */
  locationTtlMs: number;
  /** Lifetime of what is cached about a player (position, documents). */
  playerTtlMs: number;
  /** Lifetime of a cached leaderboard. */
  boardsTtlMs: number;
  /** After a write, misses read the primary for this long, so a lagging replica cannot serve stale views. */
  primaryWindowMs: number;
  /** Most values this process keeps copies of (0: none). */
  localCopies: number;
}

/** Cache options from an app's configuration (see `cacheEnv` in packages/shared). */
export function cacheOptionsFrom(config: {
  REDIS_PREFIX: string;
  CACHE_ENABLED: boolean;
  LOCATION_CACHE_TTL_MS: number;
  PLAYER_CACHE_TTL_MS: number;
  LEADERBOARD_CACHE_TTL_MS: number;
  REPLICA_PRIMARY_WINDOW_MS: number;
  CACHE_LOCAL_COPIES: number;
  DATABASE_REPLICA_URL?: string | undefined;
}): CacheOptions {
  return {
    prefix: config.REDIS_PREFIX,
    enabled: config.CACHE_ENABLED,
    locationTtlMs: config.LOCATION_CACHE_TTL_MS,
    playerTtlMs: config.PLAYER_CACHE_TTL_MS,
    boardsTtlMs: config.LEADERBOARD_CACHE_TTL_MS,
    primaryWindowMs: config.DATABASE_REPLICA_URL ? config.REPLICA_PRIMARY_WINDOW_MS : 0,
    localCopies: config.CACHE_LOCAL_COPIES,
  };
}

/** How long a group's version outlives its last bump (far longer than any value it guards). */
const VERSION_TTL_MS = 24 * 3600 * 1000;

/** Groups per invalidation call (a world tick can touch thousands of players). */
const GROUPS_PER_CALL = 200;

/** What a read has established before it looks anything up: the local barrier it passed (null: no local copies now). */
type Seen = number | null;

/**
 * The read cache of the game: location views, what each player's reads return (position, the
 * player, the pack, statistics, the current fight) and the leaderboards. Two tiers: Redis, shared
 * by every process, and copies in this process (`LocalCopies`) served without a round trip. Every
 * write calls `invalidate` once it committed; a version per group makes sure a load that started
 * before a write cannot store what it read, in either tier, so a player always reads their own
 * writes. Concurrent misses in one process share one load. When Redis is unreachable, reads go to
 * PostgreSQL and invalidations are retried once it is back.
 */
export class GameCache {
  private readonly keys: CacheKeys;
  private readonly flights = new SingleFlight<string | Buffer | null>();
  private readonly scripts: CacheScripts | null;
  private readonly deferred: DeferredInvalidations | null;
  private readonly local: LocalCopies | null;
  private readonly clustered: boolean;
  /** The invalidations asked for in one turn of the event loop go to Redis together: one script call and one message to the other processes. */
  private readonly sending = new Batcher<Group[], void>(
    async (lists) => {
      const groups = [...new Map(lists.flat().map((g) => [g.id, g])).values()];
      try {
        await this.send(groups);
      } catch (err) {
        this.deferred!.defer(groups, err as Error);
      }
      return lists.map(() => undefined);
    },
    { size: 1_000, waitMs: 0 },
    () => false,
  );

  /**
   * `subscriber`, a connection to the same Redis in subscriber mode, enables copies in this
   * process (on a standalone Redis only: a cluster carries messages between nodes without order).
   */
  constructor(
    private readonly redis: RedisClient | null,
    private readonly options: CacheOptions,
    private readonly logger: Logger,
    private readonly observer: CacheObserver = {},
    subscriber: RedisClient | null = null,
  ) {
    this.keys = new CacheKeys(options.prefix);
    this.clustered = (redis as { isCluster?: boolean } | null)?.isCluster === true;
    this.scripts = redis ? new CacheScripts(redis) : null;
    this.deferred = redis
      ? new DeferredInvalidations(
          (groups) => this.send(groups),
          () => redis.status === "ready",
          logger,
        )
      : null;
    redis?.on("ready", () => void this.deferred?.replay());
    const longest = Math.max(options.locationTtlMs, options.playerTtlMs, options.boardsTtlMs);
    this.local =
      subscriber && !this.clustered && options.enabled && options.localCopies > 0
        ? new LocalCopies(subscriber, this.keys.channel, options.localCopies, longest, logger)
        : null;
  }

  get enabled(): boolean {
    return this.options.enabled && this.redis !== null;
  }

  private locationEntry(locationId: string): Entry {
    const group = this.keys.location(locationId);
    return { cache: "location", group, key: group.data[0]!, ttlMs: this.options.locationTtlMs, shared: true };
  }

  private playerEntry(playerId: number, doc: PlayerDoc | "position"): Entry {
    const group = this.keys.player(playerId);
    const key = group.data[doc === "position" ? 0 : group.data.findIndex((k) => k.endsWith(`:${doc}`))]!;
    return { cache: doc, group, key, ttlMs: this.options.playerTtlMs, shared: true };
  }

  /** Passes the local barrier when copies can be served; null when they cannot (the read then skips them). */
  private async begin(): Promise<Seen> {
    if (!this.local?.usable) return null;
    try {
      return await this.local.barrier();
    } catch {
      return null;
    }
  }

  /**
   * A cached value, or what `load(fromPrimary)` makes of it. `load` is told to use the primary
   * when the group was written a moment ago; null from it means "nothing there", not cached.
   */
  private async read(entry: Entry, load: (fromPrimary: boolean) => Promise<string | null>, seen?: Seen): Promise<string | Buffer | null> {
    if (!this.enabled) return load(false);
    // An invalidation that has not reached Redis yet: what Redis holds for this group may be stale.
    if (this.deferred?.has(entry.group)) return load(true);
    const passed = seen === undefined ? await this.begin() : seen;
    if (passed !== null) {
      const copy = this.local!.get(entry.key);
      if (copy !== undefined) {
        this.observer.onLookup?.(entry.cache, "hit");
        return copy;
      }
    }
    if (!entry.shared) {
      if (passed === null) return load(false);
      this.observer.onLookup?.(entry.cache, "miss");
      return this.fill(entry, `local${this.local!.stampOf(entry.group.id)}`, passed, () => load(false), false);
    }
    let version = "";
    let fromPrimary = false;
    try {
      const primaryKey = entry.group.primary ?? entry.group.ver;
      const [data, ver, primary] = await this.redis!.mgetBuffer(entry.key, entry.group.ver, primaryKey);
      if (data) {
        this.observer.onLookup?.(entry.cache, "hit");
        if (passed !== null) this.local!.set(entry.key, entry.group.id, data, passed, entry.ttlMs);
        return data;
      }
      version = ver?.toString() ?? "";
      fromPrimary = entry.group.primary !== undefined && primary !== null && primary !== undefined;
      this.observer.onLookup?.(entry.cache, "miss");
    } catch {
      this.observer.onLookup?.(entry.cache, "error");
      return load(true);
    }
    return this.fill(entry, version, passed, () => load(fromPrimary), true);
  }

  /** Loads a missed value (once for all concurrent readers of this version) and stores it unless a write moved the version on. */
  private fill(entry: Entry, version: string, seen: Seen, load: () => Promise<string | null>, shared: boolean): Promise<string | Buffer | null> {
    return this.flights.run(`${entry.key}#${version}`, async () => {
      const value = await load();
      if (value === null) return null;
      if (shared) {
        this.scripts!.fillIfVersion(entry.key, entry.group.ver, version, value, entry.ttlMs).catch((err: Error) =>
          this.logger.debug({ err: err.message }, "cache fill skipped"),
        );
      }
      if (seen !== null) this.local!.set(entry.key, entry.group.id, value, seen, entry.ttlMs);
      return value;
    });
  }

  /** The location view as JSON (text or bytes). `load(fromPrimary)` builds it from the database. */
  locationView(locationId: string, load: (fromPrimary: boolean) => Promise<string | null>): Promise<string | Buffer | null> {
    return this.read(this.locationEntry(locationId), load);
  }

  /** The location a player stands in, or null when the player does not exist. */
  async playerLocation(playerId: number, load: () => Promise<string | null>): Promise<string | null> {
    const located = await this.read(this.playerEntry(playerId, "position"), () => load());
    return located === null ? null : located.toString();
  }

  /**
   * Where a player stands and what is there, or null when the player does not exist. A player the
   * cache does not know is read with `loadBoth` (position and view in one query); a place whose
   * view is not cached is built with `loadView`.
   */
  async playerView(
    playerId: number,
    loadBoth: () => Promise<{ locationId: string; view: string } | null>,
    loadView: (locationId: string, fromPrimary: boolean) => Promise<string | null>,
  ): Promise<{ locationId: string; view: string | Buffer } | null> {
    if (!this.enabled) return loadBoth();
    const seen = await this.begin();
    let both: { locationId: string; view: string } | null = null;
    const located = await this.read(this.playerEntry(playerId, "position"), async () => (both = await loadBoth())?.locationId ?? null, seen);
    if (located === null) return null;
    const locationId = located.toString();
    const loaded = both as { locationId: string; view: string } | null;
    if (loaded) {
      // The view came with the position: keep a copy here (a local copy is voided by any later
      // write; Redis would need the version read before the load, which this path never read).
      if (seen !== null) {
        const entry = this.locationEntry(locationId);
        this.local!.set(entry.key, entry.group.id, loaded.view, seen, entry.ttlMs);
      }
      return loaded;
    }
    const view = await this.read(this.locationEntry(locationId), (fromPrimary) => loadView(locationId, fromPrimary), seen);
    return view === null ? null : { locationId, view };
  }

  /** One of a player's cached documents (JSON), or null when `load` finds the player gone. */
  playerDoc(playerId: number, doc: PlayerDoc, load: () => Promise<string | null>): Promise<string | Buffer | null> {
    return this.read(this.playerEntry(playerId, doc), () => load());
  }

  /** A leaderboard (JSON) by its query, kept in this process only and dropped whenever standings change. */
  async leaderboard(query: string, load: () => Promise<string>): Promise<string | Buffer> {
    const group = this.keys.boards;
    const entry: Entry = { cache: "leaderboard", group, key: `${group.id}:${query}`, ttlMs: this.options.boardsTtlMs, shared: false };
    return (await this.read(entry, load)) ?? load();
  }

  /** Forgets what is cached about these locations, players and the leaderboards; call after the write committed. */
  async invalidate(targets: { locations?: Iterable<string>; players?: Iterable<number>; boards?: boolean }): Promise<void> {
    const groups: Group[] = [
      ...[...new Set(targets.locations ?? [])].map((id) => this.keys.location(id)),
      ...[...new Set(targets.players ?? [])].map((id) => this.keys.player(id)),
      ...(targets.boards ? [this.keys.boards] : []),
    ];
    if (groups.length === 0) return;
    // This process's own copies go at once; the other processes' when the message reaches them.
    this.local?.drop(groups.map((g) => g.id));
    if (!this.redis) return;
    await this.sending.submit(groups);
  }

  private async send(groups: Group[]): Promise<void> {
    const options = { versionTtlMs: VERSION_TTL_MS, primaryWindowMs: this.options.primaryWindowMs };
    // On a cluster each group is its own slot: one call per group, and no process keeps copies to tell.
    if (this.clustered) {
      await Promise.all(groups.map((g) => this.scripts!.invalidate([g], options)));
      return;
    }
    const calls: Promise<void>[] = [];
    for (let i = 0; i < groups.length; i += GROUPS_PER_CALL) {
      const chunk = groups.slice(i, i + GROUPS_PER_CALL);
      calls.push(this.scripts!.invalidate(chunk, { ...options, publish: { channel: this.keys.channel, message: chunk.map((g) => g.id).join("\n") } }));
    }
    await Promise.all(calls);
  }

  /** Invalidations waiting for Redis to come back. */
  get pendingInvalidations(): number {
    return this.deferred?.size ?? 0;
  }

  /** Copies this process holds now. */
  get localCopies(): number {
    return this.local?.size ?? 0;
  }

  /** Stops retrying deferred invalidations and drops the local copies (the process is shutting down). */
  close(): void {
    this.deferred?.close();
    this.local?.close();
  }
}
