import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Batcher } from "@echoes/shared";

/** A batcher whose batches finish when the test says so, recording what each batch held. */
function controlled(policy: { size: number; waitMs: number; inFlight?: number }, fails: (items: number[]) => Error | null = () => null) {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const observed: number[] = [];
  const batcher = new Batcher<number, string>(
    async (items) => {
      batches.push(items);
      await new Promise<void>((resolve) => pending.push(resolve));
      const err = fails(items);
      if (err) throw err;
      return items.map((n) => `done ${n}`);
    },
    policy,
    (err) => (err as Error).message === "refused",
    (size) => observed.push(size),
  );
  /** Lets every batch started so far finish, and waits for their callers to hear. */
  const finish = async () => {
    for (const resolve of pending.splice(0)) resolve();
    await new Promise((r) => setImmediate(r));
  };
  return { batcher, batches, finish, observed };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("the batcher", () => {
  it("gathers what is submitted in one turn of the event loop into one batch, and gives each caller its own outcome", async () => {
    const { batcher, batches, finish } = controlled({ size: 100, waitMs: 0 });
    const outcomes = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    assert.deepEqual(batches, [], "nothing goes before the turn ends");
    await tick();
    assert.deepEqual(batches, [[1, 2, 3]]);
    await finish();
    assert.deepEqual(await outcomes, ["done 1", "done 2", "done 3"]);
  });

  it("applies at most inFlight batches at once; what comes meanwhile goes together when one finishes", async () => {
    const { batcher, batches, finish } = controlled({ size: 100, waitMs: 0, inFlight: 1 });
    const first = batcher.submit(1);
    await tick();
    const later = [2, 3, 4].map((n) => batcher.submit(n));
    await tick();
    const last = batcher.submit(5);
    await tick();
    assert.deepEqual(batches, [[1]], "the others wait for the batch in flight");
    await finish();
    assert.equal(await first, "done 1");
    assert.deepEqual(batches, [[1], [2, 3, 4, 5]]);
    await finish();
    assert.deepEqual(await Promise.all([...later, last]), ["done 2", "done 3", "done 4", "done 5"]);
    assert.deepEqual(batcher.inFlight, { batches: 0, items: 0 });
  });

  it("sends a full batch at once and cuts what waits into batches of at most size", async () => {
    const { batcher, batches, finish } = controlled({ size: 3, waitMs: 60_000, inFlight: 1 });
    const outcomes = Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.submit(n)));
    assert.deepEqual(batches, [[1, 2, 3]], "a full batch does not wait");
    await finish();
    assert.deepEqual(batches, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await finish();
    assert.deepEqual(batches, [[1, 2, 3], [4, 5, 6], [7]], "the rest had waited while the slot was taken, so it goes without its wait");
    await finish();
    assert.equal((await outcomes).length, 7);
  });

  it("waits waitMs for others to join the first item", async () => {
    const { batcher, batches, finish } = controlled({ size: 100, waitMs: 30 });
    const outcomes = [batcher.submit(1)];
    await tick();
    outcomes.push(batcher.submit(2));
    assert.deepEqual(batches, []);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(batches, [[1, 2]]);
    await finish();
    assert.deepEqual(await Promise.all(outcomes), ["done 1", "done 2"]);
  });

  it("tries a refused batch again item by item, so that only the item at fault fails", async () => {
    const { batcher, batches, finish, observed } = controlled({ size: 100, waitMs: 0 }, (items) => (items.includes(2) ? new Error("refused") : null));
    const settled = Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));
    await tick();
    await finish();
    await finish();
    const results = await settled;
    assert.deepEqual(batches, [[1, 2, 3], [1], [2], [3]]);
    assert.deepEqual(
      results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
      ["done 1", "refused", "done 3"],
    );
    assert.deepEqual(observed, [1, 1], "the batches that were applied");
  });

  it("fails every item of a batch when a dependency is down, without trying them one by one", async () => {
    const { batcher, batches, finish } = controlled({ size: 100, waitMs: 0 }, () => new Error("connection refused"));
    const settled = Promise.allSettled([1, 2].map((n) => batcher.submit(n)));
    await tick();
    await finish();
    assert.deepEqual(
      (await settled).map((r) => r.status === "rejected" && (r.reason as Error).message),
      ["connection refused", "connection refused"],
    );
    assert.deepEqual(batches, [[1, 2]]);
  });
});
