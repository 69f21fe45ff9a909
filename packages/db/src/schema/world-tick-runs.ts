import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * World ticks that committed, by task and scheduler slot. A tick that runs in one transaction
 * records itself there first, so a run of the same slot again (a retry, a stalled job) finds
 * the row and does nothing, while a run that rolled back left no row and is made again, with
 * the same rolls.
 */
export const worldTickRuns = pgTable(
  "world_tick_runs",
  {
    task: text().notNull(),
    slot: timestamp({ withTimezone: true }).notNull(),
    doneAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.task, t.slot] })],
);
