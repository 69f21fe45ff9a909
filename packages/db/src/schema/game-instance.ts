import { sql } from "drizzle-orm";
import { boolean, check, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { bytea, randomSecret } from "./secret";

/**
 * The one row naming this database. What Redis holds (jobs, cached views, leaderboards) is about
 * one database; processes compare this id with the one recorded under their Redis prefix, so two
 * databases never share a namespace. A copy of the database (dump, template) keeps the id.
 */
export const gameInstance = pgTable(
  "game_instance",
  {
    id: uuid().primaryKey().defaultRandom(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    singleton: boolean().notNull().default(true).unique("game_instance_one_row"),
    /** The deployment's secret: world ticks (spawns, roaming, scattered loot) roll with it, so no client can foresee them. */
    secret: bytea().notNull().default(randomSecret),
  },
  (t) => [check("game_instance_singleton", sql`${t.singleton}`)],
);
