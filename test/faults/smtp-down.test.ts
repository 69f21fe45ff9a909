import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fightToTheEnd } from "../support/email";
import { eventually } from "../support/http";
import { recordReliability } from "../support/reliability";
import { TestSmtpServer } from "../support/smtp";
import { FaultStack } from "../support/stack";

const RESETS = 30;
const VERIFICATIONS = 10;
const DEATHS = 10;

describe("fault: the SMTP server is down while emails are promised", () => {
  let smtp: TestSmtpServer;
  let stack: FaultStack;
  before(async () => {
    smtp = await TestSmtpServer.start();
    stack = await FaultStack.start({
      SMTP_URL: smtp.url,
      MAIL_FROM: "Echoes of the Ashes <game@faults.test>",
      // Short waits, so that hours of backoff fit in a test: 0.3 s, 0.6 s, 1.2 s, ... between tries.
      EMAIL_RETRY_DELAY_MS: "300",
      EMAIL_ATTEMPTS: "30",
      EMAIL_LIMIT_PER_ADDRESS: "1000",
      SWEEP_AFTER_S: "2",
      WORLD_TICK_SCALE: "0.2",
      LOG_LEVEL: "debug",
      LOG_REQUESTS: "true",
    });
    await stack.startApi();
    await stack.startWorker({ LOG_LEVEL: "debug" });
  });
  after(async () => {
    await stack.close();
    await smtp.stop();
  });

  it("delivers every promised email once the server is back, each once, and the API answered 202 throughout", async () => {
    const resetPlayers = await stack.createPlayers(RESETS, "cinderhold-square");
    await stack.sql("update players set email = username || '@reset.test', email_verified_at = now() where id = any($1)", [resetPlayers.map((p) => p.id)]);
    const newcomers = await stack.createPlayers(VERIFICATIONS, "cinderhold-square");
    const doomed = await stack.createPlayers(DEATHS, "dust-road");
    await stack.sql("update players set email = username || '@death.test', email_verified_at = now(), notify_death = true where id = any($1)", [
      doomed.map((p) => p.id),
    ]);

    await smtp.stop();
    const downAt = Date.now();
    const statuses: number[] = [];
    await Promise.all([
      ...resetPlayers.map(async (p) =>
        statuses.push((await stack.call("POST", "/v1/auth/password-reset", { body: { email: `${p.username}@reset.test` } })).status),
      ),
      ...newcomers.map(async (p) =>
        statuses.push((await stack.call("PUT", "/v1/me/email", { token: p.token, body: { email: `${p.username}@verify.test` } })).status),
      ),
      ...doomed.map(async (p) => {
        const end = await fightToTheEnd(stack, p.id, p.token);
        assert.equal(end.body.result.outcome, "lost");
      }),
    ]);
    assert.deepEqual(
      statuses.filter((s) => s !== 202),
      [],
      "every request was accepted while the SMTP server was down",
    );
    const promised = RESETS + VERIFICATIONS + DEATHS;
    // Every email is in the outbox and has been tried at least once, in vain.
    await eventually(
      async () => (await stack.sql("select count(*)::int as n from email_outbox where attempts > 0 and sent_at is null"))[0].n === promised,
      30_000,
      "every email tried while the server is down",
    );
    // A normal restart of the worker in the middle of the outage.
    const first = stack.workers.at(-1)!;
    first.kill("SIGTERM");
    assert.equal((await first.exited).code, 0);
    await stack.startWorker({ LOG_LEVEL: "debug" });
    await new Promise((r) => setTimeout(r, 3_000));
    const [{ tries }] = await stack.sql("select sum(attempts)::int as tries from email_outbox");
    assert.equal(smtp.received.length, 0);

    await smtp.resume();
    const downMs = Date.now() - downAt;
    const backAt = Date.now();
    await eventually(async () => smtp.received.length >= promised, 60_000, `${promised} emails delivered`);
    const catchUpMs = Date.now() - backAt;
    // Another normal restart once all is sent: nothing goes out again.
    const second = stack.workers.at(-1)!;
    second.kill("SIGTERM");
    assert.equal((await second.exited).code, 0);
    await stack.startWorker({ LOG_LEVEL: "debug" });
    await new Promise((r) => setTimeout(r, 4_000));

    const ids = smtp.received.map((r) => r.mail.messageId);
    assert.equal(smtp.received.length, promised, "nothing was sent twice");
    assert.equal(new Set(ids).size, promised, "one Message-ID per promised email");
    const rows = await stack.sql<{ kind: string; n: number; sent: number }>(
      "select kind, count(*)::int as n, count(sent_at)::int as sent from email_outbox group by kind order by kind",
    );
    assert.deepEqual(rows, [
      { kind: "death", n: DEATHS, sent: DEATHS },
      { kind: "reset", n: RESETS, sent: RESETS },
      { kind: "verify", n: VERIFICATIONS, sent: VERIFICATIONS },
    ]);
    for (const p of resetPlayers) assert.equal(smtp.to(`${p.username}@reset.test`).length, 1);
    for (const p of newcomers) assert.equal(smtp.to(`${p.username}@verify.test`).length, 1);
    for (const p of doomed) assert.match(smtp.to(`${p.username}@death.test`)[0]?.mail.subject ?? "", /has fallen/);

    // No address or token reached a log line.
    const logs = stack.logs();
    const tokens = smtp.received.flatMap((r) => [...(r.mail.text ?? "").matchAll(/token=([A-Za-z0-9_.%-]+)/g)].map((m) => decodeURIComponent(m[1]!)));
    assert.ok(tokens.length >= RESETS + VERIFICATIONS, "the tokens searched for");
    const addresses = smtp.received.flatMap((r) => r.to);
    const leaked = [...tokens, ...addresses].filter((s) => logs.includes(s));
    assert.deepEqual(leaked, []);
    assert.ok(/not sent: ECONNECTION|not sent: ESOCKET|not sent: ETIMEDOUT/.test(logs), "the failed tries were logged, by SMTP code");

    recordReliability({
      id: "08-smtp-down",
      fault: "SMTP server down while emails are promised",
      how: `the test's own SMTP server (smtp-server) stops; ${RESETS} password resets and ${VERIFICATIONS} address changes are requested and ${DEATHS} opted-in players die in fights; the worker is restarted (SIGTERM) during the outage; the server comes back; the worker is restarted again once everything is sent`,
      held: "every request was answered 202; every promised email was delivered once, with its own Message-ID; none was sent again after the restarts; no address or token appeared in any log line",
      numbers: {
        "emails promised": promised,
        "answered 202": `${statuses.length} of ${statuses.length}`,
        "outage (ms)": downMs,
        "tries during the outage": tries,
        "delivered after the server came back": smtp.received.length,
        "sent twice": smtp.received.length - new Set(ids).size,
        "last delivery after the server came back (ms)": catchUpMs,
        "addresses and tokens found in the logs": leaked.length,
      },
    });
  });
});
