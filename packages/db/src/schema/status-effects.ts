import { sql } from "drizzle-orm";
import { check, integer, pgTable, text } from "drizzle-orm/pg-core";

export const statusEffects = pgTable(
  "status_effects",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    kind: text().notNull(),
    durationTicks: integer().notNull(),
    hpPerTick: integer().notNull(),
    staminaPerTick: integer().notNull(),
  },
  (t) => [check("status_effects_duration_positive", sql`${t.durationTicks} > 0`)],
);
