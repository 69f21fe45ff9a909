import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { emailKey, unsubscribeToken } from "@echoes/shared";
import { verifyAddress } from "../support/email";
import { TestGame, startStandaloneApi } from "../support/game";
import { request } from "../support/http";
import { createTestDatabase } from "../support/db";
import { TestSmtpServer, linkToken } from "../support/smtp";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe("email: enumeration, stolen or forged tokens, injection, floods", () => {
  let smtp: TestSmtpServer;
  let game: TestGame;
  before(async () => {
    smtp = await TestSmtpServer.start();
    game = await TestGame.start({
      worker: true,
      env: { SMTP_URL: smtp.url, EMAIL_LIMIT_PER_PLAYER: "3", EMAIL_LIMIT_PER_ADDRESS: "3", EMAIL_RETRY_DELAY_MS: "200" },
    });
  });
  after(async () => {
    await game.close();
    await smtp.stop();
  });

  it("answers a reset request for a known and an unknown address alike: status, body, headers and time", async () => {
    // Players with verified addresses, as a stage direction (no email needed to set them up).
    const known = await game.createPlayers(41, "cinderhold-square");
    await game.sql("update players set email = username || '@known.test', email_verified_at = now() where id = any($1)", [known.map((p) => p.id)]);
    const knownAddresses = known.map((p) => `${p.username}@known.test`);
    const unknownAddresses = known.map((_, i) => `nobody_${i}_${randomBytes(3).toString("hex")}@unknown.test`);
    const differences: number[] = [];
    const all: number[] = [];
    const shapes = new Set<string>();
    const ask = async (email: string) => {
      const started = performance.now();
      const res = await game.call("POST", "/v1/auth/password-reset", { body: { email } });
      const ms = performance.now() - started;
      const headers = [...res.headers.entries()].filter(([name]) => !["date", "x-request-id"].includes(name));
      shapes.add(JSON.stringify({ status: res.status, body: res.body, headers }));
      all.push(ms);
      return ms;
    };
    // Warm up both paths; then pairs, back to back and in alternating order, so the machine's noise falls on both alike.
    await ask(knownAddresses.pop()!);
    await ask(unknownAddresses.pop()!);
    for (let i = 0; i < knownAddresses.length; i++) {
      const knownFirst = i % 2 === 0;
      const first = await ask(knownFirst ? knownAddresses[i]! : unknownAddresses[i]!);
      const second = await ask(knownFirst ? unknownAddresses[i]! : knownAddresses[i]!);
      differences.push(knownFirst ? first - second : second - first);
    }
    assert.equal(shapes.size, 1, `every answer is the same: ${[...shapes].join("\n")}`);
    assert.equal(JSON.parse([...shapes][0]!).status, 202);
    const gap = median(differences);
    const typical = median(all);
    assert.ok(
      Math.abs(gap) < Math.max(5, 0.25 * typical),
      `known minus unknown: median ${gap.toFixed(2)} ms over ${differences.length} pairs (typical answer ${typical.toFixed(2)} ms)`,
    );
    // The emails went to the known addresses only.
    await game.eventually(async () => knownAddresses.every((a) => smtp.to(a).length === 1), 30_000, "every known address got its email");
    assert.ok(unknownAddresses.every((a) => smtp.to(a).length === 0));
    console.log(`# reset requests, known minus unknown: median ${gap.toFixed(2)} ms over ${differences.length} pairs; typical answer ${typical.toFixed(2)} ms`);
  });

  it("refuses a used, an expired, a wrong-purpose and a made-up token", async () => {
    const { token, username } = await game.register();
    const address = `${username}@tokens.test`;
    await verifyAddress(game, smtp, token, address);
    const verifyToken = linkToken(smtp.to(address)[0]!.mail, "/v1/auth/email/verify");
    const reused = await game.call("POST", "/v1/auth/email/verify", { body: { token: verifyToken } });
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error.code, "invalid_token");
    assert.equal((await game.call("POST", "/v1/auth/password-reset/confirm", { body: { token: verifyToken, password: "hijacked password" } })).status, 400);

    assert.equal((await game.call("POST", "/v1/auth/password-reset", { body: { email: address } })).status, 202);
    const resetToken = linkToken((await smtp.waitFor(address, 2)).mail, "/v1/auth/password-reset/confirm");
    await game.sql("update email_tokens set expires_at = now() - interval '1 second' where address = $1 and purpose = 'reset'", [address]);
    const expired = await game.call("POST", "/v1/auth/password-reset/confirm", { body: { token: resetToken, password: "too late password" } });
    assert.equal(expired.status, 400);
    assert.equal(expired.body.error.code, "invalid_token");
    const madeUp = await game.call("POST", "/v1/auth/password-reset/confirm", {
      body: { token: randomBytes(32).toString("base64url"), password: "guessing password" },
    });
    assert.equal(madeUp.status, 400);
    assert.equal(
      (await game.call("POST", "/v1/auth/login", { body: { username, password: "correct horse battery" } })).status,
      200,
      "the password is unchanged",
    );

    // An expired verification token, too.
    const other = await game.register();
    await game.call("PUT", "/v1/me/email", { token: other.token, body: { email: `${other.username}@late.test` } });
    const late = linkToken((await smtp.waitFor(`${other.username}@late.test`)).mail, "/v1/auth/email/verify");
    await game.sql("update email_tokens set expires_at = now() - interval '1 second' where address = $1", [`${other.username}@late.test`]);
    assert.equal((await game.call("POST", "/v1/auth/email/verify", { body: { token: late } })).status, 400);
    assert.equal((await game.call("GET", "/v1/me", { token: other.token })).body.emailVerified, false);
  });

  it("refuses forged unsubscribe tokens and leaves the opt-ins alone", async () => {
    const { token, player } = await game.register();
    await game.call("PUT", "/v1/me/notifications", { token, body: { death: true, dailySummary: true } });
    const otherKey = emailKey("not the server secret, not even close");
    const genuineForSomeoneElse = unsubscribeToken(emailKey(game.config.jwtSecret), player.id + 1, "death");
    const forged = [
      unsubscribeToken(otherKey, player.id, "death"),
      genuineForSomeoneElse.replace(/^\d+/, String(player.id)),
      `${player.id}.death.${randomBytes(32).toString("base64url")}`,
      `${player.id}.everything.${randomBytes(32).toString("base64url")}`,
      "../../etc/passwd",
    ];
    for (const bad of forged) {
      const res = await fetch(`${game.url}/v1/email/unsubscribe?token=${encodeURIComponent(bad)}`, { method: "POST", body: "List-Unsubscribe=One-Click" });
      assert.equal(res.status, 400, bad);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "invalid_token");
    }
    assert.deepEqual((await game.call("GET", "/v1/me", { token })).body.notifications, { death: true, dailySummary: true });
  });

  it("refuses addresses that would inject headers, and sends nothing for them", async () => {
    const { token } = await game.register();
    const attempts = [
      "victim@example.com\r\nBcc: everyone@evil.test",
      "victim@example.com\nBcc: everyone@evil.test",
      "victim@example.com%0d%0aBcc:everyone@evil.test",
      "Victim <victim@example.com>",
      "victim@example.com, everyone@evil.test",
      '"victim"@example.com',
      "victim@example.com\u0000",
      "a".repeat(250) + "@example.com",
    ];
    for (const email of attempts) {
      const set = await game.call("PUT", "/v1/me/email", { token, body: { email } });
      assert.equal(set.status, 400, JSON.stringify(email));
      assert.equal(set.body.error.code, "validation_failed");
      assert.equal((await game.call("POST", "/v1/auth/password-reset", { body: { email } })).status, 400, JSON.stringify(email));
    }
    assert.equal((await game.call("GET", "/v1/me", { token })).body.email, null);
    assert.ok(!smtp.received.some((r) => r.to.some((t) => t.includes("evil.test"))), "no message to an injected recipient");
  });

  it("escapes HTML in a username everywhere it appears in an email", async () => {
    assert.equal((await game.call("POST", "/v1/auth/register", { body: { username: "<b>bold</b>", password: "correct horse battery" } })).status, 400);
    // A name the rules no longer allow (an old account, an import): it reaches the templates all the same.
    const [p] = await game.createPlayers(1, "cinderhold-square");
    const evil = `<img src=x onerror=alert(1)>&"'`;
    await game.sql("update players set username = $2 where id = $1", [p!.id, evil]);
    await game.call("PUT", "/v1/me/email", { token: p!.token, body: { email: "escaped@html.test" } });
    const { mail } = await smtp.waitFor("escaped@html.test");
    const body = String(mail.html);
    assert.ok(!body.includes("<img"), "no markup from the username");
    assert.ok(body.includes("&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"), body);
    assert.ok(mail.text?.includes(evil), "the plain text part says the name as it is");
  });

  it("limits verification emails per player and per address, and reset emails per address, with 429 and Retry-After", async () => {
    const { token } = await game.register();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await game.call("PUT", "/v1/me/email", { token, body: { email: `flood${i}@limits.test` } })).status);
    const limited = await game.call("PUT", "/v1/me/email", { token, body: { email: "flood-last@limits.test" } });
    assert.deepEqual(statuses, [202, 202, 202, 429]);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);

    const others = await Promise.all([game.register(), game.register()]);
    const target = "shared@limits.test";
    const perAddress = [];
    for (let i = 0; i < 4; i++) perAddress.push((await game.call("PUT", "/v1/me/email", { token: others[i % 2]!.token, body: { email: target } })).status);
    assert.deepEqual(perAddress, [202, 202, 202, 429], "one address is not mailed more than the limit, whoever asks");

    for (const email of ["known-or-not@limits.test", "someone-else@limits.test"]) {
      const resets = [];
      for (let i = 0; i < 4; i++) resets.push((await game.call("POST", "/v1/auth/password-reset", { body: { email } })).status);
      assert.deepEqual(resets, [202, 202, 202, 429]);
    }
    const keys = await (game.redis as import("ioredis").Redis).keys(`${game.prefix}:rl:email-*`);
    assert.ok(keys.length > 0);
    assert.ok(
      keys.every((k) => !k.includes("@") && !k.includes("limits.test")),
      `rate-limit keys hold digests, not addresses: ${keys.join(", ")}`,
    );
  });

  it("gives up on an address the server refuses for good, recording why without the address", async () => {
    const { token } = await game.register();
    smtp.refuse.add("nobody-home@refused.test");
    await game.call("PUT", "/v1/me/email", { token, body: { email: "nobody-home@refused.test" } });
    const row = await game.eventually(async () => {
      const [r] = await game.sql("select attempts, failed_at, last_error from email_outbox where address = $1 and failed_at is not null", [
        "nobody-home@refused.test",
      ]);
      return r;
    });
    assert.equal(row.attempts, 1, "a 550 is not retried");
    assert.match(row.last_error, /550 RCPT TO/);
    assert.ok(!row.last_error.includes("refused.test"));
  });

  it("deletes the address and every unsent email with the account", async () => {
    const { token, player } = await game.register();
    await smtp.stop();
    try {
      assert.equal((await game.call("PUT", "/v1/me/email", { token, body: { email: "leaving@gone.test" } })).status, 202);
      await game.eventually(async () => (await game.sql("select 1 from email_outbox where player_id = $1 and attempts > 0", [player.id])).length > 0);
      assert.equal((await game.call("DELETE", "/v1/me", { token })).status, 204);
      assert.deepEqual(
        await game.sql("select id from email_outbox where player_id = $1 union all select id from email_tokens where player_id = $1", [player.id]),
        [],
      );
      assert.deepEqual(await game.sql("select id from players where email = $1", ["leaving@gone.test"]), []);
    } finally {
      await smtp.resume();
    }
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(smtp.to("leaving@gone.test").length, 0, "the retry found nothing to send");
  });

  it("answers 503 email_unavailable in production without SMTP_URL, and /readyz says so without failing", async () => {
    const db = await createTestDatabase();
    const api = await startStandaloneApi({ DATABASE_URL: db.url, REDIS_PREFIX: `t${randomBytes(4).toString("hex")}`, NODE_ENV: "production" });
    try {
      const url = `http://127.0.0.1:${api.port}`;
      const { token } = await (await import("../support/http")).register(url);
      const calls: [string, string, unknown, string?][] = [
        ["PUT", "/v1/me/email", { email: "someone@example.com" }, token],
        ["PUT", "/v1/me/notifications", { death: true }, token],
        ["POST", "/v1/auth/password-reset", { email: "someone@example.com" }],
        ["POST", "/v1/auth/email/verify", { token: "A".repeat(43) }],
        ["POST", "/v1/auth/password-reset/confirm", { token: "A".repeat(43), password: "whatever password" }],
      ];
      for (const [method, path, body, bearer] of calls) {
        const res = await request(url, method, path, { body, ...(bearer ? { token: bearer } : {}) });
        assert.equal(res.status, 503, path);
        assert.equal(res.body.error.code, "email_unavailable");
        assert.ok(res.headers.get("retry-after"));
      }
      const ready = await request(url, "GET", "/readyz");
      assert.equal(ready.status, 200);
      assert.match(ready.body.checks.email, /unavailable/);
    } finally {
      await api.shutdown();
      await db.drop();
    }
  });
});
