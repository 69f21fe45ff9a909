import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Fighter, auditWhenApplied, longFights } from "../support/fights";
import { eventually } from "../support/http";
import { recordReliability } from "../support/reliability";
import { FaultStack } from "../support/stack";

const HP = 100_000;

describe("fault: the worker is killed under a steady stream of combat actions", () => {
  let stack: FaultStack;
  let fighters: Fighter[];
  before(async () => {
    stack = await FaultStack.start();
    await stack.startApi();
    fighters = await longFights(stack, 24, "dust-road", HP);
  });
  after(() => stack.close());

  it("applies every action answered 202 exactly once, across two SIGKILLs and restarts", async () => {
    await stack.startWorker();
    const accepted: string[] = [];
    const refused: number[] = [];
    let running = true;
    // Clients as a game would have them: send an action, wait for its result, send the next.
    const client = async (f: Fighter) => {
      while (running) {
        const res = await stack.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } });
        if (res.status !== 202) {
          refused.push(res.status);
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        accepted.push(res.body.jobId);
        await eventually(
          async () => {
            const job = await stack.call("GET", `/v1/jobs/${res.body.jobId}`, { token: f.token });
            return job.body.state === "completed";
          },
          60_000,
          `job ${res.body.jobId}`,
        );
      }
    };
    const clients = fighters.map(client);
    const kills: number[] = [];
    for (let round = 0; round < 2; round++) {
      await new Promise((r) => setTimeout(r, 1_500));
      const victim = stack.workers.at(-1)!;
      kills.push(accepted.length);
      victim.kill("SIGKILL");
      assert.equal((await victim.exited).signal, "SIGKILL");
      await new Promise((r) => setTimeout(r, 500));
      await stack.startWorker();
    }
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await Promise.all(clients);

    const audit = await auditWhenApplied(stack, fighters, HP, 30_000, "every accepted action applied");
    assert.deepEqual(audit.problems, []);
    assert.equal(audit.applied, accepted.length, "every 202 has exactly one applied turn, and nothing else was applied");
    assert.deepEqual(refused, [], "no action was refused while workers died");
    for (const api of stack.apis) assert.equal(api.child.exitCode, null, "the API stayed up");
    recordReliability({
      id: "01-worker-killed",
      fault: "Worker killed (SIGKILL) mid-batch",
      how: "24 clients play fights without pause (send, wait for the result, send again) against an API and a worker process; the worker is SIGKILLed twice and restarted",
      held: "every action answered 202 was applied exactly once: turns 1..n all completed, each fight's damage totals and both sides' HP equal the sum of the stored turn results",
      numbers: {
        "actions accepted": accepted.length,
        applied: audit.applied,
        lost: accepted.length - audit.applied,
        "applied twice": audit.problems.length,
        "kills (after n accepted)": kills.join(", "),
      },
    });
  });
});
