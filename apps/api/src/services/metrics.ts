import { Counter, Histogram, Registry } from "prom-client";
import { DataMetrics, collectProcessMetrics } from "@echoes/db";

/** The API's Prometheus metrics. Labels are bounded: route templates, methods and status codes. */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly data = new DataMetrics(this.registry);
  readonly requestDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly jobsEnqueued = new Counter({
    name: "jobs_enqueued_total",
    help: "Jobs handed to BullMQ by the API, by queue and result (ok, or failed when Redis refused).",
    labelNames: ["queue", "result"] as const,
    registers: [this.registry],
  });
  readonly eventStreams = new Histogram({
    name: "event_stream_duration_seconds",
    help: "How long server-sent event streams stayed open.",
    buckets: [1, 10, 60, 600, 3600],
    registers: [this.registry],
  });

  /** Label children by method, route and status, so the hot path does not hash labels on every request. */
  private readonly children = new Map<string, { duration: ReturnType<Histogram["labels"]>; count: ReturnType<Counter["labels"]> }>();

  constructor() {
    collectProcessMetrics(this.registry);
  }

  requestDone(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.children.get(key);
    if (!child) {
      const labels = { method, route, status: String(status) };
      child = { duration: this.requestDuration.labels(labels), count: this.requests.labels(labels) };
      this.children.set(key, child);
    }
    child.duration.observe(seconds);
    child.count.inc();
  }
}
