import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { DAILY_SUMMARY_JOB, QUEUE, RESPAWN_DELAY_S } from "@echoes/shared";
import { fightToTheEnd, verifyAddress } from "../support/email";
import { TestGame, startStandaloneApi } from "../support/game";
import { request } from "../support/http";
import { TestSmtpServer, header, linkToken } from "../support/smtp";

const FROM = "Echoes of the Ashes <game@echoes.test>";
const MESSAGE_ID = /^<[0-9a-f-]{36}@echoes\.test>$/;

describe("email: verified addresses, password reset and notifications, over a real SMTP server", () => {
  let smtp: TestSmtpServer;
  let game: TestGame;
  before(async () => {
    smtp = await TestSmtpServer.start();
    game = await TestGame.start({
      worker: true,
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: FROM,
        PUBLIC_URL: "https://play.echoes.test",
        // The sweeper queues death emails, which the fight's statement writes without queueing.
        WORLD_TASKS_ENABLED: "true",
        WORLD_TICK_SCALE: "0.1",
      },
    });
  });
  after(async () => {
    await game.close();
    await smtp.stop();
  });

  it("verifies an address with the token the verification email carries", async () => {
    const { token, username } = await game.register();
    const set = await game.call("PUT", "/v1/me/email", { token, body: { email: "  Ash.Walker@Example.COM " } });
    assert.equal(set.status, 202);
    assert.deepEqual(set.body, { email: "Ash.Walker@example.com", emailVerified: false });

    const { mail, raw } = await smtp.waitFor("Ash.Walker@example.com");
    assert.match(mail.messageId ?? "", MESSAGE_ID);
    assert.deepEqual(mail.from?.value, [{ name: "Echoes of the Ashes", address: "game@echoes.test" }]);
    assert.equal(header(mail, "to"), "Ash.Walker@example.com");
    assert.equal(mail.subject, "Confirm your address for Echoes of the Ashes");
    assert.equal(header(mail, "list-unsubscribe"), "", "a verification email is no newsletter");
    const link = linkToken(mail, "/v1/auth/email/verify");
    assert.match(link, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(mail.text?.includes(`Hello ${username},`));
    assert.ok(mail.text?.includes(`https://play.echoes.test/v1/auth/email/verify?token=${link}`));
    assert.ok(String(mail.html).includes(`href="https://play.echoes.test/v1/auth/email/verify?token=${link}"`), "the HTML part links to the page");
    assert.ok(!raw.includes("Bcc"), "no hidden recipients");

    const page = await fetch(`${game.url}/v1/auth/email/verify?token=${link}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'nonce-/);
    assert.ok(!(await page.text()).includes(link), "the page does not echo the token");

    const before = (await game.call("GET", "/v1/me", { token })).body;
    assert.equal(before.emailVerified, false);
    const verified = await game.call("POST", "/v1/auth/email/verify", { body: { token: link } });
    assert.equal(verified.status, 200);
    assert.deepEqual(verified.body, { email: "Ash.Walker@example.com", emailVerified: true });
    const me = (await game.call("GET", "/v1/me", { token })).body;
    assert.equal(me.email, "Ash.Walker@example.com");
    assert.equal(me.emailVerified, true);
    assert.deepEqual(me.notifications, { death: false, dailySummary: false }, "notifications start off");

    // The database keeps the token's hash only; the outbox forgets the seed once the email is out.
    const [row] = await game.sql("select encode(token_hash, 'hex') as hash, used_at is not null as used from email_tokens where address = $1", [
      "Ash.Walker@example.com",
    ]);
    assert.equal(row.hash, createHash("sha256").update(link).digest("hex"));
    assert.equal(row.used, true);
    const [sent] = await game.sql("select sent_at is not null as sent, data from email_outbox where address = $1", ["Ash.Walker@example.com"]);
    assert.equal(sent.sent, true);
    assert.deepEqual(sent.data, {});
  });

  it("resets a password: the old token and the old password are refused, the new ones work, in every API process", async () => {
    const { token: oldToken, username, player } = await game.register();
    await verifyAddress(game, smtp, oldToken, `${username}@wastes.test`);
    // A second API process, sharing the database and Redis, that has already seen the old token.
    const other = await startStandaloneApi({
      DATABASE_URL: game.db.url,
      REDIS_URL: game.config.REDIS_URL,
      REDIS_PREFIX: game.prefix,
      JWT_SECRET: game.config.jwtSecret,
      SMTP_URL: smtp.url,
    });
    try {
      const otherUrl = `http://127.0.0.1:${other.port}`;
      assert.equal((await request(otherUrl, "GET", "/v1/me", { token: oldToken })).status, 200);
      assert.equal((await game.call("GET", "/v1/me", { token: oldToken })).status, 200);

      const asked = await game.call("POST", "/v1/auth/password-reset", { body: { email: `${username.toUpperCase()}@WASTES.TEST` } });
      assert.equal(asked.status, 202);
      const { mail } = await smtp.waitFor(`${username}@wastes.test`, 2);
      assert.equal(mail.subject, "Reset your Echoes of the Ashes password");
      assert.match(mail.messageId ?? "", MESSAGE_ID);
      const resetToken = linkToken(mail, "/v1/auth/password-reset/confirm");
      assert.ok(String(mail.html).includes(`password-reset/confirm?token=${resetToken}`));
      assert.equal((await fetch(`${game.url}/v1/auth/password-reset/confirm?token=${resetToken}`)).status, 200);

      const confirmed = await game.call("POST", "/v1/auth/password-reset/confirm", { body: { token: resetToken, password: "a brand new password" } });
      assert.equal(confirmed.status, 200);
      assert.equal(confirmed.body.player.id, player.id);
      const newToken = confirmed.body.token;

      assert.equal((await game.call("GET", "/v1/me", { token: oldToken })).status, 401, "the old token is refused where it was issued");
      assert.equal((await game.call("GET", "/v1/location", { token: oldToken })).status, 401);
      const started = Date.now();
      await game.eventually(async () => (await request(otherUrl, "GET", "/v1/me", { token: oldToken })).status === 401, 2_000, "the other process refuses it");
      const seenElsewhereMs = Date.now() - started;
      assert.ok(seenElsewhereMs < 1_000, `the other process learnt of the reset in ${seenElsewhereMs} ms`);
      assert.equal((await game.call("GET", "/v1/me", { token: newToken })).status, 200);
      assert.equal((await request(otherUrl, "GET", "/v1/me", { token: newToken })).status, 200);

      const oldLogin = await game.call("POST", "/v1/auth/login", { body: { username, password: "correct horse battery" } });
      assert.equal(oldLogin.status, 401);
      const newLogin = await game.call("POST", "/v1/auth/login", { body: { username, password: "a brand new password" } });
      assert.equal(newLogin.status, 200);
      assert.equal((await game.call("GET", "/v1/me", { token: newLogin.body.token })).status, 200);

      const again = await game.call("POST", "/v1/auth/password-reset/confirm", { body: { token: resetToken, password: "yet another password" } });
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, "invalid_token");
    } finally {
      await other.shutdown();
    }
  });

  it("tells an opted-in player that their character died: who, where, when they revive", async () => {
    const { token, username, player } = await game.register();
    const address = `${username}@graves.test`;
    await verifyAddress(game, smtp, token, address);
    const opted = await game.call("PUT", "/v1/me/notifications", { token, body: { death: true } });
    assert.equal(opted.status, 200);
    assert.deepEqual(opted.body, { death: true, dailySummary: false });

    const end = await fightToTheEnd(game, player.id, token);
    assert.equal(end.body.result.outcome, "lost");
    const [{ died_at }] = await game.sql("select died_at from active_combats c join players p on p.id = c.player_id where c.player_id = $1", [player.id]);
    const { mail } = await smtp.waitFor(address, 2, 20_000);
    assert.equal(mail.subject, `${username} has fallen`);
    assert.match(mail.messageId ?? "", MESSAGE_ID);
    assert.match(mail.text ?? "", new RegExp(`${username} was killed by Highway Raider at Cinderhold Square`));
    const revives = new Date(new Date(died_at).getTime() + RESPAWN_DELAY_S * 1000).toISOString().slice(11, 16);
    assert.ok(mail.text?.includes(`They rise again at Cinderhold Square at`) && mail.text.includes(revives), mail.text);
    assert.ok(String(mail.html).includes("Highway Raider"));
    const unsubscribe = header(mail, "list-unsubscribe");
    assert.match(unsubscribe, /^<https:\/\/play\.echoes\.test\/v1\/email\/unsubscribe\?token=[^>]+>$/);
    assert.equal(header(mail, "list-unsubscribe-post"), "List-Unsubscribe=One-Click");
    assert.equal(smtp.to(address).length, 2, "one verification, one death");
  });

  it("sends a daily summary of the day's kills, damage, XP and loot to opted-in players who played", async () => {
    const players = await Promise.all([game.register(), game.register(), game.register()]);
    const [active, idle, optedOut] = players;
    for (const p of players) await verifyAddress(game, smtp, p.token, `${p.username}@daily.test`);
    for (const p of [active, idle])
      assert.equal((await game.call("PUT", "/v1/me/notifications", { token: p!.token, body: { dailySummary: true } })).status, 200);
    // What the day held, as statistics events (what every action writes): two fights and a pickup today,
    // and a fight of the day before that the summary must leave out.
    for (const p of [active, optedOut]) {
      await game.sql(
        `insert into stat_events (event_key, player_id, deltas, created_at, applied_at) values
           ($2 || 'a', $1, '{"kills":1,"damageDealt":31,"xpGained":25,"deaths":0}', now() - interval '3 hours', now()),
           ($2 || 'b', $1, '{"kills":1,"damageDealt":26,"xpGained":15}', now() - interval '2 hours', now()),
           ($2 || 'c', $1, '{"itemsLooted":3}', now() - interval '1 hour', now()),
           ($2 || 'old', $1, '{"kills":100,"damageDealt":9999,"xpGained":9999}', now() - interval '30 hours', now())`,
        [p!.player.id, `fight-t${p!.player.id}`],
      );
    }
    const summary = await game.api.deps.producer.queue(QUEUE.email).add(DAILY_SUMMARY_JOB, {});
    const day = new Date(summary.timestamp - 1).toISOString().slice(0, 10);
    const { mail } = await smtp.waitFor(`${active!.username}@daily.test`, 2);
    assert.equal(mail.subject, `${active!.username}'s day in the ashes: ${day}`);
    assert.match(mail.text ?? "", /Kills: 2\nDamage dealt: 57\nExperience gained: 40\nItems looted: 3/);
    assert.ok(String(mail.html).includes("<strong>57</strong>"));
    assert.equal(header(mail, "list-unsubscribe-post"), "List-Unsubscribe=One-Click");

    // The same day summarised again (a retried or repeated job) sends nothing twice.
    await game.api.deps.producer.queue(QUEUE.email).add(DAILY_SUMMARY_JOB, {});
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(smtp.to(`${active!.username}@daily.test`).length, 2, "one verification, one summary");
    assert.equal(smtp.to(`${idle!.username}@daily.test`).length, 1, "no summary on a day without play");
    assert.equal(smtp.to(`${optedOut!.username}@daily.test`).length, 1, "no summary without opting in");
  });

  it("unsubscribes in one click from the link in a notification's List-Unsubscribe header", async () => {
    const { token, username, player } = await game.register();
    const address = `${username}@oneclick.test`;
    await verifyAddress(game, smtp, token, address);
    await game.call("PUT", "/v1/me/notifications", { token, body: { death: true, dailySummary: true } });
    await fightToTheEnd(game, player.id, token);
    const { mail } = await smtp.waitFor(address, 2, 20_000);
    const url = new URL(header(mail, "list-unsubscribe").slice(1, -1));
    assert.equal(url.pathname, "/v1/email/unsubscribe");

    // What a mail client does for RFC 8058: POST the URL with a form body, no token, no cookie.
    const res = await fetch(`${game.url}${url.pathname}${url.search}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: header(mail, "list-unsubscribe-post"),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { unsubscribed: "death", notifications: { death: false, dailySummary: true } });
    const me = (await game.call("GET", "/v1/me", { token })).body;
    assert.deepEqual(me.notifications, { death: false, dailySummary: true }, "only the list of that email is left");
    // The link in the body opens a page that does the same.
    assert.equal((await fetch(`${game.url}${url.pathname}${url.search}`)).status, 200);
  });
});
