import type { Logger, RedisClient } from "@echoes/shared";

interface Copy {
  /** Bytes, whatever came in: a response then writes them as they are, with no string to encode. */
  value: Buffer;
  group: string;
  /** The invalidation count when the reader that stored it had caught up; newer invalidations of its group void it. */
  seen: number;
  expiresAt: number;
}

/** Longest a reader waits for the barrier before it reads without the copies. */
const BARRIER_TIMEOUT_MS = 250;

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Copies of cached values kept in this process, each served without asking Redis while no write
 * touched it: every invalidation is published on a channel this process subscribes to, and
 * drops the copies of the groups it names. A reader first waits for a barrier (a PING on the
 * subscribing connection: Redis answers it only after every message published before it), so
 * an invalidation published before the request came in, by any process, has been applied before
 * a copy is served; that is what lets a player read their own writes on any API process. One
 * PING serves every request that arrived while it was being prepared. While the subscription is
 * down the copies are dropped and not used.
 */
export class LocalCopies {
  private readonly copies = new Map<string, Copy>();
  /** The count of invalidations received, and the count at which each group was last invalidated (with when). */
  private seq = 0;
  private readonly stamps = new Map<string, { seq: number; at: number }>();
  private subscribed = false;
  /** Readers waiting for the next PING, and whether one is out. */
  private waiting: Deferred | null = null;
  private pinging = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly subscriber: RedisClient,
    private readonly channel: string,
    private readonly maxCopies: number,
    /** The longest any copy may live: stamps older than this cannot void a copy any more. */
    private readonly maxTtlMs: number,
    private readonly logger: Logger,
  ) {
    subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.channel) this.drop(message.split("\n"));
    });
    // Messages published while the connection was down are lost: start afresh, once subscribed again.
    subscriber.on("close", () => this.lose());
    subscriber.on("ready", () => void this.subscribe());
    if (subscriber.status === "ready") void this.subscribe();
    this.sweeper = setInterval(() => this.sweep(), Math.max(1_000, maxTtlMs)).unref();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
      this.subscribed = true;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, "could not subscribe to cache invalidations; serving without local copies");
    }
  }

  private lose(): void {
    this.subscribed = false;
    this.copies.clear();
  }

  /** Whether copies may be served now. */
  get usable(): boolean {
    return this.subscribed && this.subscriber.status === "ready";
  }

  /**
   * Resolves once every invalidation published before this call has been applied here; returns
   * the invalidation count to store copies with. Rejects when the subscription is down.
   */
  async barrier(): Promise<number> {
    if (!this.usable) throw new Error("cache invalidations are not being received");
    if (!this.waiting) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.waiting = { promise, resolve, reject };
      // Everything that asks during this turn of the event loop shares the next PING.
      if (!this.pinging) setImmediate(() => this.ping());
    }
    await this.waiting.promise;
    return this.seq;
  }

  /**
   * Sends one PING for every reader waiting now. One is in flight at a time: readers who come
   * while it is share the one sent when it returns, so under load a PING serves many requests
   * (each socket write is dear on this kind of machine).
   */
  private ping(): void {
    const batch = this.waiting;
    if (!batch || this.pinging) return;
    this.waiting = null;
    this.pinging = true;
    // A PING sent as the connection drops waits for the reconnection: its readers go on without copies.
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) batch.reject(err);
      else batch.resolve();
      this.pinging = false;
      this.ping();
    };
    const timer = setTimeout(() => settle(new Error(`no answer to the cache barrier within ${BARRIER_TIMEOUT_MS} ms`)), BARRIER_TIMEOUT_MS);
    this.subscriber.ping().then(
      () => settle(),
      (err: unknown) => settle(err),
    );
  }

  /** The copy of `key`, if it is still current. */
  get(key: string): Buffer | undefined {
    const copy = this.copies.get(key);
    if (!copy) return undefined;
    if (copy.expiresAt <= Date.now() || (this.stamps.get(copy.group)?.seq ?? 0) > copy.seen) {
      this.copies.delete(key);
      return undefined;
    }
    return copy.value;
  }

  /** Keeps a copy read or loaded by a reader that passed its barrier at `seen`, unless its group was invalidated since. */
  set(key: string, group: string, value: string | Buffer, seen: number, ttlMs: number): void {
    if (!this.usable || (this.stamps.get(group)?.seq ?? 0) > seen) return;
    this.copies.delete(key);
    if (this.copies.size >= this.maxCopies) this.copies.delete(this.copies.keys().next().value as string);
    this.copies.set(key, { value: typeof value === "string" ? Buffer.from(value) : value, group, seen, expiresAt: Date.now() + ttlMs });
  }

  /** The invalidation count at which a group was last invalidated (0: not lately). */
  stampOf(group: string): number {
    return this.stamps.get(group)?.seq ?? 0;
  }

  /** Voids every copy of these groups (a write changed them). */
  drop(groups: readonly string[]): void {
    const at = Date.now();
    for (const group of groups) this.stamps.set(group, { seq: ++this.seq, at });
  }

  /** Forgets stamps old enough that no copy they could void is still alive, and expired copies. */
  private sweep(): void {
    const now = Date.now();
    for (const [group, stamp] of this.stamps) if (stamp.at < now - this.maxTtlMs) this.stamps.delete(group);
    for (const [key, copy] of this.copies) if (copy.expiresAt <= now) this.copies.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.copies.clear();
  }

  /** Copies held now (for tests and metrics). */
  get size(): number {
    return this.copies.size;
  }
}
