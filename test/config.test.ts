import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { ConfigError } from "@echoes/shared";
import { loadApiConfig } from "../apps/api/src/config";
import { loadWorkerConfig } from "../apps/worker/src/config";

const base = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/echoes" };

describe("configuration", () => {
  it("names every bad variable", () => {
    assert.throws(
      () => loadApiConfig({ DATABASE_URL: "not-a-url", PORT: "seventy", DB_POOL_SIZE: "0" }),
      (err: unknown) => err instanceof ConfigError && /DATABASE_URL/.test(err.message) && /PORT/.test(err.message) && /DB_POOL_SIZE/.test(err.message),
    );
    assert.throws(
      () => loadWorkerConfig({}),
      (err: unknown) => err instanceof ConfigError && /DATABASE_URL \(unset\)/.test(err.message),
    );
  });

  it("requires a token secret in production and never prints it", () => {
    assert.throws(() => loadApiConfig({ ...base, NODE_ENV: "production" }), /JWT_SECRET/);
    assert.throws(
      () => loadApiConfig({ ...base, JWT_SECRET: "short-and-secret" }),
      (err: Error) => /JWT_SECRET \(set \(hidden\)\)/.test(err.message) && !err.message.includes("short-and-secret"),
    );
  });

  it("defaults the pool to the review's figures", () => {
    const config = loadApiConfig(base);
    assert.equal(config.DB_POOL_SIZE, 20);
    assert.equal(config.DB_POOL_MAX_OVERFLOW, 30);
    assert.equal(config.DB_POOL_TIMEOUT_MS, 30_000);
    assert.equal(config.DB_POOL_RECYCLE_S, 3600);
    assert.equal(config.DB_POOL_PRE_PING, true);
  });

  for (const app of ["api", "worker"]) {
    it(`the ${app} process exits 78 (EX_CONFIG) naming DATABASE_URL when it is not a URL`, () => {
      const run = spawnSync(process.execPath, ["--import", "tsx", `apps/${app}/src/main.ts`], {
        env: { ...process.env, DATABASE_URL: "not-a-url" },
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(run.status, 78);
      assert.match(run.stderr, /DATABASE_URL \("not-a-url"\): must be a postgres/);
    });
  }
});

describe("configuration errors", () => {
  it("never print the password inside a connection URL", () => {
    assert.throws(
      () => loadApiConfig({ DATABASE_URL: "postgresql+asyncpg://echoes:S3cretPassw0rd@db:5432/echoes", REDIS_URL: "redis://:RedisS3cret@redis:6379x" }),
      (err: Error) => /DATABASE_URL/.test(err.message) && /REDIS_URL/.test(err.message) && !/S3cret/.test(err.message) && /echoes:\*\*\*@db/.test(err.message),
    );
  });
});
