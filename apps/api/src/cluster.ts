import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { AggregatorRegistry, type Registry } from "prom-client";
import type { Logger } from "@echoes/shared";

const METRICS_REQUEST = "echoes:metrics-request";
const METRICS_REPLY = "echoes:metrics-reply";

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: string;
}
interface MetricsReply {
  type: typeof METRICS_REPLY;
  id: string;
  body?: string;
  error?: string;
}

/**
 * Runs `processes` API processes on one host with node:cluster; they share the listening port.
 * This primary only supervises: it restarts a process that dies, forwards SIGTERM/SIGINT and
 * exits 0 once every process has drained, and answers each process's request for the metrics of
 * all of them, so a scrape of any process's /metrics covers the whole host.
 */
export function runClusterPrimary(processes: number, logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    worker.on("message", (message: MetricsRequest) => {
      if (message?.type !== METRICS_REQUEST) return;
      aggregator.clusterMetrics().then(
        (body) => worker.send({ type: METRICS_REPLY, id: message.id, body } satisfies MetricsReply),
        (err: Error) => worker.send({ type: METRICS_REPLY, id: message.id, error: err.message } satisfies MetricsReply),
      );
    });
  };
  for (let i = 0; i < processes; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info("all API processes stopped");
        process.exit(0);
      }
      return;
    }
    logger.warn({ pid: worker.process.pid, code, signal }, "an API process died; starting another");
    if (code !== 78) fork();
  });
  logger.info({ processes }, "API cluster started");
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stopping = true;
      logger.info({ signal }, "stopping the API processes");
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    });
  }
}

/**
 * In a cluster process: the Prometheus text of every process on the host, asked of the primary.
 * Outside a cluster: this process's own metrics.
 */
export function hostMetrics(registry: Registry): () => Promise<string> {
  if (!cluster.isWorker) return () => registry.metrics();
  AggregatorRegistry.setRegistries([registry]);
  // Constructing an aggregator registers this process's answer to the primary's collection requests.
  new AggregatorRegistry();
  const pending = new Map<string, { resolve: (body: string) => void; reject: (err: Error) => void }>();
  process.on("message", (message: MetricsReply) => {
    if (message?.type !== METRICS_REPLY) return;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.body ?? "");
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = randomUUID();
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error("the cluster primary did not answer with metrics"));
      }, 5_000);
      pending.set(id, {
        resolve: (body) => {
          clearTimeout(timer);
          resolve(body);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}
