import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

/** Where the committed migrations live: `DB_MIGRATIONS_DIR`, else `packages/db/drizzle`. */
export function migrationsFolder(): string {
  const fromEnv = process.env.DB_MIGRATIONS_DIR;
  if (fromEnv) return fromEnv;
  const folder = join(dirname(createRequire(import.meta.url).resolve("@echoes/db/package.json")), "drizzle");
  if (!existsSync(folder)) throw new Error(`migrations folder not found at ${folder}; set DB_MIGRATIONS_DIR`);
  return folder;
}

/** An arbitrary constant that names this schema's migration lock. */
const MIGRATION_LOCK = 7_466_813_001;

/**
 * Applies pending migrations under a session advisory lock, so processes starting together
 * migrate one after the other. Run it against PostgreSQL directly: PgBouncer in transaction
 * mode cannot hold a session lock.
 */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "echoes-migrate" });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await migrate(drizzle({ client, casing: "snake_case" }), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
