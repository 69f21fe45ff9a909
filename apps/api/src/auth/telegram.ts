import { createHmac, timingSafeEqual } from "node:crypto";
import { GameError } from "@echoes/shared";

export interface TelegramUser {
  id: number;
  username: string | null;
}

/**
 * Checks Telegram Web App `initData` as Telegram documents it: the secret key is
 * HMAC-SHA256("WebAppData", bot token); the expected hash is HMAC-SHA256(secret key, the
 * received fields except `hash`, sorted, as `key=value` lines). Rejects stale `auth_date`.
 */
export function verifyInitData(initData: string, botToken: string, maxAgeS: number, nowS = Math.floor(Date.now() / 1000)): TelegramUser {
  const params = new URLSearchParams(initData);
  const hash = params.get("hash");
  if (!hash || !/^[0-9a-f]{64}$/.test(hash)) throw new GameError("unauthorized", "initData carries no valid hash.");
  const lines = [...params.entries()]
    .filter(([key]) => key !== "hash")
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const expected = createHmac("sha256", secret).update(lines.join("\n")).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, "hex"))) throw new GameError("unauthorized", "initData is not signed by this bot.");

  const authDate = Number(params.get("auth_date"));
  if (!Number.isInteger(authDate) || authDate <= 0) throw new GameError("unauthorized", "initData has no auth_date.");
  if (nowS - authDate > maxAgeS) throw new GameError("unauthorized", "initData is too old; reopen the game from Telegram.");
  if (authDate - nowS > 60) throw new GameError("unauthorized", "initData comes from the future.");

  let user: unknown;
  try {
    user = JSON.parse(params.get("user") ?? "null");
  } catch {
    throw new GameError("bad_request", "initData.user is not JSON.");
  }
  const candidate = user as { id?: unknown; username?: unknown } | null;
  if (!candidate || typeof candidate.id !== "number" || !Number.isSafeInteger(candidate.id) || candidate.id <= 0) {
    throw new GameError("bad_request", "initData carries no Telegram user.");
  }
  const username =
    typeof candidate.username === "string"
      ? candidate.username
          .toLowerCase()
          .replace(/[^a-z0-9_]/g, "")
          .slice(0, 24)
      : "";
  return { id: candidate.id, username: username.length >= 3 ? username : null };
}

/** Signs initData the way Telegram does; for tests and local tools that play a Telegram client. */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const lines = Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  const secret = createHmac("sha256", "WebAppData").update(botToken).digest();
  const hash = createHmac("sha256", secret).update(lines.join("\n")).digest("hex");
  return new URLSearchParams({ ...fields, hash }).toString();
}
