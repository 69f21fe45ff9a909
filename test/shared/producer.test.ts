import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { JobProducer, QUEUE, combatJobId, createRedis, redisReady, statsJobId } from "@echoes/shared";
import { TEST_ENV } from "../support/env";

describe("the job producer", () => {
  const prefix = `echoes-t-${randomBytes(4).toString("hex")}`;
  let redis: Redis;
  before(async () => {
    redis = createRedis({ url: TEST_ENV.redisUrl }, "producer", "echoes-test-producer") as Redis;
    await redisReady(redis, 5_000);
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("recovers from a queue whose start failed: the next enqueue opens a new one", async () => {
    // BullMQ's first command on a queue's connection is INFO; make the first one fail, as when
    // Redis goes away between connecting and that command.
    const real = redis.info.bind(redis);
    let failures = 1;
    (redis as unknown as { info: (...args: unknown[]) => Promise<string> }).info = (...args: unknown[]) =>
      failures-- > 0 ? Promise.reject(new Error("Connection is closed.")) : (real as (...a: unknown[]) => Promise<string>)(...args);
    const producer = new JobProducer(redis, prefix);
    try {
      const first = producer.queue(QUEUE.stats);
      await assert.rejects(producer.stats("fight-1"), /Connection is closed/);
      await new Promise((resolve) => setImmediate(resolve));
      await producer.stats("fight-1");
      assert.equal(await producer.state(QUEUE.stats, statsJobId("fight-1")), "waiting");
      assert.notEqual(producer.queue(QUEUE.stats), first, "the failed queue was replaced");
    } finally {
      await producer.close();
    }
  });

  it("enqueues the combat turns of one moment in one pipeline to Redis, each with its own job id", async () => {
    const producer = new JobProducer(redis, prefix);
    try {
      await producer.queue(QUEUE.combat).waitUntilReady();
      const pipelines = { count: 0 };
      const real = redis.pipeline.bind(redis);
      (redis as unknown as { pipeline: typeof redis.pipeline }).pipeline = ((...args: Parameters<typeof redis.pipeline>) => {
        pipelines.count++;
        return real(...args);
      }) as typeof redis.pipeline;
      const turns = Array.from({ length: 20 }, (_, i) => ({ actionId: 100 + i, combatId: 500 + i, turn: 1, playerId: 900 + i }));
      const ids = await Promise.all(turns.map((turn) => producer.combatTurn(turn)));
      (redis as unknown as { pipeline: typeof redis.pipeline }).pipeline = real;
      assert.deepEqual(
        ids,
        turns.map((t) => combatJobId(t.combatId, t.turn)),
      );
      assert.equal(pipelines.count, 1, "one pipeline for the twenty");
      const states = await Promise.all(ids.map((id) => producer.state(QUEUE.combat, id)));
      assert.deepEqual(new Set(states), new Set(["waiting"]));
      const job = await producer.queue(QUEUE.combat).getJob(ids[3]!);
      assert.deepEqual(job?.data, turns[3]);
      assert.equal(job?.opts.attempts, 8, "the default job options apply");
    } finally {
      await producer.close();
    }
  });
});
