import { sql } from "drizzle-orm";
import { check, pgTable, smallint, text } from "drizzle-orm/pg-core";

/** Static world data, loaded by the seed from `packages/shared`. */
export const locations = pgTable(
  "locations",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    description: text().notNull(),
    dangerLevel: smallint().notNull(),
    image: text(),
  },
  (t) => [check("locations_danger_level_range", sql`${t.dangerLevel} between 0 and 5`)],
);
