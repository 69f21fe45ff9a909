import { type EmailKind, type EmailList, GameError } from "@echoes/shared";
import type { Database } from "../client";
import { pgErrorCode } from "../client";
import { run, statement } from "../statement";
import { PLAYER_COLUMNS, type PlayerView, STATUS_EFFECTS_JSON } from "./players";

/** The player as they see themselves: the view everyone gets, with their address and opt-ins. */
export interface PlayerAccount extends PlayerView {
  email: string | null;
  emailVerified: boolean;
  notifications: { death: boolean; dailySummary: boolean };
}

const accountStatement = statement<PlayerAccount, [playerId: number]>(
  "player_account",
  `select ${PLAYER_COLUMNS}, ${STATUS_EFFECTS_JSON}, p.email, p.email_verified_at is not null as "emailVerified",
     json_build_object('death', p.notify_death, 'dailySummary', p.notify_daily_summary) as notifications
   from players p where p.id = $1`,
);

/** The player with status effects, address and opt-ins, in one query; null when the player does not exist. */
export async function getPlayerAccount(database: Database, playerId: number): Promise<PlayerAccount | null> {
  const [row] = await run(database, database.primary, accountStatement, [playerId]);
  return row ?? null;
}

/** A token to be emailed: its hash (kept) and its seed (kept in the outbox until the email is sent). */
export interface NewEmailToken {
  hash: Buffer;
  seed: string;
  lifetimeS: number;
}

// Locks the player, stores the new address unverified (unless it is the verified one already),
// retires earlier verification tokens and unsent verification emails, and promises a new one.
const setAddressStatement = statement<
  { playerId: number; outboxId: number | null; alreadyVerified: boolean },
  [playerId: number, address: string, tokenHash: Buffer, tokenSeed: string, lifetimeS: number]
>(
  "set_email_address",
  `with me as (
     select id, email, email_verified_at from players where id = $1 for no key update
   ), changed as (
     update players p set email = $2, email_verified_at = null, updated_at = now()
     from me where p.id = me.id and not (me.email is not distinct from $2 and me.email_verified_at is not null)
     returning p.id
   ), retired as (
     update email_tokens set used_at = now()
     where player_id = $1 and purpose = 'verify' and used_at is null and exists (select 1 from changed)
   ), unsent as (
     delete from email_outbox where player_id = $1 and kind = 'verify' and sent_at is null and exists (select 1 from changed)
   ), token as (
     insert into email_tokens (player_id, purpose, token_hash, address, expires_at)
     select id, 'verify', $3, $2, now() + make_interval(secs => $5) from changed
     returning id
   ), mail as (
     insert into email_outbox (kind, player_id, address, data)
     select 'verify', $1, $2, jsonb_build_object('seed', $4::text) from token
     returning id
   )
   select me.id as "playerId", (select id from mail) as "outboxId", me.email_verified_at is not null and me.email = $2 as "alreadyVerified"
   from me`,
);

/**
 * Gives a player a new, unverified address and promises the verification email, in one
 * statement. Returns the outbox row to send (null when the address was verified already), or
 * null when the player does not exist.
 */
export async function setEmailAddress(
  database: Database,
  playerId: number,
  address: string,
  token: NewEmailToken,
): Promise<{ outboxId: number | null; alreadyVerified: boolean } | null> {
  const [row] = await run(database, database.primary, setAddressStatement, [playerId, address, token.hash, token.seed, token.lifetimeS]);
  return row ? { outboxId: row.outboxId, alreadyVerified: row.alreadyVerified } : null;
}

const verifyStatement = statement<{ playerId: number; email: string }, [tokenHash: Buffer]>(
  "verify_email_address",
  `with token as (
     update email_tokens set used_at = now()
     where token_hash = $1 and purpose = 'verify' and used_at is null and expires_at > now()
     returning player_id, address
   )
   update players p set email_verified_at = now(), updated_at = now()
   from token t where p.id = t.player_id and p.email = t.address
   returning p.id as "playerId", p.email`,
);

/**
 * Uses a verification token: the address it was sent to becomes verified, if it is still the
 * player's. Null for an unknown, used or expired token. Throws `conflict` when another player
 * verified that address first (the token stays unused).
 */
export async function verifyEmailAddress(database: Database, hash: Buffer): Promise<{ playerId: number; email: string } | null> {
  try {
    const [row] = await run(database, database.primary, verifyStatement, [hash]);
    return row ?? null;
  } catch (err) {
    if (pgErrorCode(err) === "23505") throw new GameError("conflict", "Another player has verified this address.");
    throw err;
  }
}

// The same statement runs, and writes one token row, whether or not the address is known, so
// both answers take the same time; a player's resets beyond $5 per $6 seconds get a token row
// with no player and no email, without a sign.
const resetRequestStatement = statement<
  { outboxId: number },
  [address: string, tokenHash: Buffer, tokenSeed: string, lifetimeS: number, perPlayer: number, windowS: number]
