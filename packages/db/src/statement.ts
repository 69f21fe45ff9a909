import { randomInt } from "node:crypto";
import type pg from "pg";
import { type Database, type Db, pgErrorCode } from "./client";

/**
 * A hand-written statement with a stable name, run as a named prepared statement when allowed.
 * `Row` is the shape of each row it returns (the aliases its SQL gives the columns) and `Params`
 * the values of its `$1…$n`, in order: both are declared once, where the SQL is.
 *
 * @example
 * const playerLocation = statement<{ locationId: string }, [playerId: number]>(
 *   "player_location",
 *   `select location_id as "locationId" from players where id = $1`,
 * );
 * const [row] = await run(database, database.primary, playerLocation, [42]);
 */
export interface Statement<Row extends pg.QueryResultRow = Record<string, never>, Params extends readonly unknown[] = []> {
  readonly name: string;
  readonly text: string;
  /** Never set: carries the row and parameter types from the declaration to `run`. */
  readonly types?: { row: Row; params: Params };
}

export function statement<Row extends pg.QueryResultRow = Record<string, never>, Params extends readonly unknown[] = []>(
  name: string,
  text: string,
): Statement<Row, Params> {
  return { name, text: text.replace(/\s+/g, " ").trim() };
}

/** Anything that can run a query: a pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/** Runs a statement on the pool behind a drizzle handle (or a transaction client) and returns its rows. */
export async function run<Row extends pg.QueryResultRow, Params extends readonly unknown[]>(
  database: Pick<Database, "preparedStatements">,
  target: Db | Queryable,
  stmt: Statement<Row, Params>,
  values: NoInfer<Params>,
): Promise<Row[]> {
  const client: Queryable = "$client" in target ? (target.$client as Queryable) : (target as Queryable);
  const config: pg.QueryConfig = database.preparedStatements
    ? { name: stmt.name, text: stmt.text, values: [...values] }
    : { text: stmt.text, values: [...values] };
  const result = await client.query<Row>(config);
  return result.rows;
}

export interface TransactionOptions {
  /** Settings for this transaction only (`SET LOCAL`), by name: constants of the code, never input. */
  settings?: Readonly<Record<string, "on" | "off" | number>>;
}

/** PostgreSQL's "try again" errors: a deadlock victim or a serialization failure. */
export const RETRYABLE_CODES = new Set(["40P01", "40001"]);

/**
 * Runs `work` in one transaction on a dedicated primary connection, retried (twice, after a
 * short random pause) when PostgreSQL picks it as a deadlock victim. `work` must only touch
 * the database, so that running it again is safe. The connection is discarded instead of
 * reused if the rollback itself failed.
 */
export async function transaction<T>(database: Database, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionOnce(database, work, options);
    } catch (err) {
      if (attempt >= 3 || !RETRYABLE_CODES.has(pgErrorCode(err) ?? "")) throw err;
      await new Promise((r) => setTimeout(r, 5 + randomInt(20 * attempt)));
    }
  }
}

async function transactionOnce<T>(database: Database, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions): Promise<T> {
  const client = await database.pools.primary.connect();
  let broken: Error | undefined;
  try {
    // Settings go in the same message as BEGIN: no round trip of their own.
    await client.query(
      options.settings
        ? `begin; ${Object.entries(options.settings)
            .map(([name, value]) => `set local ${name} = ${value}`)
            .join("; ")}`
        : "begin",
    );
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
