import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { items } from "./items";
import { locations } from "./locations";

export const players = pgTable(
  "players",
  {
    id: integer().primaryKey().generatedByDefaultAsIdentity(),
    username: text().notNull(),
    telegramId: bigint({ mode: "number" }),
    /** argon2id PHC string; null for players who only sign in through Telegram. */
    passwordHash: text(),
    hp: integer().notNull(),
    maxHp: integer().notNull(),
    stamina: integer().notNull(),
    maxStamina: integer().notNull(),
    level: integer().notNull().default(1),
    xp: integer().notNull().default(0),
    locationId: text()
      .notNull()
      .references(() => locations.id),
    weaponItemId: text().references(() => items.id),
    armourItemId: text().references(() => items.id),
    /** The fight this player is in; kept on the row so that moves and fight starts serialize on it. */
    combatId: bigint({ mode: "number" }),
    alive: boolean().notNull().default(true),
    diedAt: timestamp({ withTimezone: true }),
    /** The scheduled instant of the last status-effect tick applied to this player: a retried tick skips them. */
    effectsTickedAt: timestamp({ withTimezone: true }),
    /** The same for stamina regeneration. */
    staminaTickedAt: timestamp({ withTimezone: true }),
    /** The player's address as they gave it (domain lower-cased); verified once they used the emailed token. */
    email: text(),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    /** Opt-ins; emails go only to a verified address. */
    notifyDeath: boolean().notNull().default(false),
    notifyDailySummary: boolean().notNull().default(false),
    /** Bearer tokens issued before this instant are refused (set by a password reset). */
    tokensValidAfter: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("idx_players_username").on(t.username),
    uniqueIndex("idx_players_telegram_id").on(t.telegramId),
    index("idx_players_location_id").on(t.locationId),
    // Who stands here: an index-only scan of living players in id order, with their names.
    index("idx_players_location_listing").on(t.locationId, t.id, t.username).where(sql`${t.alive}`),
    index("idx_players_xp").on(t.xp, t.id),
    index("idx_players_level_xp").on(t.level, t.xp, t.id),
    index("idx_players_dead").on(t.diedAt).where(sql`not ${t.alive}`),
    // A verified address belongs to one player: password resets find them by it.
    uniqueIndex("uq_players_verified_email").using("btree", sql`lower(${t.email})`).where(sql`${t.emailVerifiedAt} is not null`),
    index("idx_players_daily_summary").on(t.id).where(sql`${t.notifyDailySummary} and ${t.emailVerifiedAt} is not null`),
    index("idx_players_tokens_valid_after").on(t.tokensValidAfter).where(sql`${t.tokensValidAfter} is not null`),
    check("players_hp_range", sql`${t.hp} between 0 and ${t.maxHp}`),
    check("players_stamina_range", sql`${t.stamina} between 0 and ${t.maxStamina}`),
    check("players_level_range", sql`${t.level} between 1 and 50`),
    check("players_xp_not_negative", sql`${t.xp} >= 0`),
    check("players_dead_have_no_hp", sql`${t.alive} or ${t.hp} = 0`),
    check("players_verified_email_exists", sql`${t.emailVerifiedAt} is null or ${t.email} is not null`),
  ],
);
