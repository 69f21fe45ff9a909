import { parseArgs } from "node:util";
import { startEmbeddedPostgres } from "./embedded";
import { runMigrations } from "./migrate";
import { seedSynthetic, seedWorld } from "./seed";

const USAGE = `usage: db <command> [options]
  migrate                         apply pending migrations
  seed                            load the world (safe to run again)
  seed --synthetic [--players N] [--items N]
                                  also add benchmark-sized data (default 100000 players, 1000000 dropped items)
DATABASE_URL selects the database; without it the embedded PostgreSQL under .data/ is used.`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      synthetic: { type: "boolean", default: false },
      players: { type: "string", default: "100000" },
      items: { type: "string", default: "1000000" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const command = positionals[0];
  if (values.help || (command !== "migrate" && command !== "seed")) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  let url = process.env.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    const embedded = await startEmbeddedPostgres(process.env.ECHOES_DATA_DIR ?? ".data", "echoes", () => undefined);
    url = embedded.url;
    stop = embedded.stop;
  }
  try {
    await runMigrations(url);
    console.log("migrations applied");
    if (command === "seed") {
      const started = performance.now();
      const summary = await seedWorld(url);
      console.log(`world seeded in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(summary)}`);
      if (values.synthetic) {
        const players = Number(values.players);
        const droppedItems = Number(values.items);
        if (!Number.isInteger(players) || players < 0 || !Number.isInteger(droppedItems) || droppedItems < 0) {
          throw new Error("--players and --items take non-negative integers");
        }
        const t0 = performance.now();
        const made = await seedSynthetic(url, { players, droppedItems });
        console.log(`synthetic data: ${made.players} players and ${made.droppedItems} dropped items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    await stop();
  }
}

main().catch((err: Error) => {
  console.error(`db: ${err.message}`);
  process.exit(1);
});
