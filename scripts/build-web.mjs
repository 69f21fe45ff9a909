// Bundles the web client (apps/web) into static files under content-hashed names, and writes its
// page with those names filled in. The API serves apps/web/dist at /play.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = new URL("../apps/web/", import.meta.url).pathname;
const dist = join(root, "dist");
const assets = join(dist, "assets");

/** Replaces a file in one step, so an API starting while this runs reads the old file or the new one, never half of one. */
function writeAtomically(path, contents) {
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, path);
}

const hashed = (name, contents) => `${basename(name, extname(name))}-${createHash("sha256").update(contents).digest("hex").slice(0, 10)}${extname(name)}`;

/** Builds apps/web/dist: `assets/` (hashed, cacheable for ever) and `index.html` (the page, with `{{assets}}` left for the server). */
export async function buildWeb() {
  const result = await build({
    entryPoints: { main: join(root, "src/main.tsx") },
    outdir: assets,
    entryNames: "[name]-[hash]",
    bundle: true,
    platform: "browser",
    format: "esm",
    target: ["chrome100", "firefox100", "safari15"],
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    metafile: true,
    write: false,
    logLevel: "warning",
    legalComments: "none",
  });
  mkdirSync(assets, { recursive: true });
  const files = new Map();
  for (const file of result.outputFiles) files.set(basename(file.path), file.contents);
  const favicon = readFileSync(join(root, "src/favicon.svg"));
  const faviconName = hashed("favicon.svg", favicon);
  files.set(faviconName, favicon);
  for (const [name, contents] of files) writeAtomically(join(assets, name), contents);
  for (const stale of readdirSync(assets)) if (!files.has(stale)) rmSync(join(assets, stale), { force: true });

  const outputs = Object.entries(result.metafile.outputs);
  const named = (ext) => {
    const found = outputs.find(([path, out]) => out.entryPoint !== undefined && path.endsWith(ext)) ?? outputs.find(([path]) => path.endsWith(ext));
    if (!found) throw new Error(`the web build wrote no ${ext} file`);
    return basename(found[0]);
  };
  const page = readFileSync(join(root, "src/index.html"), "utf8")
    .replace("{{script}}", `{{assets}}/${named(".js")}`)
    .replace("{{style}}", `{{assets}}/${named(".css")}`)
    .replace("{{favicon}}", `{{assets}}/${faviconName}`);
  writeAtomically(join(dist, "index.html"), page);
  return files.size;
}

// Run on its own (`node scripts/build-web.mjs`), as the test runner does before the browser tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await buildWeb();
