import { ConfigError, createLogger } from "@echoes/shared";
import { loadWorkerConfig } from "./config";
import { startWorker } from "./runtime";

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = createLogger("worker", config.LOG_LEVEL);
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
  const worker = await startWorker(config, logger);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      worker.shutdown().then(
        () => process.exit(0),
        (err: Error) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`worker: ${err.message}`);
    process.exit(78);
  }
  console.error("worker: failed to start:", err);
  process.exit(1);
});
