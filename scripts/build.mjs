// Bundles each process's entry point (our workspace packages included, npm dependencies left
// external) into plain JavaScript for `node` to run in production, and the web client into
// static files for the API to serve.
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { buildWeb } from "./build-web.mjs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];

const entries = [
  ["apps/api/src/main.ts", "apps/api/dist/main.js"],
  ["apps/worker/src/main.ts", "apps/worker/dist/main.js"],
  ["packages/db/src/cli.ts", "packages/db/dist/cli.js"],
  ["scripts/start.ts", "dist/start.js"],
];

const started = performance.now();
await Promise.all([
  buildWeb(),
  ...entries.map(([entry, outfile]) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: true,
      external,
      logLevel: "warning",
      legalComments: "none",
    }),
  ),
]);
if (!process.argv.includes("--quiet")) console.log(`built ${entries.length} bundles and the web client in ${Math.round(performance.now() - started)} ms`);
