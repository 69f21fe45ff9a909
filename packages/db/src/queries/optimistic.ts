// A player's write in one statement, trusted only when nothing it read has moved. A statement
// reads with the snapshot taken when it started, but a row it locks comes back as it stands
// (READ COMMITTED): a change of the player's pack committed while it waited for the player's lock
// is invisible to its reads. Every writer of a pack or of status effects updates the player row,
// so the statement compares the row's `xmin` as the snapshot saw it with the `xmin` it locked; when
// they differ (or its guess of the state was wrong) it writes nothing and answers "stale".
import { GameError } from "@echoes/shared";
import type pg from "pg";
import { type Database, type Db, pgErrorCode } from "../client";
import { RETRYABLE_CODES, type Statement, run, statement, transaction } from "../statement";

/** What an attempt answers when it wrote nothing because what it read may be out of date. */
export const STALE = Symbol("stale");

/** One try: a single statement on the pool, or inside the transaction that holds the player's lock. */
export type Attempt<T> = (target: Db | pg.PoolClient) => Promise<T | typeof STALE>;

// Tries as one statement each (one round trip) before taking the player's lock first.
const SINGLE_STATEMENT_TRIES = 3;

const lockPlayer = statement<{ id: number }, [playerId: number]>("lock_player", "select id from players where id = $1 for no key update");

/**
 * Runs `attempt` until it is not stale: as one statement (one round trip) up to three times, then,
 * while the player's own requests keep changing the row under it, in a transaction that takes the
 * player's lock before the statement starts, so that its snapshot is the latest state (a wrong
 * guess costs it one more statement there). A deadlock victim counts as a stale try.
 */
export async function optimistically<T>(database: Database, playerId: number, attempt: Attempt<T>): Promise<T> {
  for (let tries = 0; tries < SINGLE_STATEMENT_TRIES; tries++) {
    const result = await attempt(database.primary).catch((err: unknown): typeof STALE => {
      if (RETRYABLE_CODES.has(pgErrorCode(err) ?? "")) return STALE;
      throw err;
    });
    if (result !== STALE) return result;
  }
  return transaction(database, async (client) => {
    await run(database, client, lockPlayer, [playerId]);
    for (let tries = 0; tries < 2; tries++) {
      const result = await attempt(client);
      if (result !== STALE) return result;
    }
    throw new GameError("conflict", "Your state changed while acting; try again.");
  });
}

/** A verdict row with "stale" taken out: what `untilSettled` hands back. */
export type Settled<Row extends { verdict: string }> = Row & { verdict: Exclude<Row["verdict"], "stale"> };

/** Runs a statement that returns one verdict row (`verdict` "stale" when it wrote nothing) until it settles. */
export function untilSettled<Row extends pg.QueryResultRow & { verdict: string }, Params extends readonly unknown[]>(
  database: Database,
  playerId: number,
  stmt: Statement<Row, Params>,
  values: NoInfer<Params>,
): Promise<Settled<Row>> {
  return optimistically(database, playerId, async (target) => {
    const [row] = await run(database, target, stmt, values);
    return row!.verdict === "stale" ? STALE : (row as Settled<Row>);
  });
}

/** The refusals every write of a player can give before looking at what it is about. */
export type ActorRefusal = "unauthorized" | "dead" | "in_combat";

/**
 * The first cases of a write's verdict, in SQL: the actor refusals, read from its `me` row (the
 * player, locked; no row when the player is gone), each mapped to its error by `actorRefusal`.
 */
export const ACTOR_VERDICTS = `when me.id is null then 'unauthorized'
         when not me.alive then 'dead'
         when me.in_combat then 'in_combat'`;

/** The error of an actor refusal; `inCombat` says what to do instead while in a fight. */
export function actorRefusal(verdict: ActorRefusal, inCombat: string): GameError {
  switch (verdict) {
    case "unauthorized":
      return new GameError("unauthorized", "This player no longer exists.");
    case "dead":
      return new GameError("dead", "You are dead.");
    case "in_combat":
      return new GameError("in_combat", inCombat);
  }
}
