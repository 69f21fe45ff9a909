import type { RedisClient } from "@echoes/shared";
import type { Group } from "./keys";

/** Stores a value only if no write bumped its group's version since the reader looked it up. */
const FILL_IF_VERSION = `
local v = redis.call('GET', KEYS[2])
if (v == false and ARGV[1] == '') or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/**
 * Invalidates groups: for each, bumps its version (so loads that started before cannot store
 * what they read) and marks it primary-only for a moment if it has such a key; then drops every
 * group's data in one DEL and publishes the groups' ids, so that processes drop their own copies. ARGV: channel, message,
 * version lifetime, primary-window length, then per group its count of data keys and 1 or 0
 * for a primary key; KEYS: per group its version key, its primary key if any, its data keys.
 */
const INVALIDATE = `
local k = 1
local a = 5
local dead = {}
while a <= #ARGV do
  local n = tonumber(ARGV[a])
  redis.call('INCR', KEYS[k])
  redis.call('PEXPIRE', KEYS[k], ARGV[3])
  k = k + 1
  if ARGV[a + 1] == '1' then
    redis.call('SET', KEYS[k], '1', 'PX', ARGV[4])
    k = k + 1
  end
  for _ = 1, n do
    dead[#dead + 1] = KEYS[k]
    k = k + 1
  end
  a = a + 2
end
if #dead > 0 then redis.call('DEL', unpack(dead)) end
if ARGV[2] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return 1`;

type Defined = RedisClient & {
  echoesFillIfVersion(data: string, ver: string, expected: string, value: string | Buffer, ttlMs: number): Promise<number>;
  echoesInvalidate(keyCount: number, ...args: (string | number)[]): Promise<number>;
};

const defined = new WeakSet<RedisClient>();

/** The cache's Lua commands on one Redis connection, each behind a typed function. */
export class CacheScripts {
  private readonly redis: Defined;

  constructor(redis: RedisClient) {
    if (!defined.has(redis)) {
      redis.defineCommand("echoesFillIfVersion", { numberOfKeys: 2, lua: FILL_IF_VERSION });
      redis.defineCommand("echoesInvalidate", { lua: INVALIDATE });
      defined.add(redis);
    }
    this.redis = redis as Defined;
  }

  /** Stores `value` under `data` for `ttlMs` unless `ver` moved on from `expected` (the version the reader saw; "" for none). */
  async fillIfVersion(data: string, ver: string, expected: string, value: string | Buffer, ttlMs: number): Promise<boolean> {
    return (await this.redis.echoesFillIfVersion(data, ver, expected, value, ttlMs)) === 1;
  }

  /**
   * Invalidates `groups` in one atomic call and, when `publish` is given, tells every process
   * which groups changed. `withPrimary` sets the primary-only marks of groups that have one.
   */
  async invalidate(
    groups: readonly Group[],
    options: { versionTtlMs: number; primaryWindowMs: number; publish?: { channel: string; message: string } },
  ): Promise<void> {
    const keys: string[] = [];
    const counts: (string | number)[] = [];
    for (const g of groups) {
      const primary = g.primary !== undefined && options.primaryWindowMs > 0;
      keys.push(g.ver, ...(primary ? [g.primary!] : []), ...g.data);
      counts.push(g.data.length, primary ? "1" : "0");
    }
    await this.redis.echoesInvalidate(
      keys.length,
      ...keys,
      options.publish?.channel ?? "",
      options.publish?.message ?? "",
      options.versionTtlMs,
      options.primaryWindowMs,
      ...counts,
    );
  }
}
