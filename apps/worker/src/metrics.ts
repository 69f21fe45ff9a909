import { createServer, type Server } from "node:http";
import type { Job, Queue } from "bullmq";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { DataMetrics, collectProcessMetrics } from "@echoes/db";
import type { EmailKind } from "@echoes/shared";
import type { EmailResult } from "./context";

const JOB_STATES = ["waiting", "active", "delayed", "prioritized", "completed", "failed", "waiting-children"] as const;

/** The worker's Prometheus metrics, served on its own port. */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly data = new DataMetrics(this.registry);
  private readonly duration = new Histogram({
    name: "job_duration_seconds",
    help: "Time a job took to process, by queue and job name.",
    labelNames: ["queue", "name"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });
  private readonly wait = new Histogram({
    name: "job_wait_seconds",
    help: "Time a job waited in its queue before a worker started it, by queue and job name.",
    labelNames: ["queue", "name"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2, 10],
    registers: [this.registry],
  });
  private readonly completed = new Counter({
    name: "jobs_completed_total",
    help: "Jobs this process completed, by queue and job name.",
    labelNames: ["queue", "name"] as const,
    registers: [this.registry],
  });
  private readonly failed = new Counter({
    name: "jobs_failed_total",
    help: "Job attempts that failed in this process, by queue and job name.",
    labelNames: ["queue", "name"] as const,
    registers: [this.registry],
  });

  private readonly batchSize = new Histogram({
    name: "combat_batch_size",
    help: "Combat turns resolved together in one transaction.",
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });
  private readonly batchDuration = new Histogram({
    name: "combat_batch_duration_seconds",
    help: "Time to resolve a batch of combat turns and send its follow-ups.",
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  private readonly emails = new Counter({
    name: "emails_total",
    help: "Email jobs this process finished, by kind (verify, reset, death, summary) and result (sent, retrying, failed, skipped).",
    labelNames: ["kind", "result"] as const,
    registers: [this.registry],
  });

  constructor() {
    collectProcessMetrics(this.registry);
  }

  emailDone(kind: EmailKind, result: EmailResult): void {
    this.emails.inc({ kind, result });
  }

  /** Combat batches being applied now and the turns in them, read from `current()` at scrape time. */
  watchBatches(current: () => { batches: number; items: number }): void {
    new Gauge({
      name: "combat_batches_in_flight",
      help: "Combat batches being resolved right now.",
      registers: [this.registry],
      collect() {
        this.set(current().batches);
      },
    });
    new Gauge({
      name: "combat_turns_in_flight",
      help: "Combat turns in the batches being resolved right now.",
      registers: [this.registry],
      collect() {
        this.set(current().items);
      },
    });
  }

  /** Records one batch of combat turns: how many, and how long it took. */
  combatBatch(size: number, seconds: number): void {
    this.batchSize.observe(size);
    this.batchDuration.observe(seconds);
  }

  /** Job counts by queue and state, asked of Redis at scrape time from the queues `current()` returns then. */
  watchQueues(current: () => Queue[]): void {
    new Gauge({
      name: "queue_jobs",
      help: "Jobs in each queue by state, read from Redis when scraped.",
      labelNames: ["queue", "state"] as const,
      registers: [this.registry],
      async collect() {
        const queues = current();
        const counts = await Promise.all(queues.map((q) => q.getJobCounts(...JOB_STATES).catch(() => null)));
        this.reset();
        counts.forEach((byState, i) => {
          if (!byState) return;
          for (const state of JOB_STATES) this.set({ queue: queues[i]!.name, state }, byState[state] ?? 0);
        });
      },
    });
  }

  jobStarted(queue: string, job: Job): void {
    if (job.processedOn && job.timestamp) this.wait.observe({ queue, name: job.name }, Math.max(0, job.processedOn - job.timestamp) / 1000);
  }

  jobFinished(queue: string, job: Job, ok: boolean, seconds: number): void {
    this.duration.observe({ queue, name: job.name }, seconds);
    (ok ? this.completed : this.failed).inc({ queue, name: job.name });
  }

  /** Serves `/metrics` and `/healthz` on the worker's metrics port. */
  serve(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.url === "/metrics") {
        this.registry.metrics().then(
          (body) => res.writeHead(200, { "Content-Type": this.registry.contentType }).end(body),
          () => res.writeHead(500).end(),
        );
      } else if (req.url === "/healthz") {
        res.writeHead(200, { "Content-Type": "application/json" }).end('{"status":"ok"}');
      } else {
        res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":{"code":"not_found","message":"Only /metrics and /healthz live here."}}');
      }
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}
