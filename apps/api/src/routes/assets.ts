import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { GameError } from "@echoes/shared";
import type { AppEnv } from "../context";

const TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp" };

interface Asset {
  body: Buffer;
  type: string;
}

/** Where the images live: `ASSETS_DIR`, else the api package's `assets/` folder. */
function assetsDir(): string {
  return process.env.ASSETS_DIR ?? join(dirname(createRequire(import.meta.url).resolve("@echoes/api/package.json")), "assets");
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Images, each under a name that carries a hash of its content (`items/weapon.1a2b3c4d.svg`), so
 * they can be cached for a year: a changed image gets a new name. With a base origin (a CDN that
 * pulls from this API), the URLs handed out point there.
 */
export class AssetCatalogue {
  private readonly byUrl = new Map<string, Asset>();
  private readonly urls = new Map<string, string>();

  constructor(
    private readonly base = "",
    dir = assetsDir(),
  ) {
    for (const file of walk(dir)) {
      const ext = extname(file);
      const type = TYPES[ext];
      if (!type) continue;
      const body = readFileSync(file);
      const name = relative(dir, file).slice(0, -ext.length);
      const url = `/assets/${name}.${createHash("sha256").update(body).digest("hex").slice(0, 10)}${ext}`;
      this.byUrl.set(url, { body, type });
      this.urls.set(`${name}${ext}`, url);
    }
  }

  /** The public URL of an asset by its plain name (`items/weapon.svg`), or null. */
  url(name: string): string | null {
    const path = this.urls.get(name);
    return path === undefined ? null : this.base + path;
  }

  get(url: string): Asset | undefined {
    return this.byUrl.get(url);
  }
}

/** Serves the catalogue under /assets with long-lived, immutable cache headers. */
export function registerAssetRoutes(app: OpenAPIHono<AppEnv>, catalogue: AssetCatalogue): void {
  app.get("/assets/*", (c) => {
    const asset = catalogue.get(c.req.path);
    if (!asset) throw new GameError("not_found", "There is no such image.");
    return c.body(new Uint8Array(asset.body), 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
    });
  });
}
