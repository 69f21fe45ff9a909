import { sql } from "drizzle-orm";
import { bigint, check, customType, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { players } from "./players";

const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

/**
 * Emailed one-time tokens (address verification, password reset), kept only as SHA-256 hashes.
 * A token works once (`used_at`) and until `expires_at`. A reset asked for an address that no
 * player verified leaves a row with no player: it can never be used, and it makes both answers
 * cost the same write.
 */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    playerId: integer().references(() => players.id, { onDelete: "cascade" }),
    purpose: text().$type<"verify" | "reset">().notNull(),
    tokenHash: bytea().notNull(),
    /** The address the token was sent to (empty for a row with no player): verifying it verifies this address only. */
    address: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("uq_email_tokens_hash").on(t.tokenHash),
    index("idx_email_tokens_player").on(t.playerId, t.purpose, t.createdAt),
    index("idx_email_tokens_expires_at").on(t.expiresAt),
    check("email_tokens_purpose_known", sql`${t.purpose} in ('verify', 'reset')`),
  ],
);
