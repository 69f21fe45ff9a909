import { OpenAPIHono } from "@hono/zod-openapi";
import { EMAIL_LINKS } from "@echoes/shared";
import type { AppEnv } from "./context";
import type { ApiDeps } from "./deps";
import { errorResponse, handleError, invalidInput } from "./errors";
import { authenticate } from "./middleware/auth";
import { jsonBodies } from "./middleware/guards";
import { observe } from "./middleware/observe";
import { registerActionRoutes } from "./routes/actions";
import { registerAdminRoutes } from "./routes/admin";
import { AssetCatalogue, registerAssetRoutes } from "./routes/assets";
import { registerAuthRoutes } from "./routes/auth";
import { registerCombatRoutes } from "./routes/combat";
import { registerDocsRoutes } from "./routes/docs";
import { registerEmailRoutes } from "./routes/email";
import { registerEventRoutes } from "./routes/events";
import { registerLeaderboardRoutes } from "./routes/leaderboard";
import { registerMeRoutes } from "./routes/me";
import { registerOpsRoutes } from "./routes/ops";
import { WebClient, registerPlayRoutes } from "./routes/play";
import { registerWorldRoutes } from "./routes/world";

/** The whole HTTP API: middleware, every route, the OpenAPI document and the error shape. */
export async function createApp(deps: ApiDeps): Promise<OpenAPIHono<AppEnv>> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const refused = invalidInput(result.error, result.target);
      return errorResponse(c, refused.code, refused.message, refused.details);
    },
  });

  app.use("*", observe(deps));
  // One-click unsubscribes come from mail clients: a form body and no bearer token (RFC 8058).
  const oneClick = (path: string) => path === EMAIL_LINKS.unsubscribe;
  app.use("/v1/*", jsonBodies(deps, oneClick));
  const requireToken = authenticate(deps);
  app.use("/v1/*", (c, next) => (c.req.path.startsWith("/v1/auth/") || oneClick(c.req.path) ? next() : requireToken(c, next)));

  registerAuthRoutes(app, deps);
  registerMeRoutes(app, deps);
  registerEmailRoutes(app, deps);
  const assets = new AssetCatalogue(deps.config.ASSETS_BASE_URL);
  registerWorldRoutes(app, deps, assets);
  registerAssetRoutes(app, assets);
  registerActionRoutes(app, deps);
  registerCombatRoutes(app, deps);
  registerLeaderboardRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerOpsRoutes(app, deps);
  registerDocsRoutes(app, deps.logger);
  registerPlayRoutes(app, WebClient.load(deps.config.ASSETS_BASE_URL, deps.logger), deps.config.ASSETS_BASE_URL);
  await registerAdminRoutes(app, deps);

  app.notFound((c) => errorResponse(c, "not_found", `No route for ${c.req.method} ${c.req.path}.`));
  app.onError(handleError);
  return app;
}
