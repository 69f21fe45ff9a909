import { type Database, tokenRevocationsSince } from "@echoes/db";
import { type Logger, type RedisClient, tokenRevocationsChannel } from "@echoes/shared";

/** How often each process asks PostgreSQL for revocations it may have missed on the channel. */
const POLL_MS = 5_000;
/** Revocations are read back this far before the newest one seen: a reset may commit after a later one did. */
const POLL_OVERLAP_MS = 60_000;
const POLL_PAGE = 1_000;

/**
 * Which players' older bearer tokens are refused, known to every API process. A password reset
 * records the instant in PostgreSQL (`players.tokens_valid_after`, in the reset's transaction)
 * and announces it on a Redis channel; every process keeps the instants in memory, so the check
 * on each request is a map lookup and no round trip. A process that missed an announcement (it
 * was cut off from Redis, or started afterwards) reads it from PostgreSQL: at start, whenever
 * its subscription comes back, and every few seconds. An instant is forgotten once every token
 * issued before it has expired anyway.
 */
export class TokenRevocations {
  private readonly validAfter = new Map<number, number>();
  private newestMs = 0;
  private loadedOnce = false;
  private failing = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly channel: string;
  private pollStatements = 0;

  constructor(
    private readonly database: Database,
    private readonly redis: { subscriber: RedisClient; publisher: RedisClient },
    prefix: string,
    private readonly tokenTtlS: number,
    private readonly logger: Logger,
  ) {
    this.channel = tokenRevocationsChannel(prefix);
  }

  /**
   * Starts listening for revocations and loads those still in force. While PostgreSQL cannot be
   * read (a process started during an outage) it keeps trying, and bearer tokens are not accepted
   * until it could: a revoked token must not slip through on a route served from the cache.
   */
  async start(): Promise<void> {
    this.redis.subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const [player, at] = message.split(":").map(Number);
      if (Number.isSafeInteger(player) && Number.isFinite(at)) this.record(player!, at!);
    });
    this.redis.subscriber.on("ready", () => void this.catchUp());
    this.redis.subscriber.subscribe(this.channel).catch((err: Error) => this.logger.warn({ err: err.message }, "could not subscribe to token revocations"));
    this.newestMs = Date.now() - this.tokenTtlS * 1000;
    await this.catchUp();
    this.timer = setInterval(() => void this.catchUp(), POLL_MS);
    this.timer.unref();
  }

  /** Whether the revocations in force were read from PostgreSQL at least once. */
  get loaded(): boolean {
    return this.loadedOnce;
  }

  /** Statements the poll has sent to the primary since start (it runs on a timer, not for a request). */
  get polls(): number {
    return this.pollStatements;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Tokens of this player issued before this instant (epoch ms) are refused; undefined when there is none. */
  validAfterMs(playerId: number): number | undefined {
    return this.validAfter.get(playerId);
  }

  /** Refuses, in every process, the player's tokens issued before `atMs` (already recorded in PostgreSQL). */
  async revoke(playerId: number, atMs: number): Promise<void> {
    this.record(playerId, atMs);
    await this.redis.publisher
      .publish(this.channel, `${playerId}:${atMs}`)
      .catch((err: Error) => this.logger.warn({ err: err.message, playerId }, "token revocation not announced; other processes read it from the database"));
  }

  private record(playerId: number, atMs: number): void {
    if ((this.validAfter.get(playerId) ?? 0) < atMs) this.validAfter.set(playerId, atMs);
  }

  /** Reads what it may have missed; until the first read succeeds, tries again every quarter second. */
  private catchUp(): Promise<void> {
    return this.poll().then(
      () => {
        if (this.failing) this.logger.info("token revocations read again");
        this.failing = false;
      },
      (err: Error) => {
        if (!this.failing) this.logger.warn({ err: err.message }, "could not read token revocations; retrying");
        this.failing = true;
        if (!this.loadedOnce && !this.stopped) setTimeout(() => void this.catchUp(), 250).unref();
      },
    );
  }

  private async poll(): Promise<void> {
    for (;;) {
      // Counted once it is done, as the database metrics count every statement.
      const rows = await tokenRevocationsSince(this.database, new Date(this.newestMs - POLL_OVERLAP_MS), POLL_PAGE).finally(() => this.pollStatements++);
      for (const row of rows) {
        this.record(row.playerId, row.validAfterMs);
        this.newestMs = Math.max(this.newestMs, row.validAfterMs);
      }
      if (rows.length < POLL_PAGE) break;
    }
    this.loadedOnce = true;
    const expired = Date.now() - this.tokenTtlS * 1000;
    for (const [playerId, atMs] of this.validAfter) if (atMs < expired) this.validAfter.delete(playerId);
  }
}
