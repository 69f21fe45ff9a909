import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import type { ActiveEffect } from "@echoes/shared";
import { enemyTypes } from "./enemy-types";
import { locations } from "./locations";

export const wanderingEnemies = pgTable(
  "wandering_enemies",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    enemyTypeId: text()
      .notNull()
      .references(() => enemyTypes.id),
    locationId: text()
      .notNull()
      .references(() => locations.id),
    hp: integer().notNull(),
    maxHp: integer().notNull(),
    effects: jsonb().$type<ActiveEffect[]>().notNull().default([]),
    /** The fight this enemy is in; roaming and new fights skip engaged enemies. */
    combatId: bigint({ mode: "number" }),
    spawnedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    diedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("idx_wandering_enemies_location").on(t.locationId),
    // The location view lists a place's living enemies in id order, a few at a time: without this,
    // the planner walks the primary key and filters, which costs the whole table at a quiet place.
    index("idx_wandering_enemies_location_living").on(t.locationId, t.id).where(sql`${t.diedAt} is null`),
    index("idx_wandering_enemies_dead").on(t.diedAt).where(sql`${t.diedAt} is not null`),
    check("wandering_enemies_hp_range", sql`${t.hp} between 0 and ${t.maxHp}`),
    check("wandering_enemies_dead_have_no_hp", sql`${t.diedAt} is null or ${t.hp} = 0`),
  ],
);
