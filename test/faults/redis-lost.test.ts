import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Fighter, auditWhenApplied, longFights } from "../support/fights";
import { eventually } from "../support/http";
import { recordReliability } from "../support/reliability";
import { FaultStack } from "../support/stack";

const HP = 100_000;

describe("fault: Redis restarts empty in the middle of play", () => {
  let stack: FaultStack;
  let fighters: Fighter[];
  before(async () => {
    stack = await FaultStack.start({ SWEEP_AFTER_S: "2", WORLD_TICK_SCALE: "0.2" });
    await stack.startApi();
    await stack.startWorker();
    fighters = await longFights(stack, 12, "dust-road", HP);
  });
  after(() => stack.close());

  it("keeps reads answering, records actions it cannot queue, then applies every recorded action once and caches again", async () => {
    const outcomes = { accepted: 0, recordedUnqueued: 0, otherStatuses: [] as number[] };
    const readStatuses = { during: new Map<number, number>(), total: 0 };
    let redisDown = false;
    let running = true;

    const client = async (f: Fighter) => {
      while (running) {
        const res = await stack.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } });
        let jobId: string;
        if (res.status === 202) {
          if (res.body.queued === false) outcomes.recordedUnqueued++;
          else outcomes.accepted++;
          jobId = res.body.jobId;
        } else if (res.status === 409 && res.body.error.code === "turn_pending") {
          jobId = res.body.error.details.jobId;
        } else {
          outcomes.otherStatuses.push(res.status);
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        await eventually(
          async () => {
            const [row] = await stack.sql("select status from combat_actions where combat_id = $1 and turn = $2", [f.combatId, Number(jobId.split("-")[2])]);
            return row?.status === "completed";
          },
          60_000,
          `job ${jobId}`,
        );
      }
    };
    const reader = async () => {
      const [p] = await stack.createPlayers(1, "cinderhold-square");
      while (running) {
        const res = await stack.call("GET", "/v1/location", { token: p!.token });
        readStatuses.total++;
        if (redisDown) readStatuses.during.set(res.status, (readStatuses.during.get(res.status) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const work = [...fighters.map(client), reader(), reader()];

    await new Promise((r) => setTimeout(r, 1_500));
    redisDown = true;
    await stack.stopRedis();
    await new Promise((r) => setTimeout(r, 3_000));
    await stack.startRedis();
    redisDown = false;
    await new Promise((r) => setTimeout(r, 4_000));
    running = false;
    await Promise.all(work);

    const audit = await auditWhenApplied(stack, fighters, HP, 60_000, "every recorded action applied");
    assert.deepEqual(audit.problems, []);
    const [{ n: recorded }] = await stack.sql("select count(*)::int as n from combat_actions where combat_id = any($1)", [fighters.map((f) => f.combatId)]);
    assert.equal(audit.applied, recorded, "every recorded action was applied, once");
    assert.ok(outcomes.recordedUnqueued > 0, "some enqueues hit the outage");
    assert.deepEqual(outcomes.otherStatuses, []);
    assert.deepEqual([...readStatuses.during.keys()], [200], `reads during the outage: ${JSON.stringify([...readStatuses.during])}`);

    // The cache works again, and with fresh data: a drop shows on the next read, which is then a cache hit.
    const [p] = await stack.createPlayers(1, "scrap-market", [{ itemId: "duct-tape", quantity: 2 }]);
    const hitsBefore = await cacheHits(stack.apiUrl);
    await stack.call("GET", "/v1/location", { token: p!.token });
    const dropped = await stack.call("POST", "/v1/drop", { token: p!.token, body: { items: [{ itemId: "duct-tape", quantity: 1 }] } });
    assert.equal(dropped.status, 200);
    const fresh = await stack.call("GET", "/v1/location", { token: p!.token });
    assert.ok(fresh.body.items.some((i: any) => i.id === dropped.body.stacks[0].id));
    await stack.call("GET", "/v1/location", { token: p!.token });
    assert.ok((await cacheHits(stack.apiUrl)) > hitsBefore, "reads are served from Redis again");
    for (const p of [...stack.apis, ...stack.workers]) assert.equal(p.child.exitCode, null, "no process exited");

    recordReliability({
      id: "02-redis-lost",
      fault: "Redis restarted empty mid-play (down 3 s, all jobs and cache lost)",
      how: "12 clients fight and 2 clients read the location view continuously; the test SIGKILLs its Redis and starts a new empty one on the same port 3 s later",
      held: "reads kept answering 200 from PostgreSQL; actions sent during the outage were still accepted (202, queued: false) and recorded; the sweeper queued every recorded action and each was applied exactly once; the cache served fresh data again; no process exited",
      numbers: {
        "actions accepted and queued (202)": outcomes.accepted,
        "accepted during the outage, queued later (202, queued: false)": outcomes.recordedUnqueued,
        applied: audit.applied,
        lost: recorded - audit.applied,
        "reads during the outage": [...readStatuses.during.values()].reduce((a, b) => a + b, 0),
        "5xx reads": [...readStatuses.during].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0),
      },
    });
  });
});

async function cacheHits(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith('cache_lookups_total{cache="location",result="hit"}'));
  return line ? Number(line.split(" ")[1]) : 0;
}
