import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { openDatabase } from "@echoes/db";
import { loadApiConfig } from "../../apps/api/src/config";
import { type TestDatabase, createTestDatabase } from "../support/db";

describe("slow-query log", () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(() => db.drop());

  it("writes one structured line, with the SQL and its duration, for a statement over the threshold", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const logger = pino({ level: "info" }, sink);
    const config = loadApiConfig({ DATABASE_URL: db.url, DB_SLOW_QUERY_MS: "50" });
    const database = openDatabase(config, logger);
    try {
      await database.pools.primary.query("select 1");
      await database.pools.primary.query("select pg_sleep(0.12) as slow_on_purpose");
      await database.pools.primary.query("select count(*) from locations");
      await new Promise((r) => setTimeout(r, 50));
      const slow = lines.filter((l) => l.msg === "slow query");
      assert.equal(slow.length, 1, JSON.stringify(lines));
      assert.match(String(slow[0]!.sql), /pg_sleep\(0\.12\) as slow_on_purpose/);
      assert.ok(Number(slow[0]!.durationMs) >= 100, `durationMs ${slow[0]!.durationMs}`);
      assert.equal(slow[0]!.pool, "primary");
      assert.equal(slow[0]!.level, 40);
    } finally {
      await database.close();
    }
  });
});
