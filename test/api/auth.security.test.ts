import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { SignJWT } from "jose";
import { signInitData } from "../../apps/api/src/auth/telegram";
import { TestGame } from "../support/game";

const BOT_TOKEN = "987654321:ZZEhBOweik6ad9r_QXMENQjcrGbqCr4K-zz";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("auth: tokens and Telegram data that must not work", () => {
  let game: TestGame;
  let secret: Uint8Array;
  before(async () => {
    game = await TestGame.start({ env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_AUTH_MAX_AGE_S: "3600" } });
    secret = new TextEncoder().encode(game.config.jwtSecret);
  });
  after(() => game.close());

  const sign = (claims: Record<string, unknown>, key: Uint8Array, expSeconds: number) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(claims.sub ?? 1))
      .setIssuer("echoes-of-the-ashes")
      .setAudience("echoes-api")
      .setIssuedAt()
      .setExpirationTime(expSeconds)
      .sign(key);

  it("refuses requests without a token, or with a malformed header", async () => {
    for (const headers of [{} as Record<string, string>, { authorization: "Basic abc" }, { authorization: "Bearer" }, { authorization: "Bearer not-a-jwt" }]) {
      const res = await game.call("GET", "/v1/me", { headers });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "unauthorized");
    }
  });

  it("refuses a token signed with another key", async () => {
    const { player } = await game.register();
    const forged = await sign({ sub: String(player.id) }, new TextEncoder().encode("x".repeat(40)), Math.floor(Date.now() / 1000) + 600);
    assert.equal((await game.call("GET", "/v1/me", { token: forged })).status, 401);
  });

  it("refuses alg none and tampered payloads", async () => {
    const { player, token } = await game.register();
    const none = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: String(player.id), iss: "echoes-of-the-ashes", aud: "echoes-api", exp: 9_999_999_999 })}.`;
    assert.equal((await game.call("GET", "/v1/me", { token: none })).status, 401);
    const [header, , signature] = token.split(".");
    const tampered = `${header}.${b64({ sub: "1", iss: "echoes-of-the-ashes", aud: "echoes-api", exp: 9_999_999_999 })}.${signature}`;
    assert.equal((await game.call("GET", "/v1/me", { token: tampered })).status, 401);
  });

  it("refuses an expired token", async () => {
    const { player } = await game.register();
    const expired = await sign({ sub: String(player.id) }, secret, Math.floor(Date.now() / 1000) - 10);
    const res = await game.call("GET", "/v1/me", { token: expired });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /expired/);
  });

  it("refuses the token of a deleted player on every kind of route", async () => {
    const { token } = await game.register();
    assert.equal((await game.call("GET", "/v1/location", { token })).status, 200);
    assert.equal((await game.call("DELETE", "/v1/me", { token })).status, 204);
    for (const path of ["/v1/me", "/v1/location", "/v1/items", "/v1/me/inventory", "/v1/combat"]) {
      assert.equal((await game.call("GET", path, { token })).status, 401, path);
    }
    assert.equal((await game.call("POST", "/v1/move", { token, body: { direction: "north" } })).status, 401);
  });

  it("refuses forged Telegram initData", async () => {
    const fields = { auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify({ id: 7, username: "mallory" }) };
    const otherBot = signInitData(fields, "111111111:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert.equal((await game.call("POST", "/v1/auth/telegram", { body: { initData: otherBot } })).status, 401);
    const genuine = new URLSearchParams(signInitData(fields, BOT_TOKEN));
    genuine.set("user", JSON.stringify({ id: 8, username: "mallory" }));
    assert.equal((await game.call("POST", "/v1/auth/telegram", { body: { initData: genuine.toString() } })).status, 401);
    const naive = new URLSearchParams({ ...fields, hash: createHmac("sha256", BOT_TOKEN).update("x").digest("hex") });
    assert.equal((await game.call("POST", "/v1/auth/telegram", { body: { initData: naive.toString() } })).status, 401);
    assert.equal((await game.call("POST", "/v1/auth/telegram", { body: { initData: "user=%7B%7D" } })).status, 401);
  });

  it("refuses stale Telegram initData", async () => {
    const stale = signInitData({ auth_date: String(Math.floor(Date.now() / 1000) - 7200), user: JSON.stringify({ id: 9, username: "old_timer" }) }, BOT_TOKEN);
    const res = await game.call("POST", "/v1/auth/telegram", { body: { initData: stale } });
    assert.equal(res.status, 401);
    assert.match(res.body.error.message, /too old/);
  });
});
