import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { type Fighter, auditWhenApplied, longFights } from "../support/fights";
import { eventually, request } from "../support/http";
import { recordReliability } from "../support/reliability";
import { FaultStack } from "../support/stack";

const HP = 100_000;

describe("graceful shutdown under load", () => {
  let stack: FaultStack;
  const numbers: Record<string, number | string> = {};
  before(async () => {
    stack = await FaultStack.start();
  });
  after(async () => {
    recordReliability({
      id: "05-graceful-shutdown",
      fault: "SIGTERM to the API and to the worker under load",
      how: "40 sign-ups are held inside the API (waiting on a table lock the test holds) when it gets SIGTERM, and released 1.5 s later; 10 clients fight while the worker gets SIGTERM, then a new worker starts",
      held: "every request the API had received was answered (no reset) and it exited 0; the worker finished its active jobs and exited 0; every accepted action was applied exactly once",
      numbers,
    });
    await stack.close();
  });

  it("the API finishes the requests it received, then exits 0", async () => {
    const { url, process } = await stack.startApi({ SHUTDOWN_TIMEOUT_MS: "20000" });
    // Hold the players table, so that every sign-up is provably inside the API (waiting on the
    // database) when SIGTERM arrives, and stays in flight through the drain.
    const holder = new pg.Client({ connectionString: stack.env.DATABASE_URL });
    await holder.connect();
    await holder.query("begin");
    await holder.query("lock table players in exclusive mode");
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      request(url, "POST", "/v1/auth/register", { body: { username: `late_${i}_${Date.now() % 100000}`, password: "correct horse battery" } }).then(
        (r) => r.status,
        (err: Error) => `${err.message}: ${String((err as { cause?: unknown }).cause)}`,
      ),
    );
    await eventually(
      async () => {
        const [{ n }] = await stack.sql(
          "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and application_name = 'echoes-api-primary'",
        );
        return n === 40;
      },
      60_000,
      "all 40 sign-ups waiting inside the API",
    );
    process.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(process.child.exitCode, null, "still draining while requests are in flight");
    await holder.query("rollback");
    await holder.end();
    const results = await Promise.all(inFlight);
    const { code } = await process.exited;
    assert.deepEqual(
      results.filter((r) => r !== 201),
      [],
      "every received request got its answer",
    );
    assert.equal(code, 0);
    const refused = await request(url, "GET", "/healthz").then(
      () => "answered",
      () => "refused",
    );
    assert.equal(refused, "refused", "a stopped API takes no new connections");
    numbers["API requests in flight at SIGTERM"] = results.length;
    numbers["answered / reset"] = `${results.filter((r) => r === 201).length} / ${results.filter((r) => r !== 201).length}`;
    numbers["API exit code"] = code ?? "signal";
  });

  it("the worker lets active jobs finish, exits 0, and the next worker picks up the rest", async () => {
    await stack.startApi();
    const worker = await stack.startWorker({ WORKER_CONCURRENCY: "4" });
    const fighters: Fighter[] = await longFights(stack, 10, "dust-road", HP);
    let running = true;
    let accepted = 0;
    const client = async (f: Fighter) => {
      while (running) {
        const res = await stack.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } });
        if (res.status !== 202) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        accepted++;
        await eventually(
          async () => (await stack.call("GET", `/v1/jobs/${res.body.jobId}`, { token: f.token })).body.state === "completed",
          60_000,
          res.body.jobId,
        );
      }
    };
    const clients = fighters.map(client);
    await new Promise((r) => setTimeout(r, 1_500));
    worker.kill("SIGTERM");
    const { code } = await worker.exited;
    assert.equal(code, 0);
    assert.match(worker.output(), /worker stopped/);
    await stack.startWorker();
    await new Promise((r) => setTimeout(r, 1_000));
    running = false;
    await Promise.all(clients);
    const audit = await auditWhenApplied(stack, fighters, HP, 30_000, "all applied");
    assert.deepEqual(audit.problems, []);
    assert.equal(audit.applied, accepted);
    numbers["combat actions accepted / applied"] = `${accepted} / ${audit.applied}`;
    numbers["worker exit code"] = code ?? "signal";
  });
});
