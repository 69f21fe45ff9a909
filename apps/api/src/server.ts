import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { checkRedisNamespace } from "@echoes/db";
import type { Logger } from "@echoes/shared";
import { createApp } from "./app";
import type { ApiConfig } from "./config";
import { type ApiDeps, createDeps } from "./deps";

/** How long a stopping API waits before it closes idle connections. */
const DRAIN_GRACE_MS = 1_000;

export interface RunningApi {
  port: number;
  server: Server;
  deps: ApiDeps;
  /** Stops taking requests, lets the ones in flight finish (up to the shutdown timeout), then closes connections. */
  shutdown(): Promise<void>;
}

/** Builds the API and listens on the configured host and port (0 picks a free port). */
export async function startApi(config: ApiConfig, logger: Logger): Promise<RunningApi> {
  const deps = createDeps(config, logger);
  try {
    await checkRedisNamespace(deps.database, [deps.redis.queue, deps.redis.cache], config.REDIS_PREFIX, logger);
    // Before the first request: a token revoked by a reset must be refused here too.
    await deps.revocations.start();
  } catch (err) {
    await deps.close();
    throw err;
  }
  const app = await createApp(deps);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s as Server));
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port, cache: config.CACHE_ENABLED, replica: Boolean(config.DATABASE_REPLICA_URL) }, "API listening");

  let closing: Promise<void> | null = null;
  const shutdown = () =>
    (closing ??= (async () => {
      deps.state.draining = true;
      deps.events.closeAll();
      // Requests already sent on open connections may not be parsed yet, and server.close()
      // drops connections that look idle. So first drain: readiness fails (load balancers stop
      // sending), responses carry "Connection: close", and only after a grace period does the
      // server stop listening and close connections as they fall idle.
      await new Promise((r) => setTimeout(r, Math.min(DRAIN_GRACE_MS, config.SHUTDOWN_TIMEOUT_MS)));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const reaper = setInterval(() => server.closeIdleConnections(), 50);
      const timer = setTimeout(() => {
        logger.warn("shutdown timeout reached; closing remaining connections");
        server.closeAllConnections();
      }, config.SHUTDOWN_TIMEOUT_MS);
      await closed;
      clearInterval(reaper);
      clearTimeout(timer);
      await deps.close();
      logger.info("API stopped");
    })());
  return { port, server, deps, shutdown };
}
