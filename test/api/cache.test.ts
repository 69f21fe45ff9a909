import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TEST_ENV } from "../support/env";
import { TestGame } from "../support/game";

const SPOT = "maple-row";

describe("the location cache", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "100000", LOCATION_CACHE_TTL_MS: "60000" } });
  });
  after(() => game.close());

  it("costs one database round trip on a miss and none on a hit", async () => {
    const [p] = await game.createPlayers(1, SPOT);
    const cold = game.apiStatements.primary + game.apiStatements.replica;
    const first = await game.call("GET", "/v1/location", { token: p!.token });
    const afterMiss = game.apiStatements.primary + game.apiStatements.replica;
    assert.equal(first.status, 200);
    assert.equal(afterMiss - cold, 1, "a cold read (player and view unknown) is one query");
    await game.cache.invalidate({ locations: [SPOT] });
    const beforeViewMiss = afterMiss;
    await game.call("GET", "/v1/location", { token: p!.token });
    const afterViewMiss = game.apiStatements.primary + game.apiStatements.replica;
    assert.equal(afterViewMiss - beforeViewMiss, 1, "a view miss is one query");
    for (let i = 0; i < 5; i++) {
      const hit = await game.call("GET", "/v1/location", { token: p!.token });
      assert.deepEqual(hit.body, first.body);
    }
    assert.equal(game.apiStatements.primary + game.apiStatements.replica - afterViewMiss, 0, "hits do not touch the database");
  });

  it("200 concurrent misses for one location cause one query", async () => {
    const players = await game.createPlayers(200, "withered-orchard");
    await Promise.all(players.map((p) => game.call("GET", "/v1/location", { token: p.token })));
    await game.cache.invalidate({ locations: ["withered-orchard"] });
    const before = game.apiStatements.primary + game.apiStatements.replica;
    const results = await Promise.all(players.map((p) => game.call("GET", "/v1/location", { token: p.token })));
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(game.apiStatements.primary + game.apiStatements.replica - before, 1);
    assert.equal(new Set(results.map((r) => JSON.stringify(r.body))).size, 1);
  });

  it("a player reads their own writes: a drop shows on the next view, with the cache on", async () => {
    const { token } = await game.register();
    const warm = await game.call("GET", "/v1/location", { token });
    const dropped = await game.call("POST", "/v1/drop", { token, body: { items: [{ itemId: "purified-water", quantity: 1 }] } });
    assert.equal(dropped.status, 200);
    const next = await game.call("GET", "/v1/location", { token });
    const stackId = dropped.body.stacks[0].id;
    assert.ok(!warm.body.items.some((i: any) => i.id === stackId));
    assert.ok(next.body.items.some((i: any) => i.id === stackId && i.itemId === "purified-water"));
  });

  it("a pickup and a move show on the next view too", async () => {
    const { token, player } = await game.register();
    const [{ id: stack }] = await game.sql(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) values ('cinderhold-square', 'empty-bottle', 1, now() + interval '1 hour') returning id",
    );
    await game.cache.invalidate({ locations: ["cinderhold-square"] });
    assert.ok((await game.call("GET", "/v1/location", { token })).body.items.some((i: any) => i.id === stack));
    assert.equal((await game.call("POST", "/v1/pickup", { token, body: { items: [{ id: stack }] } })).status, 200);
    assert.ok(!(await game.call("GET", "/v1/location", { token })).body.items.some((i: any) => i.id === stack));
    const moved = await game.call("POST", "/v1/move", { token, body: { direction: "north" } });
    const view = await game.call("GET", "/v1/location", { token });
    assert.equal(view.body.location.id, moved.body.to);
    assert.ok(view.body.players.some((p: any) => p.id === player.id));
  });

  it("serves its own copy of a view while Redis still holds that fill, and the new view after a write", {
    skip: TEST_ENV.redisClusterNodes ? "on a Redis Cluster the position and the view are read in two steps, without a copy" : false,
  }, async () => {
    const [p] = await game.createPlayers(1, "rusty-tankard");
    const cache = game.api.deps.cache;
    const neverLoaded = async (): Promise<never> => {
      throw new Error("the view should come from the cache");
    };
    // The first read learns where the player is, the second fills the view.
    for (let i = 0; i < 2; i++) await game.call("GET", "/v1/location", { token: p!.token });
    const read = () => cache.playerView(p!.id, neverLoaded, neverLoaded);
    const fromRedis = await read();
    const fromCopy = await read();
    assert.ok(Buffer.isBuffer(fromCopy!.view));
    assert.equal(fromCopy!.view, fromRedis!.view, "the second read serves the very same bytes, without them crossing the wire");
    assert.ok(String(fromCopy!.view).startsWith("{"), "clients get the JSON, without the fill's tag");
    // A write replaces the fill: the copy is not served again.
    const dropper = (await game.createPlayers(1, "rusty-tankard", [{ itemId: "bandage", quantity: 2 }]))[0]!;
    const dropped = await game.call("POST", "/v1/drop", { token: dropper.token, body: { items: [{ itemId: "bandage", quantity: 1 }] } });
    assert.equal(dropped.status, 200);
    const after = await game.call("GET", "/v1/location", { token: p!.token });
    assert.ok(
      after.body.items.some((i: any) => i.id === dropped.body.stacks[0].id),
      "the drop shows",
    );
    const again = await read();
    assert.notEqual(again!.view, fromCopy!.view);
    assert.ok(JSON.parse(String(again!.view)).items.some((i: any) => i.id === dropped.body.stacks[0].id));
  });

  it("a write racing a slow read cannot leave a stale view behind", async () => {
    const { token } = await game.register();
    const cache = game.api.deps.cache;
    // A read that loaded the view before a drop committed, and tries to store it after.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await game.cache.invalidate({ locations: ["cinderhold-square"] });
    const slow = cache.locationView("cinderhold-square", async () => {
      const stale = JSON.stringify({ stale: true });
      await gate;
      return stale;
    });
    await new Promise((r) => setTimeout(r, 20));
    const dropped = await game.call("POST", "/v1/drop", { token, body: { items: [{ itemId: "bandage", quantity: 1 }] } });
    release();
    assert.deepEqual(JSON.parse((await slow)!), { stale: true });
    await new Promise((r) => setTimeout(r, 50));
    const view = await game.call("GET", "/v1/location", { token });
    assert.ok(
      view.body.items.some((i: any) => i.id === dropped.body.stacks[0].id),
      "the next read sees the drop, not the stale load",
    );
  });

  it("a failed invalidation bypasses the stale entry and is retried until Redis takes it", async () => {
    const { GameCache } = await import("@echoes/db");
    const { createLogger } = await import("@echoes/shared");
    const { Redis } = await import("ioredis");
    // A cache connection like the API's, minus auto-pipelining, so one command can be made to fail.
    const redis = new Redis(game.config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const cache = new GameCache(
      redis,
      { prefix: game.prefix, enabled: true, locationTtlMs: 60_000, playerTtlMs: 60_000, primaryWindowMs: 0 },
      createLogger("test", "silent"),
    );
    try {
      await game.eventually(async () => redis.status === "ready", 5_000, "redis");
      assert.equal(await cache.locationView("glowmire-marsh", async () => "old"), "old");
      assert.equal(await cache.locationView("glowmire-marsh", async () => "never loaded"), "old", "cached");
      const scripted = redis as unknown as { cacheInvalidate: (...args: unknown[]) => Promise<number> };
      const real = scripted.cacheInvalidate.bind(redis);
      let failures = 1;
      scripted.cacheInvalidate = (...args) => (failures-- > 0 ? Promise.reject(new Error("Command timed out")) : real(...args));
      await cache.invalidate({ locations: ["glowmire-marsh"] });
      assert.equal(cache.pendingInvalidations, 1);
      assert.equal(await cache.locationView("glowmire-marsh", async () => "fresh"), "fresh", "the stale entry is not served");
      await game.eventually(async () => cache.pendingInvalidations === 0, 5_000, "the retry");
      assert.equal(await cache.locationView("glowmire-marsh", async () => "fresh again"), "fresh again", "Redis dropped the stale entry");
    } finally {
      cache.close();
      redis.disconnect();
    }
  });

  it("falls through to PostgreSQL when the cache is off", async () => {
    const uncached = await TestGame.start({ env: { CACHE_ENABLED: "false" } });
    try {
      const [p] = await uncached.createPlayers(1, SPOT);
      const before = uncached.apiStatements.primary;
      for (let i = 0; i < 3; i++) assert.equal((await uncached.call("GET", "/v1/location", { token: p!.token })).status, 200);
      assert.equal(uncached.apiStatements.primary - before, 3, "every read goes to the database, one query each");
    } finally {
      await uncached.close();
    }
  });
});
