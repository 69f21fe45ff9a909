/** Where the test runner (`npm test`) put the services; tests refuse to run without it. */
function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test" (scripts/test.ts prepares the services)`);
  return value;
}

export const TEST_ENV = {
  adminDatabaseUrl: need("TEST_ADMIN_DATABASE_URL"),
  templateDatabase: need("TEST_TEMPLATE_DATABASE"),
  redisUrl: need("TEST_REDIS_URL"),
  logLevel: process.env.TEST_LOG_LEVEL ?? "silent",
  /** When set, the game under test reaches PostgreSQL through the PgBouncer listening on this port. */
  pgbouncerPort: process.env.TEST_PGBOUNCER_PORT,
  /** When set, overrides DB_PREPARED_STATEMENTS for the game under test (old PgBouncers need "false"). */
  preparedStatements: process.env.TEST_DB_PREPARED_STATEMENTS,
  /** When set, the game under test uses this Redis Cluster (host:port,...) instead of TEST_REDIS_URL. */
  redisClusterNodes: process.env.TEST_REDIS_CLUSTER_NODES,
};
