import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";

describe("auth: refusals", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ env: { LOGIN_MAX_FAILURES: "3", LOGIN_LOCK_S: "60" } });
  });
  after(() => game.close());

  it("refuses malformed registrations with 400 in the error shape", async () => {
    for (const body of [
      {},
      { username: "ab", password: "long enough pass" },
      { username: "bad name!", password: "long enough pass" },
      { username: "fine_name", password: "short" },
      { username: "fine_name", password: "long enough pass", admin: true },
      { username: 12345, password: "long enough pass" },
    ]) {
      const res = await game.call("POST", "/v1/auth/register", { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, "validation_failed");
      assert.equal(typeof res.body.error.message, "string");
      assert.equal(typeof res.body.error.requestId, "string");
    }
  });

  it("refuses a taken username with 409", async () => {
    await game.register("dupe_name");
    const res = await game.call("POST", "/v1/auth/register", { body: { username: "Dupe_Name", password: "another password" } });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, "username_taken");
  });

  it("answers a wrong password and an unknown user alike, with 401", async () => {
    await game.register("pw_owner");
    const wrong = await game.call("POST", "/v1/auth/login", { body: { username: "pw_owner", password: "not the password" } });
    const unknown = await game.call("POST", "/v1/auth/login", { body: { username: "nobody_here", password: "not the password" } });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.error.message, unknown.body.error.message);
  });

  it("locks a username after repeated failures (429 with Retry-After), even for the right password", async () => {
    await game.register("locked_out");
    for (let i = 0; i < 3; i++) {
      const res = await game.call("POST", "/v1/auth/login", { body: { username: "locked_out", password: `guess number ${i}` } });
      assert.equal(res.status, 401);
    }
    const locked = await game.call("POST", "/v1/auth/login", { body: { username: "locked_out", password: "correct horse battery" } });
    assert.equal(locked.status, 429);
    assert.equal(locked.body.error.code, "too_many_login_attempts");
    assert.ok(Number(locked.headers.get("retry-after")) > 0);
  });

  it("a burst of parallel guesses cannot get past the lockout", async () => {
    await game.register("burst_target");
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => game.call("POST", "/v1/auth/login", { body: { username: "burst_target", password: `wrong guess ${i}` } })),
    );
    const checked = guesses.filter((g) => g.status === 401).length;
    assert.ok(checked <= 3, `${checked} guesses were checked, the limit is 3`);
    assert.equal(guesses.filter((g) => g.status === 429).length, 20 - checked);
  });

  it("refuses malformed JSON, wrong content types and oversized bodies", async () => {
    const malformed = await game.call("POST", "/v1/auth/login", { raw: '{"username": "x",', headers: { "content-type": "application/json" } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, "invalid_json");
    const form = await game.call("POST", "/v1/auth/login", { raw: "username=x&password=y", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(form.status, 415);
    const huge = await game.call("POST", "/v1/auth/register", { body: { username: "big_one", password: "x".repeat(100_000) } });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, "payload_too_large");
  });

  it("says Telegram sign-in is off when no bot token is configured", async () => {
    const res = await game.call("POST", "/v1/auth/telegram", { body: { initData: "auth_date=1&hash=00" } });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "telegram_disabled");
  });
});
