import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Logger } from "@echoes/shared";
import type { AppEnv } from "../context";

/** The document's top level: everything but the paths and components the routes contribute. */
export const DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Echoes of the Ashes",
    version: "1.0.0",
    description:
      'The game server of Echoes of the Ashes, a post-apocalyptic, turn-based text RPG. Errors are `{"error": {"code", "message"}}` ' +
      "with 400 bad input, 401 no or bad token, 403 not yours, 404 missing, 409 someone took it first, 422 a game rule refuses, 429 too many requests, 503 a dependency is down.",
    license: { name: "Proprietary: all rights reserved", identifier: "LicenseRef-Proprietary" },
  },
  servers: [{ url: "/", description: "The server this document was read from" }],
  tags: [
    { name: "auth", description: "Accounts and tokens" },
    { name: "player", description: "The signed-in player" },
    { name: "world", description: "Places, items, enemies and standings" },
    { name: "actions", description: "Moving and handling items" },
    { name: "combat", description: "Fights, resolved by the combat worker" },
    { name: "email", description: "A verified address, password resets and notifications, sent from the email queue" },
    { name: "operations", description: "Health, readiness, metrics and this reference" },
  ],
};

/** The Scalar reference's self-contained browser bundle: `API_REFERENCE_BUNDLE`, else the installed package's. */
function referenceBundlePath(): string | null {
  if (process.env.API_REFERENCE_BUNDLE) return process.env.API_REFERENCE_BUNDLE;
  try {
    const path = join(dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")), "browser", "standalone.js");
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

interface Script {
  url: string;
  body: string;
}

/** A script under a name that carries a hash of its content, so it can be cached for a year. */
function hashed(name: string, body: string): Script {
  return { url: `/docs/${name}.${createHash("sha256").update(body).digest("hex").slice(0, 12)}.js`, body };
}

/**
 * Nothing leaves the page: scripts, styles, fonts, images and requests come from this server only.
 * Styles may also be inline: the reference writes some at run time (component styles, style
 * attributes in highlighted code), and no source other than this server is allowed for them.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const openApiDocument = createRoute({
  method: "get",
  path: "/openapi.json",
  operationId: "getOpenApiDocument",
  tags: ["operations"],
  summary: "This document (OpenAPI 3.1)",
  security: [],
  responses: {
    200: {
      description: "The OpenAPI document",
      content: {
        "application/json": {
          schema: z
            .object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }), paths: z.object({}) })
            .openapi("OpenApiDocument", { description: "An OpenAPI 3.1 document: https://spec.openapis.org/oas/v3.1.0" }),
        },
      },
    },
  },
});

const reference = createRoute({
  method: "get",
  path: "/docs",
  operationId: "getApiReference",
  tags: ["operations"],
  summary: "A readable reference built from this document, served entirely by this server",
  security: [],
  responses: { 200: { description: "The reference page", content: { "text/html": { schema: z.string() } } } },
});

/**
 * `/openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas) and a readable reference
 * at `/docs`: Scalar's standalone bundle served from here, so the page works offline and under a
 * Content-Security-Policy that allows this server only.
 */
export function registerDocsRoutes(app: OpenAPIHono<AppEnv>, logger: Logger): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "The token from /v1/auth/register, /v1/auth/login or /v1/auth/telegram.",
  });
  app.openAPIRegistry.registerPath(openApiDocument);
  app.doc31(openApiDocument.path, DOCUMENT);

  const bundlePath = referenceBundlePath();
  if (!bundlePath) {
    logger.warn("the API reference bundle (@scalar/api-reference) is not installed: /docs is off");
    return;
  }
  const scripts = [
    hashed("scalar", readFileSync(bundlePath, "utf8")),
    hashed(
      "reference",
      `Scalar.createApiReference("#app", ${JSON.stringify({
        url: openApiDocument.path,
        withDefaultFonts: false,
        telemetry: false,
        agent: { disabled: true },
        showDeveloperTools: "never",
        hideClientButton: true,
        defaultOpenAllTags: true,
      })});\n`,
    ),
  ];
  const byUrl = new Map(scripts.map((s) => [s.url, s.body]));

  const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Echoes of the Ashes API</title>
  </head>
  <body>
    <div id="app"></div>
${scripts.map((s) => `    <script src="${s.url}"></script>`).join("\n")}
  </body>
</html>
`;
  app.openapi(reference, (c) =>
    c.html(page, 200, { "Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" }),
  );

  app.get("/docs/*", (c, next) => {
    const body = byUrl.get(c.req.path);
    if (body === undefined) return next();
    return c.body(body, 200, {
      "Content-Type": "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    });
  });
}
