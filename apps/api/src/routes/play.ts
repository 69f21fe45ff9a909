import { existsSync, readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { GameError, type Logger } from "@echoes/shared";
import type { AppEnv } from "../context";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

/** Where the built web client lives: apps/web/dist (`npm run build` writes it). */
function webDist(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@echoes/web/package.json")), "dist");
}

/**
 * The page's Content-Security-Policy: scripts, styles, images and fonts from this server only
 * (or only from the assets origin when one is set), requests to this server only, and no
 * framing except by Telegram's web client, which opens Web Apps in a frame.
 */
export function contentSecurityPolicy(assetsOrigin: string | undefined): string {
  const assets = assetsOrigin ?? "'self'";
  return [
    "default-src 'none'",
    `script-src ${assets}`,
    `style-src ${assets}`,
    `img-src ${assets}`,
    `font-src ${assets}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self' https://web.telegram.org",
  ].join("; ");
}

interface WebFile {
  body: Buffer;
  type: string;
}

/** The built web client, read once: its page (asset URLs filled in) and its content-hashed files. */
export class WebClient {
  private constructor(
    readonly page: string | null,
    private readonly files: ReadonlyMap<string, WebFile>,
  ) {}

  /** Reads apps/web/dist; a missing build leaves the page unavailable (and says how to build it) rather than stopping the API. */
  static load(assetsOrigin: string | undefined, logger: Logger, dir = webDist()): WebClient {
    const indexFile = join(dir, "index.html");
    if (!existsSync(indexFile)) {
      logger.warn({ dir }, "the web client is not built (run npm run build); /play answers 503");
      return new WebClient(null, new Map());
    }
    const files = new Map<string, WebFile>();
    for (const name of readdirSync(join(dir, "assets"))) {
      const type = TYPES[extname(name)];
      if (type) files.set(name, { body: readFileSync(join(dir, "assets", name)), type });
    }
    const page = readFileSync(indexFile, "utf8").replaceAll("{{assets}}", `${assetsOrigin ?? ""}/play/assets`);
    return new WebClient(page, files);
  }

  file(name: string): WebFile | undefined {
    return this.files.get(name);
  }
}

/** `/play`: the web client's page (never cached without asking) and its files (cached for a year); `/` leads there. */
export function registerPlayRoutes(app: OpenAPIHono<AppEnv>, client: WebClient, assetsOrigin: string | undefined): void {
  const policy = contentSecurityPolicy(assetsOrigin);
  app.get("/", (c) => c.redirect("/play", 302));
  app.get("/play", (c) => {
    if (!client.page) throw new GameError("unavailable", "The web client is not built on this server; run npm run build.");
    return c.body(client.page, 200, {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-cache",
      "Content-Security-Policy": policy,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
    });
  });
  app.get("/play/", (c) => c.redirect("/play", 301));
  app.get("/play/assets/:name", (c) => {
    const file = client.file(c.req.param("name"));
    if (!file) throw new GameError("not_found", "There is no such file.");
    return c.body(new Uint8Array(file.body), 200, {
      "Content-Type": file.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      // The page loads its module script and stylesheet in CORS mode, so an assets origin (a CDN pulling from here) may serve them.
      "Access-Control-Allow-Origin": "*",
    });
  });
}
