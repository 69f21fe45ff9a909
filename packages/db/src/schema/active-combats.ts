import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { players } from "./players";
import { wanderingEnemies } from "./wandering-enemies";
import { enemyTypes } from "./enemy-types";
import { locations } from "./locations";
import { bytea, randomSecret } from "./secret";

export const COMBAT_STATUSES = ["active", "won", "lost", "fled"] as const;
export type CombatStatus = (typeof COMBAT_STATUSES)[number];

/** Fights, current and finished. `turn` is the turn awaiting resolution. */
export const activeCombats = pgTable(
  "active_combats",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    playerId: integer()
      .notNull()
      .references(() => players.id, { onDelete: "cascade" }),
    enemyId: bigint({ mode: "number" }).references(() => wanderingEnemies.id, { onDelete: "set null" }),
    enemyTypeId: text()
      .notNull()
      .references(() => enemyTypes.id),
    locationId: text()
      .notNull()
      .references(() => locations.id),
    turn: integer().notNull().default(1),
    status: text().$type<CombatStatus>().notNull().default("active"),
    damageDealt: integer().notNull().default(0),
    damageTaken: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
    lootRolledAt: timestamp({ withTimezone: true }),
    /** The fight's secret seed: every roll of its turns and its loot is keyed by it. Never leaves the database and the worker. */
    seed: bytea().notNull().default(randomSecret),
  },
  (t) => [
    index("idx_active_combats_player_id").on(t.playerId),
    index("idx_active_combats_enemy_id").on(t.enemyId),
    uniqueIndex("uq_active_combats_player_fighting").on(t.playerId).where(sql`${t.status} = 'active'`),
    uniqueIndex("uq_active_combats_enemy_fighting").on(t.enemyId).where(sql`${t.status} = 'active'`),
    index("idx_active_combats_loot_pending").on(t.endedAt).where(sql`${t.status} = 'won' and ${t.lootRolledAt} is null`),
    check("active_combats_status_known", sql`${t.status} in ('active', 'won', 'lost', 'fled')`),
    check("active_combats_turn_positive", sql`${t.turn} > 0`),
    check("active_combats_ended_when_over", sql`(${t.status} = 'active') = (${t.endedAt} is null)`),
  ],
);
