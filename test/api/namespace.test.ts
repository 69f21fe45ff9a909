import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { freePort } from "@echoes/db/embedded";
import { ConfigError, createRedis } from "@echoes/shared";
import type { RunningApi } from "../../apps/api/src/server";
import { type RedisServer, startRedisServer } from "../../scripts/services";
import { type TestDatabase, createTestDatabase } from "../support/db";
import { TEST_ENV } from "../support/env";
import { deleteKeys, startStandaloneApi } from "../support/game";
import { scratchDir } from "../support/ops";

/**
 * Two games (two databases) must never share a Redis prefix, in the queue Redis or in the cache
 * Redis: their cached views and positions are keyed by ids both databases use.
 */
describe("a Redis prefix belongs to one database", () => {
  const prefix = `t${randomBytes(5).toString("hex")}`;
  const dir = scratchDir("namespace");
  const databases: TestDatabase[] = [];
  const apis: RunningApi[] = [];
  let ownQueue: RedisServer;
  before(async () => {
    for (let i = 0; i < 2; i++) databases.push(await createTestDatabase());
    const client = new pg.Client({ connectionString: databases[1]!.url });
    await client.connect();
    await client.query("update game_instance set id = gen_random_uuid()");
    await client.end();
    ownQueue = await startRedisServer(await freePort(), dir);
  });
  after(async () => {
    for (const api of apis) await api.shutdown().catch(() => undefined);
    await ownQueue?.stop();
    const shared = createRedis({ url: TEST_ENV.redisUrl }, "worker", "test-cleanup");
    await deleteKeys(shared, `${prefix}:*`);
    shared.disconnect();
    await Promise.all(databases.map((db) => db.drop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (db: TestDatabase, queueUrl: string) =>
    startStandaloneApi({ DATABASE_URL: db.url, REDIS_URL: queueUrl, REDIS_CACHE_URL: TEST_ENV.redisUrl, REDIS_PREFIX: prefix });

  it("refuses a second database whose jobs live elsewhere but whose cache would be shared", async () => {
    apis.push(await start(databases[0]!, TEST_ENV.redisUrl));
    await assert.rejects(
      () => start(databases[1]!, ownQueue.url),
      (err: unknown) =>
        err instanceof ConfigError && /REDIS_PREFIX \("t[0-9a-f]+"\): this Redis holds the jobs and cache of another database/.test(err.message),
    );
  });
});
