import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { players } from "./players";
import { items } from "./items";
import { locations } from "./locations";

/** Stacks lying on the ground until someone picks them up or they expire. */
export const droppedItems = pgTable(
  "dropped_items",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    locationId: text()
      .notNull()
      .references(() => locations.id),
    itemId: text()
      .notNull()
      .references(() => items.id),
    quantity: integer().notNull(),
    droppedBy: integer().references(() => players.id, { onDelete: "set null" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    index("idx_dropped_items_location").on(t.locationId),
    // The location view lists the newest stacks first.
    index("idx_dropped_items_location_newest").on(t.locationId, t.id),
    index("idx_dropped_items_expires_at").on(t.expiresAt),
    index("idx_dropped_items_dropped_by").on(t.droppedBy).where(sql`${t.droppedBy} is not null`),
    check("dropped_items_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
