import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { EmailKind } from "@echoes/shared";
import { players } from "./players";

/**
 * Every email the game promised, written in the same transaction as what causes it. The email
 * queue sends each row and marks it sent; the sweeper queues again a row whose job was lost.
 * `message_id` names the row in its Message-ID header, so every try of one row carries the
 * same one. `data` holds what the template needs (for a token email, the token's seed, which
 * only the server key turns into the token); it is emptied of the seed once the email is sent.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    messageId: uuid().notNull().defaultRandom(),
    kind: text().$type<EmailKind>().notNull(),
    playerId: integer()
      .notNull()
      .references(() => players.id, { onDelete: "cascade" }),
    /** The address when the email was promised. */
    address: text().notNull(),
    /** At most one email per key (a death per fight, a summary per player and day). */
    dedupeKey: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    attempts: integer().notNull().default(0),
    /** When the next try is due; the sweeper looks for rows long past it. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The last failure, as the SMTP server's code and a category: never an address. */
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    /** Given up: the server refused it for good, or every try failed. */
    failedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("uq_email_outbox_message_id").on(t.messageId),
    uniqueIndex("uq_email_outbox_dedupe_key").on(t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
    index("idx_email_outbox_player_id").on(t.playerId),
    index("idx_email_outbox_due").on(t.nextAttemptAt).where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
    index("idx_email_outbox_done").on(t.createdAt).where(sql`${t.sentAt} is not null or ${t.failedAt} is not null`),
    check("email_outbox_kind_known", sql`${t.kind} in ('verify', 'reset', 'death', 'summary')`),
    check("email_outbox_sent_or_failed", sql`${t.sentAt} is null or ${t.failedAt} is null`),
  ],
);
