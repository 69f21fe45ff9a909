import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, describe, it } from "node:test";
import { createRedis } from "@echoes/shared";
import type { RunningApi } from "../../apps/api/src/server";
import { type TestDatabase, createTestDatabase } from "../support/db";
import { deleteKeys, startStandaloneApi } from "../support/game";
import { eventually, request } from "../support/http";
import { TEST_ENV } from "../support/env";
import { recordReliability } from "../support/reliability";

/** The machine's PostgreSQL, reached as `user` for database `name`. */
function urlFor(name: string, user?: string): string {
  const url = new URL(TEST_ENV.adminDatabaseUrl);
  url.pathname = `/${name}`;
  if (user) url.username = user;
  return url.toString();
}

/**
 * PostgreSQL answers, but refuses: the database does not exist (3D000) or the role is unknown
 * (28000). Those are an operator's to fix, not the client's fault: every route that needs the
 * database answers 503 with Retry-After, and the API serves again as soon as the database is there.
 */
describe("fault: PostgreSQL refuses the game's connections", () => {
  const apis: RunningApi[] = [];
  const prefixes: string[] = [];
  const database = `echoes_t_refused_${randomBytes(4).toString("hex")}`;
  let created: TestDatabase | undefined;
  const seen = { answers: 0, unavailable: 0, recoverySeconds: Number.NaN };
  after(async () => {
    for (const api of apis) await api.shutdown().catch(() => undefined);
    await created?.drop();
    const redis = createRedis({ url: TEST_ENV.redisUrl }, "worker", "test-cleanup");
    for (const prefix of prefixes) await deleteKeys(redis, `${prefix}:*`);
    redis.disconnect();
  });

  async function start(databaseUrl: string): Promise<{ url: string; token: string }> {
    const prefix = `t${randomBytes(5).toString("hex")}`;
    prefixes.push(prefix);
    const api = await startStandaloneApi({ DATABASE_URL: databaseUrl, REDIS_PREFIX: prefix });
    apis.push(api);
    return { url: `http://127.0.0.1:${api.port}`, token: (await api.deps.tokens.issue(1)).token };
  }

  async function expectUnavailable(base: string, token: string): Promise<void> {
    const answers = [
      await request(base, "POST", "/v1/auth/register", { body: { username: `p_${randomBytes(4).toString("hex")}`, password: "correct horse battery" } }),
      await request(base, "GET", "/v1/location", { token }),
      await request(base, "GET", "/v1/me", { token }),
      await request(base, "GET", "/v1/leaderboard", { token }),
    ];
    seen.answers += answers.length;
    seen.unavailable += answers.filter((a) => a.status === 503).length;
    for (const answer of answers) {
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, "unavailable");
      assert.ok(Number(answer.headers.get("retry-after")) > 0, "Retry-After");
    }
    assert.equal((await request(base, "GET", "/readyz")).status, 503);
    assert.equal((await request(base, "GET", "/healthz")).status, 200);
  }

  it("a database that does not exist yet: 503s, then service as soon as it is created", async () => {
    const game = await start(urlFor(database));
    await expectUnavailable(game.url, game.token);
    created = await createTestDatabase(database);
    const createdAt = performance.now();
    await eventually(async () => (await request(game.url, "GET", "/readyz")).status === 200, 15_000, "ready once the database exists");
    seen.recoverySeconds = (performance.now() - createdAt) / 1000;
    const signUp = await request(game.url, "POST", "/v1/auth/register", { body: { username: "late_riser", password: "correct horse battery" } });
    assert.equal(signUp.status, 201, JSON.stringify(signUp.body));
    const view = await request(game.url, "GET", "/v1/location", { token: signUp.body.token });
    assert.equal(view.status, 200);
  });

  it("a role PostgreSQL does not know: 503s in the error shape, never a 500", async () => {
    const game = await start(urlFor(TEST_ENV.templateDatabase, `no_such_role_${randomBytes(3).toString("hex")}`));
    await expectUnavailable(game.url, game.token);
    recordReliability({
      id: "03b-postgres-refuses",
      fault: "PostgreSQL up but refusing the game (its database missing, its role unknown)",
      how: "an API starts against a database that does not exist yet, and another as a role PostgreSQL does not know; players sign up and read; the test then creates the database",
      held: "sign-up, location, me and leaderboard answered 503 with Retry-After in the error shape, never 500; /readyz said not ready, /healthz stayed 200; the API served again once the database existed, without a restart",
      numbers: {
        "requests while refused": seen.answers,
        "503 answers": seen.unavailable,
        "seconds from the database's creation to ready": seen.recoverySeconds.toFixed(2),
      },
    });
  });
});
