import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { runTestFiles } from "../support/nested";
import { startRedisCluster, which } from "../support/ops";

const files = ["test/api/combat.test.ts", "test/api/cache.test.ts"];

describe("the game on a real three-master Redis Cluster", {
  skip: which("redis-cli") && which("redis-server") ? false : "redis-server and redis-cli are not installed",
}, () => {
  let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  after(() => cluster.stop());

  it("passes the end-to-end combat and cache tests with queues and cache on the cluster", async () => {
    const run = await runTestFiles(files, { TEST_REDIS_CLUSTER_NODES: cluster.nodes }, 1);
    assert.equal(run.code, 0, run.output.slice(-4000));
    assert.equal(run.fail, 0);
    assert.ok(run.pass >= 10, `${run.pass} tests passed`);
    // The work really was spread over the masters: each queue's keys sit in one slot, different queues on different nodes.
    const [first] = cluster.nodes.split(",");
    const [host, port] = first!.split(":");
    const shards = spawnSync("redis-cli", ["-h", host!, "-p", port!, "cluster", "shards"], { encoding: "utf8" }).stdout;
    assert.match(shards, /slots/);
    let keysOnNodes = 0;
    for (const node of cluster.nodes.split(",")) {
      const [h, p] = node.split(":");
      const size = Number(spawnSync("redis-cli", ["-h", h!, "-p", p!, "dbsize"], { encoding: "utf8" }).stdout.trim());
      if (size > 0) keysOnNodes++;
    }
    assert.ok(keysOnNodes >= 2, `keys landed on ${keysOnNodes} of 3 masters`);
  });
});
