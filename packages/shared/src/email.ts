import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** What an email in the outbox is about. */
export const EMAIL_KINDS = ["verify", "reset", "death", "summary"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** The notifications a player opts into, each with its own unsubscribe link. */
export const EMAIL_LISTS = ["death", "dailySummary"] as const;
export type EmailList = (typeof EMAIL_LISTS)[number];

/** How long an emailed token works. */
export const TOKEN_LIFETIME_S = { verify: 24 * 3600, reset: 30 * 60 } as const;

/** The key behind every email token, unsubscribe link and address digest, derived from the server secret. */
export function emailKey(serverSecret: string): Buffer {
  return createHmac("sha256", serverSecret).update("echoes-of-the-ashes/email").digest();
}

/** A new token's seed: 256 random bits. The seed is what the outbox keeps; it is useless without the server key. */
export function newTokenSeed(): string {
  return randomBytes(32).toString("base64url");
}

/** The token a seed stands for (HMAC-SHA256 under the email key), as it appears in an email. */
export function tokenFromSeed(key: Buffer, seed: string): string {
  return createHmac("sha256", key).update(`token:${seed}`).digest("base64url");
}

/** What the database keeps of a token: its SHA-256. */
export function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/** An address as a rate-limit key or log field: an HMAC, so neither Redis nor a log holds the address. */
export function addressDigest(key: Buffer, address: string): string {
  return createHmac("sha256", key).update(`address:${address.toLowerCase()}`).digest("base64url").slice(0, 32);
}

const unsubscribeMac = (key: Buffer, playerId: number, list: EmailList) =>
  createHmac("sha256", key).update(`unsubscribe:${playerId}:${list}`).digest("base64url");

/**
 * The token of a one-click unsubscribe link: `<player>.<list>.<HMAC>`. It stays valid (a link in
 * an old email must work), and nobody without the server key can make one.
 *
 * @example
 * unsubscribeToken(key, 42, "death") // "42.death.3q2-…"
 */
export function unsubscribeToken(key: Buffer, playerId: number, list: EmailList): string {
  return `${playerId}.${list}.${unsubscribeMac(key, playerId, list)}`;
}

/** Reads an unsubscribe token back; null when it is malformed or its HMAC is not ours. */
export function readUnsubscribeToken(key: Buffer, token: string): { playerId: number; list: EmailList } | null {
  const match = /^(\d{1,10})\.([A-Za-z]{1,20})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const playerId = Number(match[1]);
  const list = match[2] as EmailList;
  if (!Number.isSafeInteger(playerId) || playerId <= 0 || !EMAIL_LISTS.includes(list)) return null;
  const expected = Buffer.from(unsubscribeMac(key, playerId, list));
  const given = Buffer.from(match[3]!);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { playerId, list } : null;
}

/** The pages an email links to (PUBLIC_URL + path + `?token=`): the API serves them, the worker writes the links. */
export const EMAIL_LINKS = {
  verify: "/v1/auth/email/verify",
  reset: "/v1/auth/password-reset/confirm",
  unsubscribe: "/v1/email/unsubscribe",
} as const;

/** A link from an email to one of the game's pages. */
export function emailLink(publicUrl: string, page: keyof typeof EMAIL_LINKS, token: string): string {
  return `${publicUrl}${EMAIL_LINKS[page]}?token=${encodeURIComponent(token)}`;
}
