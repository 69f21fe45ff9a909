import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, timestamp } from "drizzle-orm/pg-core";
import { players } from "./players";

export { STAT_FIELDS, type StatDeltas, type StatField } from "@echoes/shared";

export const playerStatistics = pgTable(
  "player_statistics",
  {
    playerId: integer()
      .primaryKey()
      .references(() => players.id, { onDelete: "cascade" }),
    kills: integer().notNull().default(0),
    deaths: integer().notNull().default(0),
    damageDealt: bigint({ mode: "number" }).notNull().default(0),
    damageTaken: bigint({ mode: "number" }).notNull().default(0),
    itemsLooted: integer().notNull().default(0),
    distanceTravelled: integer().notNull().default(0),
    xpGained: bigint({ mode: "number" }).notNull().default(0),
    levelUps: integer().notNull().default(0),
    fightsFled: integer().notNull().default(0),
    /** Bumped by every applied event, so leaderboard writes can tell newer standings from older ones. */
    version: bigint({ mode: "number" }).notNull().default(0),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_player_statistics_kills").on(t.kills, t.playerId),
    check("player_statistics_not_negative", sql`least(${t.kills}, ${t.deaths}, ${t.itemsLooted}, ${t.distanceTravelled}, ${t.levelUps}, ${t.fightsFled}) >= 0`),
  ],
);
