import cluster from "node:cluster";
import { ConfigError, createLogger } from "@echoes/shared";
import { runClusterPrimary } from "./cluster";
import { loadApiConfig } from "./config";
import { startApi } from "./server";

async function main(): Promise<void> {
  const config = loadApiConfig();
  const logger = createLogger("api", config.LOG_LEVEL);
  if (config.API_PROCESSES > 1 && cluster.isPrimary) {
    runClusterPrimary(config.API_PROCESSES, logger);
    return;
  }
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
  const api = await startApi(config, logger);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      api.shutdown().then(
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
    console.error(`api: ${err.message}`);
    process.exit(78);
  }
  console.error("api: failed to start:", err);
  process.exit(1);
});
