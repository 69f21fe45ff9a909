import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import pg from "pg";
import { TEST_ENV } from "./env";

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const newName = () => `echoes_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString("hex")}`;

/** Runs one statement as the administrator (on the server's admin database). */
async function asAdmin(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_ENV.adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

function handle(name: string): TestDatabase {
  return { name, url: withDatabase(TEST_ENV.adminDatabaseUrl, name), drop: () => asAdmin(`drop database if exists ${name} with (force)`) };
}

/** A fresh database cloned from the migrated, seeded template: each test file owns one. */
export async function createTestDatabase(name = newName()): Promise<TestDatabase> {
  // The template must have no other sessions while it is copied; retry briefly if another file is copying it.
  for (let attempt = 0; ; attempt++) {
    try {
      await asAdmin(`create database ${name} template ${TEST_ENV.templateDatabase}`);
      return handle(name);
    } catch (err) {
      if (attempt >= 50 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
    }
  }
}

/** An empty database (no schema at all), for tests of the migrations themselves. */
export async function createEmptyDatabase(name = newName()): Promise<TestDatabase> {
  await asAdmin(`create database ${name}`);
  return handle(name);
}

/** Inside a `describe`: the suite's own database and one client on it, created before its tests and dropped after them. */
export function useTestDatabase(): { readonly db: TestDatabase; readonly client: pg.Client } {
  const handle = {} as { db: TestDatabase; client: pg.Client };
  before(async () => {
    handle.db = await createTestDatabase();
    handle.client = new pg.Client({ connectionString: handle.db.url });
    await handle.client.connect();
  });
  after(async () => {
    await handle.client?.end();
    await handle.db?.drop();
  });
  return handle;
}

/** Waits until some session of the current database waits for a lock (a statement queued behind a transaction the test holds open). */
export async function waitForLockWait(sql: (text: string) => Promise<any[]>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const waiting = await sql("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    if (waiting[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("no session ever waited for a lock");
}
