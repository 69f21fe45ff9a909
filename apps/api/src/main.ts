import cluster from "node:cluster";
import { createLogger, runMain, stopOnSignals } from "@echoes/shared";
import { runClusterPrimary } from "./cluster";
import { loadApiConfig } from "./config";
import { startApi } from "./server";

runMain("api", async () => {
  const config = loadApiConfig();
  const logger = createLogger("api", config.LOG_LEVEL);
  if (config.API_PROCESSES > 1 && cluster.isPrimary) {
    runClusterPrimary(config.API_PROCESSES, logger);
    return;
  }
  stopOnSignals(await startApi(config, logger), logger);
});
