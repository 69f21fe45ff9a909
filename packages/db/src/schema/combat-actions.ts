import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { activeCombats } from "./active-combats";
import { players } from "./players";

export const COMBAT_ACTIONS = ["attack", "flee", "use"] as const;
export type CombatActionKind = (typeof COMBAT_ACTIONS)[number];
export const ACTION_STATUSES = ["accepted", "completed", "failed"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/**
 * Every combat action a player sent and the server accepted (202), with its result once a
 * worker applied it. One action per fight and turn; the idempotency key is unique per player.
 */
export const combatActions = pgTable(
  "combat_actions",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    combatId: bigint({ mode: "number" })
      .notNull()
      .references(() => activeCombats.id, { onDelete: "cascade" }),
    playerId: integer()
      .notNull()
      .references(() => players.id, { onDelete: "cascade" }),
    turn: integer().notNull(),
    action: text().$type<CombatActionKind>().notNull(),
    itemId: text(),
    idempotencyKey: text(),
    status: text().$type<ActionStatus>().notNull().default("accepted"),
    result: jsonb(),
    acceptedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("uq_combat_actions_combat_turn").on(t.combatId, t.turn),
    uniqueIndex("uq_combat_actions_idempotency").on(t.playerId, t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index("idx_combat_actions_player_id").on(t.playerId),
    index("idx_combat_actions_pending").on(t.acceptedAt).where(sql`${t.status} = 'accepted'`),
    check("combat_actions_action_known", sql`${t.action} in ('attack', 'flee', 'use')`),
    check("combat_actions_status_known", sql`${t.status} in ('accepted', 'completed', 'failed')`),
    check("combat_actions_use_names_item", sql`(${t.action} = 'use') = (${t.itemId} is not null)`),
    check("combat_actions_result_when_done", sql`(${t.status} = 'accepted') = (${t.result} is null)`),
  ],
);
