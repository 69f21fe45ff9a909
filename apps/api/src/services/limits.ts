import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { GameError, type RedisClient } from "@echoes/shared";

export interface LimitSettings {
  prefix: string;
  actions: number;
  windowS: number;
  loginFailures: number;
  loginLockS: number;
  emailPerPlayer: number;
  emailPerAddress: number;
  emailWindowS: number;
}

/** What an email limit counts: verification emails a player asks for, or emails to one address (by its digest), of each kind. */
export type EmailLimit = "verify-player" | "verify-address" | "reset-address";

/**
 * Per-player action limits, per-username login lockouts and email limits, counted in Redis so that every
 * API process shares them; while Redis is unreachable each process counts in memory instead.
 */
export class Limits {
  private readonly actions: RateLimiterRedis;
  private readonly logins: RateLimiterRedis;
  private readonly emails: Record<EmailLimit, RateLimiterRedis>;

  constructor(redis: RedisClient, settings: LimitSettings) {
    const emailLimiter = (limit: EmailLimit, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${settings.prefix}:rl:email-${limit}`,
        points,
        duration: settings.emailWindowS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: settings.emailWindowS }),
      });
    this.emails = {
      "verify-player": emailLimiter("verify-player", settings.emailPerPlayer),
      "verify-address": emailLimiter("verify-address", settings.emailPerAddress),
      "reset-address": emailLimiter("reset-address", settings.emailPerAddress),
    };
    this.actions = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${settings.prefix}:rl:actions`,
      points: settings.actions,
      duration: settings.windowS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: settings.actions, duration: settings.windowS }),
    });
    this.logins = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${settings.prefix}:rl:login`,
      points: settings.loginFailures,
      duration: settings.loginLockS,
      blockDuration: settings.loginLockS,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ points: settings.loginFailures, duration: settings.loginLockS, blockDuration: settings.loginLockS }),
    });
  }

  /** Counts one action of a player; throws `rate_limited` (429 with Retry-After) past the limit. */
  async spendAction(playerId: number): Promise<void> {
    try {
      await this.actions.consume(String(playerId));
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfterS = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new GameError("rate_limited", `Too many actions; wait ${retryAfterS} s.`, { retryAfterS });
      }
      throw err;
    }
  }

  /**
   * Counts a login attempt for a username before the password is checked, so that a burst of
   * parallel guesses cannot all slip past the limit; refuses (429) once the limit is spent.
   * A successful login clears the count.
   */
  async beginLogin(username: string): Promise<void> {
    try {
      await this.logins.consume(username);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfterS = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new GameError("too_many_login_attempts", `Too many failed logins for this account; try again in ${retryAfterS} s.`, { retryAfterS });
      }
      throw err;
    }
  }

  /**
   * Counts one email of a kind for a player id or an address digest (never the address itself);
   * throws `rate_limited` (429 with Retry-After) past the limit.
   */
  async spendEmail(limit: EmailLimit, key: string): Promise<void> {
    try {
      await this.emails[limit].consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfterS = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        throw new GameError("rate_limited", `Too many emails asked for; try again in ${retryAfterS} s.`, { retryAfterS });
      }
      throw err;
    }
  }

  /** Clears the failures of a username after a successful login. */
  async loginSucceeded(username: string): Promise<void> {
    await this.logins.delete(username).catch(() => undefined);
  }
}
