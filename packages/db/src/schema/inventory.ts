import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { players } from "./players";
import { items } from "./items";

/** One stack per player and item. */
export const inventory = pgTable(
  "inventory",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    playerId: integer()
      .notNull()
      .references(() => players.id, { onDelete: "cascade" }),
    itemId: text()
      .notNull()
      .references(() => items.id),
    quantity: integer().notNull(),
  },
  (t) => [
    index("idx_inventory_player_id").on(t.playerId),
    index("idx_inventory_item_id").on(t.itemId),
    uniqueIndex("idx_inventory_player_item").on(t.playerId, t.itemId),
    check("inventory_quantity_positive", sql`${t.quantity} > 0`),
  ],
);