>(
  "request_password_reset",
  `with allowed as (
     select p.id, p.email from players p
     where lower(p.email) = lower($1) and p.email_verified_at is not null
       and (select count(*) from email_tokens t
            where t.player_id = p.id and t.purpose = 'reset' and t.created_at > now() - make_interval(secs => $6)) < $5
   ), token as (
     insert into email_tokens (player_id, purpose, token_hash, address, expires_at)
     select (select id from allowed), 'reset', $2, coalesce((select email from allowed), ''), now() + make_interval(secs => $4)
     returning player_id, address
   ), mail as (
     insert into email_outbox (kind, player_id, address, data)
     select 'reset', player_id, address, jsonb_build_object('seed', $3::text) from token where player_id is not null
     returning id
   )
   select id as "outboxId" from mail`,
);

/**
 * Promises a reset email to the player whose verified address this is, if any, unless they had
 * `perPlayer` resets in the last `windowS` seconds. Returns the outbox row, or null.
 */
export async function requestPasswordReset(
  database: Database,
  address: string,
  token: NewEmailToken,
  limit: { perPlayer: number; windowS: number },
): Promise<number | null> {
  const [row] = await run(database, database.primary, resetRequestStatement, [
    address,
    token.hash,
    token.seed,
    token.lifetimeS,
    limit.perPlayer,
    limit.windowS,
  ]);
  return row?.outboxId ?? null;
}

const resetConfirmStatement = statement<{ playerId: number; username: string }, [tokenHash: Buffer, passwordHash: string, validAfter: Date]>(
  "confirm_password_reset",
  `with token as (
     update email_tokens set used_at = now()
     where token_hash = $1 and purpose = 'reset' and used_at is null and expires_at > now()
     returning player_id
   ), others as (
     update email_tokens set used_at = now()
     where purpose = 'reset' and used_at is null and token_hash <> $1 and player_id in (select player_id from token)
   )
   update players p set password_hash = $2, tokens_valid_after = $3, updated_at = now()
   from token t where p.id = t.player_id
   returning p.id as "playerId", p.username`,
);

/**
 * Uses a reset token: sets the new password hash and refuses every bearer token issued before
 * `validAfter`; the player's other reset tokens stop working too. Null for an unknown, used or
 * expired token.
 */
export async function confirmPasswordReset(
  database: Database,
  hash: Buffer,
  passwordHash: string,
  validAfter: Date,
): Promise<{ playerId: number; username: string } | null> {
  const [row] = await run(database, database.primary, resetConfirmStatement, [hash, passwordHash, validAfter]);
  return row ?? null;
}

const revocationsStatement = statement<{ playerId: number; validAfterMs: number }, [since: Date, limit: number]>(
  "token_revocations_since",
  `select id as "playerId", (extract(epoch from tokens_valid_after) * 1000)::bigint as "validAfterMs"
   from players where tokens_valid_after > $1 order by tokens_valid_after limit $2`,
);

/** Players whose bearer tokens issued before some instant after `since` are refused, oldest first. */
export function tokenRevocationsSince(database: Database, since: Date, limit: number): Promise<{ playerId: number; validAfterMs: number }[]> {
  return run(database, database.primary, revocationsStatement, [since, limit]);
}

export interface NotificationSettings {
  death: boolean;
  dailySummary: boolean;
}

const notificationsStatement = statement<NotificationSettings, [playerId: number, death: boolean | null, dailySummary: boolean | null]>(
  "set_notifications",
  `with settings as (
     update players set notify_death = coalesce($2, notify_death), notify_daily_summary = coalesce($3, notify_daily_summary), updated_at = now()
     where id = $1
     returning notify_death, notify_daily_summary
   ), dropped as (
     delete from email_outbox where player_id = $1 and sent_at is null and failed_at is null
       and ((kind = 'death' and $2 = false) or (kind = 'summary' and $3 = false))
   )
   select notify_death as death, notify_daily_summary as "dailySummary" from settings`,
);

/** Changes a player's opt-ins (unset ones stay); an opt-out drops that kind's unsent emails. Null when the player does not exist. */
export async function setNotifications(database: Database, playerId: number, changes: Partial<NotificationSettings>): Promise<NotificationSettings | null> {
  const [row] = await run(database, database.primary, notificationsStatement, [playerId, changes.death ?? null, changes.dailySummary ?? null]);
  return row ?? null;
}

/** Opts a player out of one list (a one-click unsubscribe); null when the player does not exist. */
export function unsubscribe(database: Database, playerId: number, list: EmailList): Promise<NotificationSettings | null> {
  return setNotifications(database, playerId, list === "death" ? { death: false } : { dailySummary: false });
}

/** An outbox row with what sending it needs to know about its player. */
export interface OutboxEmail {
  id: number;
  messageId: string;
  kind: EmailKind;
  playerId: number;
  username: string;
  address: string;
  data: Record<string, unknown>;
  attempts: number;
  sent: boolean;
  failed: boolean;
}

