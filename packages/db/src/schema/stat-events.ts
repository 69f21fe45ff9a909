import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { StatDeltas } from "./player-statistics";
import { players } from "./players";

/**
 * Statistics events, written in the same transaction as what they count. A stats job applies
 * each once (`applied_at`), so a retried or duplicated job changes nothing twice, and the
 * sweeper re-enqueues events whose job was lost.
 */
export const statEvents = pgTable(
  "stat_events",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    eventKey: text().notNull(),
    playerId: integer()
      .notNull()
      .references(() => players.id, { onDelete: "cascade" }),
    deltas: jsonb().$type<StatDeltas>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    appliedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("uq_stat_events_event_key").on(t.eventKey),
    index("idx_stat_events_pending").on(t.createdAt).where(sql`${t.appliedAt} is null`),
    index("idx_stat_events_player").on(t.playerId),
    index("idx_stat_events_applied").on(t.appliedAt).where(sql`${t.appliedAt} is not null`),
  ],
);
