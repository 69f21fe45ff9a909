import { sql } from "drizzle-orm";
import { check, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";

export const items = pgTable(
  "items",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    kind: text().notNull(),
    weightGrams: integer().notNull(),
    value: integer().notNull(),
    /** The full definition from packages/shared, for reporting. */
    definition: jsonb().notNull(),
  },
  (t) => [
    check("items_kind_known", sql`${t.kind} in ('weapon', 'armour', 'consumable', 'material', 'junk')`),
    check("items_weight_positive", sql`${t.weightGrams} > 0`),
    check("items_value_not_negative", sql`${t.value} >= 0`),
  ],
);