const loadOutboxStatement = statement<OutboxEmail, [outboxId: number]>(
  "load_outbox_email",
  `select o.id, o.message_id as "messageId", o.kind, o.player_id as "playerId", p.username, o.address, o.data, o.attempts,
     o.sent_at is not null as sent, o.failed_at is not null as failed
   from email_outbox o join players p on p.id = o.player_id where o.id = $1`,
);

/** One outbox row; null when it is gone (its player was deleted, or it was dropped). */
export async function loadOutboxEmail(database: Database, outboxId: number): Promise<OutboxEmail | null> {
  const [row] = await run(database, database.primary, loadOutboxStatement, [outboxId]);
  return row ?? null;
}

const markSentStatement = statement<Record<string, never>, [outboxId: number]>(
  "mark_email_sent",
  `update email_outbox set sent_at = now(), attempts = attempts + 1, last_error = null, data = data - 'seed'
   where id = $1 and sent_at is null`,
);

/** Records that the SMTP server accepted the email, and forgets the token seed it carried. */
export async function markEmailSent(database: Database, outboxId: number): Promise<void> {
  await run(database, database.primary, markSentStatement, [outboxId]);
}

const markFailedStatement = statement<Record<string, never>, [outboxId: number, error: string, retryInMs: number, final: boolean]>(
  "mark_email_failed",
  `update email_outbox set attempts = attempts + 1, last_error = $2,
     next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
     failed_at = case when $4 then now() end
   where id = $1 and sent_at is null`,
);

/** Records a failed try: when the next one is due, or (`final`) that there will be none. */
export async function markEmailFailed(database: Database, outboxId: number, error: string, retryInMs: number, final: boolean): Promise<void> {
  await run(database, database.primary, markFailedStatement, [outboxId, error, retryInMs, final]);
}

const summariesStatement = statement<
  { last: number | null; scanned: number; outboxIds: number[] },
  [from: Date, until: Date, day: string, afterPlayerId: number, limit: number]
>(
  "write_daily_summaries",
  `with candidates as (
     select id, email from players
     where notify_daily_summary and email_verified_at is not null and id > $4
     order by id limit $5
   ), day as (
     select c.id, c.email,
       coalesce(sum((e.deltas->>'kills')::bigint), 0) as kills,
       coalesce(sum((e.deltas->>'damageDealt')::bigint), 0) as "damageDealt",
       coalesce(sum((e.deltas->>'xpGained')::bigint), 0) as "xpGained",
       coalesce(sum((e.deltas->>'itemsLooted')::bigint), 0) as "itemsLooted"
     from candidates c join stat_events e on e.player_id = c.id and e.created_at >= $1 and e.created_at < $2
     group by c.id, c.email
   ), mail as (
     insert into email_outbox (kind, player_id, address, dedupe_key, data)
     select 'summary', id, email, 'summary-' || id || '-' || $3::text,
       jsonb_build_object('day', $3::text, 'kills', kills, 'damageDealt', "damageDealt", 'xpGained', "xpGained", 'itemsLooted', "itemsLooted")
     from day
     on conflict (dedupe_key) where dedupe_key is not null do nothing
     returning id
   )
   select (select max(id) from candidates) as last, (select count(*) from candidates)::int as scanned,
     coalesce((select array_agg(id order by id) from mail), '{}') as "outboxIds"`,
);

/**
 * Promises a summary of `[from, until)` to every opted-in player with a verified address who
 * played then (has statistics events in it), once per player and `day`. Walks the players in
 * batches; returns the outbox rows written (none for a day already summarised).
 */
export async function writeDailySummaries(database: Database, window: { from: Date; until: Date; day: string }, batch: number): Promise<number[]> {
  const written: number[] = [];
  let cursor = 0;
  for (;;) {
    const [page] = await run(database, database.primary, summariesStatement, [window.from, window.until, window.day, cursor, batch]);
    if (!page || page.last === null) break;
    written.push(...page.outboxIds.map(Number));
    cursor = page.last;
    if (page.scanned < batch) break;
  }
  return written;
}

const pruneTokensStatement = statement<{ "?column?": number }, [limit: number]>(
  "prune_email_tokens",
  `delete from email_tokens where id in (select id from email_tokens where expires_at < now() - interval '1 day' order by expires_at limit $1) returning 1`,
);
const pruneOutboxStatement = statement<{ "?column?": number }, [limit: number, keepDays: number]>(
  "prune_email_outbox",
  `delete from email_outbox where id in (
     select id from email_outbox where (sent_at is not null or failed_at is not null) and created_at < now() - make_interval(days => $2)
     order by created_at limit $1)
   returning 1`,
);

/** Deletes tokens a day past their expiry and emails sent or given up more than `keepDays` ago, in bounded batches. */
export async function pruneEmail(database: Database, batch: number, keepDays: number): Promise<number> {
  const tokens = await run(database, database.primary, pruneTokensStatement, [batch]);
  const emails = await run(database, database.primary, pruneOutboxStatement, [batch, keepDays]);
  return tokens.length + emails.length;
}
