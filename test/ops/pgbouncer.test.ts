import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TEST_ENV } from "../support/env";
import { runTestFiles } from "../support/nested";
import { type Service, startPgBouncer, which } from "../support/ops";

const files = ["test/api", "test/worker"].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => join(dir, f)),
);

describe("the game behind a real PgBouncer in transaction mode", {
  skip: which("pgbouncer", ["/usr/sbin/pgbouncer"]) ? false : "pgbouncer is not installed (apt-get install pgbouncer)",
}, () => {
  let bouncer: Service & { log(): string; preparedStatements: boolean };
  before(async () => {
    const admin = new URL(TEST_ENV.adminDatabaseUrl);
    bouncer = await startPgBouncer({
      host: admin.hostname,
      port: Number(admin.port || 5432),
      user: decodeURIComponent(admin.username || "postgres"),
      password: decodeURIComponent(admin.password),
    });
  });
  after(() => bouncer.stop());

  it(`passes the end-to-end tests (${files.length} files) with the API and the worker connected through it`, async () => {
    // Named prepared statements need PgBouncer >= 1.21; with an older one the game runs with them off, as operators must.
    const run = await runTestFiles(files, { TEST_PGBOUNCER_PORT: String(bouncer.port), TEST_DB_PREPARED_STATEMENTS: String(bouncer.preparedStatements) });
    assert.equal(run.code, 0, run.output.slice(-4000));
    assert.equal(run.fail, 0);
    assert.ok(run.pass > 40, `${run.pass} tests passed`);
    const logins = new Set([...bouncer.log().matchAll(/login attempt: db=(echoes_t_\w+)/g)].map((m) => m[1]));
    assert.ok(logins.size >= files.length, `the tests' databases were reached through PgBouncer (${logins.size} of them)`);
  });
});
