import { SignJWT, errors, jwtVerify } from "jose";
import { GameError } from "@echoes/shared";

const ISSUER = "echoes-of-the-ashes";
const AUDIENCE = "echoes-api";

/** Instants before which a player's tokens are refused (a password reset sets one). */
export interface RevocationList {
  /** False until the list is known; no token is accepted before. */
  readonly loaded: boolean;
  validAfterMs(playerId: number): number | undefined;
}

/**
 * Signs and checks bearer tokens (HS256 JWTs naming the player, issued at a millisecond).
 * Verified tokens are kept in a bounded in-memory map until they expire, so the hot path does
 * not re-verify the signature of a token it has already seen; a token issued before its
 * player's revocation instant is refused, cached or not.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { playerId: number; issuedAtMs: number; expiresAtMs: number }>();

  constructor(
    secret: string,
    private readonly ttlS: number,
    private readonly revocations: RevocationList = { loaded: true, validAfterMs: () => undefined },
    private readonly maxCached = 50_000,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A token for the player, valid for the configured lifetime. */
  async issue(playerId: number): Promise<{ token: string; expiresAt: string }> {
    const nowMs = Date.now();
    const exp = Math.floor(nowMs / 1000) + this.ttlS;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(String(playerId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      // A fractional NumericDate (RFC 7519 allows it): a reset refuses exactly the tokens issued before it.
      .setIssuedAt(nowMs / 1000)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The player a token names; throws `unauthorized` for a forged, expired, revoked or malformed token. */
  async verify(token: string): Promise<number> {
    const hit = this.verified.get(token);
    if (hit) {
      if (hit.expiresAtMs <= Date.now()) {
        this.verified.delete(token);
        throw new GameError("unauthorized", "The token has expired; sign in again.");
      }
      return this.unrevoked(hit.playerId, hit.issuedAtMs);
    }
    let entry: { playerId: number; issuedAtMs: number; expiresAtMs: number };
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"], issuer: ISSUER, audience: AUDIENCE });
      const playerId = Number(payload.sub);
      if (!Number.isSafeInteger(playerId) || playerId <= 0 || typeof payload.exp !== "number") throw new Error("bad subject");
      entry = { playerId, issuedAtMs: typeof payload.iat === "number" ? Math.round(payload.iat * 1000) : 0, expiresAtMs: payload.exp * 1000 };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new GameError("unauthorized", "The token has expired; sign in again.");
      throw new GameError("unauthorized", "The token is not valid.");
    }
    if (this.verified.size >= this.maxCached) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, entry);
    return this.unrevoked(entry.playerId, entry.issuedAtMs);
  }

  private unrevoked(playerId: number, issuedAtMs: number): number {
    if (!this.revocations.loaded) throw new GameError("unavailable", "Sign-ins cannot be checked until the game database answers; try again shortly.");
    const validAfterMs = this.revocations.validAfterMs(playerId);
    if (validAfterMs !== undefined && issuedAtMs < validAfterMs) {
      throw new GameError("unauthorized", "The password was reset after this token was issued; sign in again.");
    }
    return playerId;
  }
}
