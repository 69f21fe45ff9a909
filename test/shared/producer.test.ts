import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Redis } from "ioredis";
import { JobProducer, QUEUE, createRedis, redisReady, statsJobId } from "@echoes/shared";
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
});
