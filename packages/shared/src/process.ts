import { ConfigError } from "./config";
import type { Logger } from "./logger";

/** Exit code for a configuration the process refuses to start with (EX_CONFIG). */
export const EXIT_CONFIG = 78;

export interface Stoppable {
  shutdown(): Promise<void>;
}

/** Shuts the service down once on SIGTERM or SIGINT, then exits 0 (or 1 if the drain failed). */
export function stopOnSignals(service: Stoppable, logger: Logger): void {
  process.on("unhandledRejection", (err) => logger.error({ err }, "unhandled rejection"));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      service.shutdown().then(
        () => process.exit(0),
        (err: Error) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

/** Runs a service's entry point; a bad configuration exits 78 with its message, any other start failure exits 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`${name}: ${err.message}`);
      process.exit(EXIT_CONFIG);
    }
    console.error(`${name}: failed to start:`, err);
    process.exit(1);
  });
}
