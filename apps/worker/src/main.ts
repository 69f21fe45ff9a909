import { createLogger, runMain, stopOnSignals } from "@echoes/shared";
import { loadWorkerConfig } from "./config";
import { startWorker } from "./runtime";

runMain("worker", async () => {
  const config = loadWorkerConfig();
  const logger = createLogger("worker", config.LOG_LEVEL);
  stopOnSignals(await startWorker(config, logger), logger);
});
