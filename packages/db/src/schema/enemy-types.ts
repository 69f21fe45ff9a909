import { sql } from "drizzle-orm";
import { check, doublePrecision, integer, jsonb, pgTable, smallint, text } from "drizzle-orm/pg-core";

export const enemyTypes = pgTable(
  "enemy_types",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    maxHp: integer().notNull(),
    xp: integer().notNull(),
    minDanger: smallint().notNull(),
    maxDanger: smallint().notNull(),
    roamChance: doublePrecision().notNull(),
    definition: jsonb().notNull(),
  },
  (t) => [
    check("enemy_types_max_hp_positive", sql`${t.maxHp} > 0`),
    check("enemy_types_danger_range", sql`${t.minDanger} between 1 and ${t.maxDanger} and ${t.maxDanger} <= 5`),
  ],
);
