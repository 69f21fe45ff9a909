import { sql } from "drizzle-orm";
import { check, pgTable, primaryKey, smallint, text } from "drizzle-orm/pg-core";
import { locations } from "./locations";

export const locationExits = pgTable(
  "location_exits",
  {
    fromId: text()
      .notNull()
      .references(() => locations.id, { onDelete: "cascade" }),
    direction: text().notNull(),
    toId: text()
      .notNull()
      .references(() => locations.id, { onDelete: "cascade" }),
    staminaCost: smallint().notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromId, t.direction] }), check("location_exits_stamina_cost_positive", sql`${t.staminaCost} > 0`)],
);
