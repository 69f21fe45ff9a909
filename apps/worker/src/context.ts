import type { Database, GameCache, Leaderboards } from "@echoes/db";
import type { EmailKind, JobProducer, Logger, RedisClient } from "@echoes/shared";
import type { WorkerConfig } from "./config";
import type { TurnBatcher } from "./processors/combat-turn";
import type { Mailer } from "./email/mailer";

/** How one email job ended, for the metrics. */
export type EmailResult = "sent" | "retrying" | "failed" | "skipped";

/** What the email queue needs: the SMTP connection, the key of tokens and links, and its counter. */
export interface EmailContext {
  mailer: Mailer;
  key: Buffer;
  /** The host part of every Message-ID. */
  domain: string;
  count(kind: EmailKind, result: EmailResult): void;
}

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
  /** Null without SMTP_URL: then this worker sends no email. */
  email: EmailContext | null;
}
