// `npm run client:generate`: builds the API (without reaching a database or Redis), reads the
// OpenAPI document it serves, and writes it and the TypeScript types generated from it into
// packages/client.
import { writeFileSync } from "node:fs";
import { renderDocument, renderTypes } from "@echoes/client/codegen";
import { createLogger } from "@echoes/shared";
import { createApp } from "../apps/api/src/app";
import { loadApiConfig } from "../apps/api/src/config";
import { createDeps } from "../apps/api/src/deps";

const DOCUMENT_FILE = "packages/client/openapi.json";
const TYPES_FILE = "packages/client/src/openapi.ts";

/** The document exactly as `GET /openapi.json` serves it: nothing on that route touches a dependency. */
async function servedDocument(): Promise<object> {
  const nowhere = "127.0.0.1:9";
  const config = loadApiConfig({
    NODE_ENV: "development",
    LOG_LEVEL: "silent",
    DATABASE_URL: `postgres://nobody@${nowhere}/none`,
    REDIS_URL: `redis://${nowhere}`,
  });
  const deps = createDeps(config, createLogger("client-generate", "silent"));
  try {
    const res = await (await createApp(deps)).request("/openapi.json");
    if (!res.ok) throw new Error(`GET /openapi.json answered ${res.status}`);
    return (await res.json()) as object;
  } finally {
    await deps.close();
  }
}

const document = await servedDocument();
writeFileSync(DOCUMENT_FILE, renderDocument(document));
writeFileSync(TYPES_FILE, await renderTypes(document));
console.log(`wrote ${DOCUMENT_FILE} and ${TYPES_FILE}`);
