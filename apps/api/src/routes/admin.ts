import { timingSafeEqual } from "node:crypto";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { basicAuth } from "hono/basic-auth";
import { QUEUE_NAMES } from "@echoes/shared";
import type { AppEnv } from "../context";
import type { ApiDeps } from "../deps";

const BASE = "/admin/queues";

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Bull Board at /admin/queues behind basic auth. Without ADMIN_USER and ADMIN_PASSWORD it is not
 * mounted, and not even loaded (it weighs some 14 MB of heap).
 */
export async function registerAdminRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps): Promise<void> {
  const { ADMIN_USER: user, ADMIN_PASSWORD: password } = deps.config;
  if (!user || !password) return;
  const [{ createBullBoard }, { BullMQAdapter }, { HonoAdapter }, { serveStatic }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/hono"),
    import("@hono/node-server/serve-static"),
  ]);
  const board = new HonoAdapter(serveStatic);
  let shown = QUEUE_NAMES.map((name) => deps.producer.queue(name));
  const { replaceQueues } = createBullBoard({
    queues: shown.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: "Echoes of the Ashes" } },
  });
  // The producer replaces a queue whose start failed; the board follows it.
  const followProducer: MiddlewareHandler = async (_c, next) => {
    const current = QUEUE_NAMES.map((name) => deps.producer.queue(name));
    if (current.some((queue, i) => queue !== shown[i])) {
      shown = current;
      replaceQueues(current.map((queue) => new BullMQAdapter(queue)));
    }
    await next();
  };
  board.setBasePath(BASE);
  const guard = basicAuth({
    verifyUser: (u, p) => same(u, user) && same(p, password),
    realm: "echoes-admin",
    invalidUserMessage: { error: { code: "unauthorized", message: "The queue dashboard needs the admin credentials." } },
  });
  app.use(BASE, guard, followProducer);
  app.use(`${BASE}/*`, guard, followProducer);
  app.route(BASE, board.registerPlugin());
}
