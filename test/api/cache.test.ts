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

  it("serves warm reads from the process's own copies, without a round trip to Redis or PostgreSQL, and another process's write on the next read", {
    skip: TEST_ENV.redisClusterNodes ? "on a Redis Cluster the API keeps no copies of its own (messages between nodes carry no order)" : false,
  }, async () => {
    const [p] = await game.createPlayers(1, "rusty-tankard");
    const cacheRedis = game.api.deps.redis.cache as unknown as { sendCommand(command: { name: string }): unknown };
    const sent: string[] = [];
    const send = cacheRedis.sendCommand.bind(cacheRedis);
    cacheRedis.sendCommand = (command) => {
      sent.push(command.name);
      return send(command);
    };
    try {
      const reads = ["/v1/location", "/v1/me", "/v1/me/inventory", "/v1/me/stats", "/v1/items", "/v1/leaderboard"];
      for (const path of reads) await game.call("GET", path, { token: p!.token });
      const statements = game.apiStatements.primary + game.apiStatements.replica;
      sent.length = 0;
      for (let i = 0; i < 3; i++) for (const path of reads) assert.equal((await game.call("GET", path, { token: p!.token })).status, 200, path);
      assert.deepEqual(sent, [], "warm reads send nothing to the cache Redis");
      assert.equal(game.apiStatements.primary + game.apiStatements.replica - statements, 0, "nor to PostgreSQL");
      assert.ok(game.api.deps.cache.localCopies > 0);
      // A write by another process (the test's own cache connection stands for one): the next read has it.
      const [{ id: stack }] = await game.sql(
        "insert into dropped_items (location_id, item_id, quantity, expires_at) values ('rusty-tankard', 'empty-bottle', 1, now() + interval '1 hour') returning id",
      );
      await game.cache.invalidate({ locations: ["rusty-tankard"] });
      const after = await game.call("GET", "/v1/location", { token: p!.token });
      assert.ok(
        after.body.items.some((i: any) => i.id === stack),
        "the copy was dropped before the next read",
      );
    } finally {
      cacheRedis.sendCommand = send;
    }
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
    assert.deepEqual(JSON.parse(String(await slow)), { stale: true });
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
      { prefix: game.prefix, enabled: true, locationTtlMs: 60_000, playerTtlMs: 60_000, boardsTtlMs: 5_000, primaryWindowMs: 0, localCopies: 0 },
      createLogger("test", "silent"),
    );
    try {
      await game.eventually(async () => redis.status === "ready", 5_000, "redis");
      assert.equal(String(await cache.locationView("glowmire-marsh", async () => "old")), "old");
      assert.equal(String(await cache.locationView("glowmire-marsh", async () => "never loaded")), "old", "cached");
      const scripted = redis as unknown as { echoesInvalidate: (...args: unknown[]) => Promise<number> };
      const real = scripted.echoesInvalidate.bind(redis);
      let failures = 1;
      scripted.echoesInvalidate = (...args) => (failures-- > 0 ? Promise.reject(new Error("Command timed out")) : real(...args));
      await cache.invalidate({ locations: ["glowmire-marsh"] });
      assert.equal(cache.pendingInvalidations, 1);
      assert.equal(String(await cache.locationView("glowmire-marsh", async () => "fresh")), "fresh", "the stale entry is not served");
      await game.eventually(async () => cache.pendingInvalidations === 0, 5_000, "the retry");
      assert.equal(String(await cache.locationView("glowmire-marsh", async () => "fresh again")), "fresh again", "Redis dropped the stale entry");
    } finally {
      cache.close();
      redis.disconnect();
    }
  });

  it("sends the invalidations asked for at the same moment as one script call and one message to the other processes", async () => {
    const { GameCache } = await import("@echoes/db");
    const { createLogger } = await import("@echoes/shared");
    const { Redis } = await import("ioredis");
    const redis = new Redis(game.config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const listener = new Redis(game.config.REDIS_URL);
    const cache = new GameCache(
      redis,
      { prefix: game.prefix, enabled: true, locationTtlMs: 60_000, playerTtlMs: 60_000, boardsTtlMs: 5_000, primaryWindowMs: 0, localCopies: 0 },
      createLogger("test", "silent"),
    );
    try {
      const messages: string[] = [];
      listener.on("message", (_channel: string, message: string) => messages.push(message));
      await listener.subscribe(`${game.prefix}:cache:invalidated`);
      const spots = ["withered-orchard", "glowmire-marsh", "maple-row"];
      for (const spot of spots) await cache.locationView(spot, async () => `old ${spot}`);
      const scripted = redis as unknown as { echoesInvalidate: (...args: unknown[]) => Promise<number> };
      const real = scripted.echoesInvalidate.bind(redis);
      let calls = 0;
      scripted.echoesInvalidate = (...args) => {
        calls++;
        return real(...args);
      };
      await Promise.all([...spots.map((spot) => cache.invalidate({ locations: [spot] })), cache.invalidate({ players: [1, 2], locations: ["maple-row"] })]);
      assert.equal(calls, 1, "one script call for the four invalidations");
      for (const spot of spots) assert.equal(String(await cache.locationView(spot, async () => `new ${spot}`)), `new ${spot}`, `${spot} was dropped`);
      await game.eventually(async () => messages.length > 0, 5_000, "the message");
      assert.equal(messages.length, 1);
      assert.deepEqual(new Set(messages[0]!.split("\n")).size, 5, "it names the five groups once each");
    } finally {
      cache.close();
      redis.disconnect();
      listener.disconnect();
    }
  });

  it("names every answer with its request id, hot reads and their refusals too, and keeps a caller's own id", async () => {
    const [p] = await game.createPlayers(1, SPOT);
    for (const path of ["/v1/location", "/v1/me", "/v1/items", "/v1/leaderboard"]) {
      const res = await game.call("GET", path, { token: p!.token });
      assert.match(res.headers.get("x-request-id") ?? "", /^[0-9a-f]{12}-[0-9a-z]+$/, path);
    }
    const refused = await game.call("GET", "/v1/me", { token: "not.a.token" });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get("x-request-id"), refused.body.error.requestId);
    const own = await game.call("GET", "/v1/location", { token: p!.token, headers: { "x-request-id": "client-trace-0001" } });
    assert.equal(own.headers.get("x-request-id"), "client-trace-0001");
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) ids.add((await game.call("GET", "/v1/me", { token: p!.token })).headers.get("x-request-id")!);
    assert.equal(ids.size, 20, "each request its own id");
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
