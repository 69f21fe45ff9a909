import { sql } from "drizzle-orm";
import { check, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { players } from "./players";
import { statusEffects } from "./status-effects";

export const playerStatusEffects = pgTable(
  "player_status_effects",
  {
    playerId: integer()
      .notNull()
      .references(() => players.id, { onDelete: "cascade" }),
    effectId: text()
      .notNull()
      .references(() => statusEffects.id),
    remainingTicks: integer().notNull(),
    appliedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.playerId, t.effectId] }), check("player_status_effects_ticks_positive", sql`${t.remainingTicks} > 0`)],
);
