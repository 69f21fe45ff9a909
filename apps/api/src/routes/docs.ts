import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../context";

/** `/openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas) and a readable reference at `/docs`. */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The token from /v1/auth/register, /v1/auth/login or /v1/auth/telegram.",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Echoes of the Ashes",
      version: "1.0.0",
      description:
        'The game server of Echoes of the Ashes, a post-apocalyptic, turn-based text RPG. Errors are `{"error": {"code", "message"}}` ' +
        "with 400 bad input, 401 no or bad token, 403 not yours, 404 missing, 409 someone took it first, 422 a game rule refuses, 429 too many requests, 503 a dependency is down.",
    },
    tags: [
      { name: "auth", description: "Accounts and tokens" },
      { name: "player", description: "The signed-in player" },
      { name: "world", description: "Places, items and standings" },
      { name: "actions", description: "Moving and handling items" },
      { name: "combat", description: "Fights, resolved by the combat worker" },
      { name: "email", description: "A verified address, password resets and notifications, sent from the email queue" },
    ],
  });
  app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Echoes of the Ashes API" }));
}
