import type { Database, GameCache, Leaderboards } from "@echoes/db";
import type { JobProducer, Logger, RedisClient } from "@echoes/shared";
import type { WorkerConfig } from "./config";
import type { TurnBatcher } from "./turn-batcher";

/** What processors use: the database, the cache they keep fresh, and the queues they feed. */
export interface WorkerContext {
  config: WorkerConfig;
  logger: Logger;
  database: Database;
  cache: GameCache;
  producer: JobProducer;
  leaderboards: Leaderboards;
  /** Publishes players' job results to the API processes' event streams. */
  publisher: RedisClient;
  /** Gathers combat turns into batches (see `combatTurnBatcher`). */
  turns: TurnBatcher;
}
