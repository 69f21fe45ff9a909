// The ceiling for the combat pipeline on this machine: the same path with nothing of the game in
// it. `producer` is a Hono server whose POST enqueues one BullMQ job and answers 202 with its id,
// and whose event stream delivers results from Redis pub/sub; `worker` is a BullMQ worker whose
// job is one single-row UPDATE transaction, then a publish of the result.
import { serve } from "@hono/node-server";
import { Queue, Worker } from "bullmq";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { Redis } from "ioredis";
import pg from "pg";
import { COMBAT_JOB_OPTIONS } from "@echoes/shared";

const QUEUE = "reference-turns";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = process.env.REFERENCE_PREFIX ?? "bench-reference";
const channel = (client: string) => `${prefix}:events:${client}`;

function producer(): void {
  const queue = new Queue(QUEUE, { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, defaultJobOptions: COMBAT_JOB_OPTIONS });
  const subscriber = new Redis(redisUrl);
  const listeners = new Map<string, (message: string) => void>();
  subscriber.on("message", (name: string, message: string) => listeners.get(name)?.(message));
  let next = 0;
  const app = new Hono();
  app.post("/actions/:client", async (c) => {
    const client = c.req.param("client");
    const jobId = `${client}-${next++}`;
    await queue.add("turn", { client: Number(client) }, { jobId });
    return c.json({ jobId }, 202);
  });
  app.get("/events/:client", (c) => {
    const name = channel(c.req.param("client"));
    return streamSSE(c, async (stream) => {
      const pending: string[] = [];
      let wake: (() => void) | null = null;
      listeners.set(name, (message) => {
        pending.push(message);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      await subscriber.subscribe(name);
      await stream.writeSSE({ event: "ready", data: "{}" });
      while (!stream.aborted && !stream.closed) {
        const message = pending.shift();
        if (message) {
          await stream.writeSSE({ event: "turn", id: (JSON.parse(message) as { jobId: string }).jobId, data: message });
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
      listeners.delete(name);
      await subscriber.unsubscribe(name);
    });
  });
  serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: "127.0.0.1" }, (info) => console.log(`reference producer listening on ${info.port}`));
}

function worker(): void {
  const concurrency = Number(process.env.REFERENCE_CONCURRENCY ?? 16);
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: concurrency });
  const publisher = new Redis(redisUrl);
  const turns = new Worker(
    QUEUE,
    async (job) => {
      const client = await pool.connect();
      let n: number;
      try {
        await client.query("begin");
        const rows = await client.query({
          name: "reference_turn",
          text: "update bench_reference_rows set n = n + 1 where id = $1 returning n",
          values: [job.data.client],
        });
        await client.query("commit");
        n = Number(rows.rows[0]?.n);
      } catch (err) {
        await client.query("rollback").catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
      await publisher.publish(channel(String(job.data.client)), JSON.stringify({ jobId: job.id, n }));
      return { n };
    },
    { connection: new Redis(redisUrl, { maxRetriesPerRequest: null }), prefix, concurrency },
  );
  turns.waitUntilReady().then(() => console.log("reference worker listening to its queue"));
}

if (process.argv[2] === "producer") producer();
else if (process.argv[2] === "worker") worker();
else throw new Error("usage: combat-reference.ts producer|worker");
