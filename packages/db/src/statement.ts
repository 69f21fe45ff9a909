import { randomInt } from "node:crypto";
import type pg from "pg";
import { type Database, type Db, pgErrorCode } from "./client";

/** A hand-written statement with a stable name, run as a named prepared statement when allowed. */
export interface Statement {
  name: string;
  text: string;
}

export function statement(name: string, text: string): Statement {
  return { name, text: text.replace(/\s+/g, " ").trim() };
}

/** Anything that can run a query: a pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/** Runs a statement on the pool behind a drizzle handle (or a transaction client) and returns its rows. */
export async function run<R extends pg.QueryResultRow>(
  database: Pick<Database, "preparedStatements">,
  target: Db | Queryable,
  stmt: Statement,
  values: unknown[],
): Promise<R[]> {
  const client: Queryable = "$client" in target ? (target.$client as Queryable) : (target as Queryable);
  const config: pg.QueryConfig = database.preparedStatements ? { name: stmt.name, text: stmt.text, values } : { text: stmt.text, values };
  const result = await client.query<R>(config);
  return result.rows;
}

/** PostgreSQL's "try again" errors: a deadlock victim or a serialization failure. */
export const RETRYABLE_CODES = new Set(["40P01", "40001"]);

/**
 * Runs `work` in one transaction on a dedicated primary connection, retried (twice, after a
 * short random pause) when PostgreSQL picks it as a deadlock victim. `work` must only touch
 * the database, so that running it again is safe. The connection is discarded instead of
 * reused if the rollback itself failed.
 */
export async function transaction<T>(database: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(database, work);
    } catch (err) {
      if (attempt >= 3 || !RETRYABLE_CODES.has(pgErrorCode(err) ?? "")) throw err;
      await new Promise((r) => setTimeout(r, 5 + randomInt(20 * attempt)));
    }
  }
}

async function transactionOnce<T>(database: Database, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await database.pools.primary.connect();
  let broken: Error | undefined;
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (err) {
    await client.query("rollback").catch((rollbackErr: Error) => {
      broken = rollbackErr;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
