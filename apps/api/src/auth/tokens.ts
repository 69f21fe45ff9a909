import { SignJWT, errors, jwtVerify } from "jose";
import { GameError } from "@echoes/shared";

const ISSUER = "echoes-of-the-ashes";
const AUDIENCE = "echoes-api";

/**
 * Signs and checks bearer tokens (HS256 JWTs naming the player). Verified tokens are kept in a
 * bounded in-memory map until they expire, so the hot path does not re-verify the signature of
 * a token it has already seen.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { playerId: number; expiresAtMs: number }>();

  constructor(
    secret: string,
    private readonly ttlS: number,
    private readonly maxCached = 50_000,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A token for the player, valid for the configured lifetime. */
  async issue(playerId: number): Promise<{ token: string; expiresAt: string }> {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(String(playerId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlS)
      .sign(this.key);
    return { token, expiresAt: new Date((now + this.ttlS) * 1000).toISOString() };
  }

  /** The player a token names; throws `unauthorized` for a forged, expired or malformed token. */
  async verify(token: string): Promise<number> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresAtMs > Date.now()) return hit.playerId;
      this.verified.delete(token);
      throw new GameError("unauthorized", "The token has expired; sign in again.");
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
      const playerId = Number(payload.sub);
      if (!Number.isSafeInteger(playerId) || playerId <= 0 || typeof payload.exp !== "number") throw new Error("bad subject");
      if (this.verified.size >= this.maxCached) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { playerId, expiresAtMs: payload.exp * 1000 });
      return playerId;
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new GameError("unauthorized", "The token has expired; sign in again.");
      throw new GameError("unauthorized", "The token is not valid.");
    }
  }
}
