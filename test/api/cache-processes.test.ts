import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { freePort } from "@echoes/db/embedded";
import { type TestDatabase, createTestDatabase } from "../support/db";
import { TEST_ENV } from "../support/env";
import { register } from "../support/http";
import { type Spawned, spawnApp } from "../support/processes";

/** One request on a connection of its own (no keep-alive), so that node:cluster may hand it to any of its processes. */
function fresh(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/**
 * A player's writes through one API process and reads through another, over and over: a drop,
 * a pickup of that stack, a move. Each read right after a write must show it, in the location
 * view, the pack and the player.
 */
async function playAcross(writerFor: (i: number) => string, readerFor: (i: number) => string, token: string, rounds: number): Promise<number> {
  let checked = 0;
  for (let i = 0; i < rounds; i++) {
    const writer = writerFor(i);
    const reader = readerFor(i);
    const packBefore = (await fresh(reader, "GET", "/v1/me/inventory", token)).body.items.find((x: any) => x.itemId === "bandage")?.quantity ?? 0;
    const dropped = await fresh(writer, "POST", "/v1/drop", token, { items: [{ itemId: "bandage", quantity: 1 }] });
    assert.equal(dropped.status, 200, JSON.stringify(dropped.body));
    const stack = dropped.body.stacks[0].id;
    const seen = await fresh(reader, "GET", "/v1/location", token);
    assert.ok(
      seen.body.items.some((x: any) => x.id === stack),
      `round ${i}: the drop is in the next view`,
    );
    const pack = (await fresh(reader, "GET", "/v1/me/inventory", token)).body.items.find((x: any) => x.itemId === "bandage")?.quantity ?? 0;
    assert.equal(pack, packBefore - 1, `round ${i}: and out of the pack`);
    assert.equal((await fresh(writer, "POST", "/v1/pickup", token, { items: [{ id: stack }] })).status, 200);
    assert.ok(!(await fresh(reader, "GET", "/v1/location", token)).body.items.some((x: any) => x.id === stack), `round ${i}: the pickup too`);
    const moved = await fresh(writer, "POST", "/v1/move", token, { direction: i % 2 === 0 ? "north" : "south" });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal((await fresh(reader, "GET", "/v1/me", token)).body.locationId, moved.body.to, `round ${i}: the move, in the player`);
    assert.equal((await fresh(reader, "GET", "/v1/location", token)).body.location.id, moved.body.to, `round ${i}: and in the view`);
    checked += 5;
  }
  return checked;
}

describe("a player reads their own writes on any API process", () => {
  let db: TestDatabase;
  const apis: Spawned[] = [];
  const env: Record<string, string> = {};
  const start = async (extra: Record<string, string> = {}) => {
    const port = await freePort();
    const api = spawnApp("api", { ...env, PORT: String(port), HOST: "127.0.0.1", ...extra });
    apis.push(api);
    await api.waitFor(/API listening/, 60_000);
    return { url: `http://127.0.0.1:${port}`, api };
  };
  before(async () => {
    db = await createTestDatabase();
    Object.assign(env, {
      NODE_ENV: "test",
      DATABASE_URL: db.url,
      REDIS_URL: TEST_ENV.redisUrl,
      REDIS_PREFIX: `t${randomBytes(5).toString("hex")}`,
      JWT_SECRET: randomBytes(32).toString("hex"),
      RATE_LIMIT_ACTIONS: "100000",
      // Long lifetimes: only invalidations can keep a copy from being served.
      LOCATION_CACHE_TTL_MS: "60000",
      PLAYER_CACHE_TTL_MS: "600000",
      LOG_LEVEL: "info",
      LOG_REQUESTS: "true",
    });
  });
  after(async () => {
    for (const api of apis) api.kill("SIGTERM");
    await Promise.all(apis.map((a) => a.exited));
    await db?.drop();
  });

  it("two API processes: a write through either is read through the other at once", {
    skip: TEST_ENV.redisClusterNodes ? "covered without a cluster" : false,
  }, async () => {
    const [one, two] = await Promise.all([start(), start()]);
    const { token } = await register(one.url);
    // Both processes hold copies of everything the player reads.
    for (const url of [one.url, two.url]) for (const path of ["/v1/location", "/v1/me", "/v1/me/inventory"]) await fresh(url, "GET", path, token);
    const checked = await playAcross(
      (i) => (i % 2 === 0 ? one.url : two.url),
      (i) => (i % 2 === 0 ? two.url : one.url),
      token,
      12,
    );
    assert.equal(checked, 60);
  });

  it("API_PROCESSES=2: requests on fresh connections spread over both processes and read their writes", {
    skip: TEST_ENV.redisClusterNodes ? "covered without a cluster" : false,
  }, async () => {
    const { url, api } = await start({ API_PROCESSES: "2" });
    const { token } = await register(url);
    const checked = await playAcross(
      () => url,
      () => url,
      token,
      12,
    );
    assert.equal(checked, 60);
    const served = new Set([...api.output().matchAll(/"pid":(\d+)[^\n]*"msg":"request"/g)].map((m) => m[1]));
    assert.equal(served.size, 2, "both processes answered requests");
  });
});
