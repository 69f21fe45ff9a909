import { PgWireCounter } from "../load/wire";
import { type TestDatabase, createTestDatabase } from "./db";
import { TestGame } from "./game";

/** A game on its own database whose PostgreSQL traffic passes through a wire counter. */
export interface CountedGame {
  db: TestDatabase;
  wire: PgWireCounter;
  game: TestGame;
  close(): Promise<void>;
}

/** Starts a game behind a {@link PgWireCounter}, with action limits out of the way of counting. */
export async function startCountedGame(): Promise<CountedGame> {
  const db = await createTestDatabase();
  const upstream = new URL(db.url);
  const wire = await PgWireCounter.start({ host: upstream.hostname, port: Number(upstream.port || 5432) });
  const game = await TestGame.start({ database: db, env: { DATABASE_URL: wire.url(db.url), RATE_LIMIT_ACTIONS: "100000" } });
  return {
    db,
    wire,
    game,
    async close() {
      await game.close();
      await wire.close();
      await db.drop();
    },
  };
}
