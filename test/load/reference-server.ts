// The ceiling for a cached read on this machine: nothing but Hono and one Redis GET per request.
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { Redis } from "ioredis";

const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { enableAutoPipelining: true });
const key = process.env.REFERENCE_KEY ?? "bench:reference";
const app = new Hono();
app.get("/reference", async (c) => {
  const value = await redis.getBuffer(key);
  if (!value) return c.body(null, 404);
  return c.body(new Uint8Array(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength), 200, { "Content-Type": "application/json" });
});
serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3300), hostname: "127.0.0.1" }, (info) => console.log(`reference listening on ${info.port}`));
// Exits on SIGTERM, so that a CPU profile (node --cpu-prof) is written.
process.once("SIGTERM", () => process.exit(0));
