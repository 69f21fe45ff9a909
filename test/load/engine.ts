import { GameClient } from "@echoes/client";
import * as hdr from "hdr-histogram-js";
import { Pool } from "undici";

/** How an answer counts: a success, a refusal the game's rules predict, or a failure. */
export type Outcome = "ok" | "refused" | "failed";

/**
 * 2xx and 304 succeed. 409 (someone took it first), 422 (a rule refuses), 429 (slow down) and a
 * 404 for something that just vanished are answers the game predicts under load. Anything else
 * (5xx, other 4xx, a timeout, a dropped connection) is a failure.
 */
export function classify(status: number | "timeout" | "network", predicted: readonly number[] = [409, 422, 429]): Outcome {
  if (typeof status !== "number") return "failed";
  if ((status >= 200 && status < 300) || status === 304) return "ok";
  return predicted.includes(status) ? "refused" : "failed";
}

class RouteStats {
  readonly latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  ok = 0;
  refused = 0;
  failed = 0;
  readonly statuses = new Map<string, number>();

  record(outcome: Outcome, status: string, micros: number): void {
    this[outcome]++;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.latency.recordValue(Math.max(1, Math.round(micros)));
  }
}

/** Counts and latency percentiles of a set of requests (one route, or the whole run). */
interface Tally {
  requests: number;
  ok: number;
  refused: number;
  failed: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface RouteReport extends Tally {
  route: string;
  statuses: Record<string, number>;
}

export interface LoadReport extends Tally {
  url: string;
  players: number;
  durationS: number;
  throughput: number;
  successRate: number;
  jobResults: number;
  routes: RouteReport[];
  errors: { route: string; status: string; count: number }[];
}

/**
 * The request the generated client builds under load: the URL, method, headers and body it was
 * given, without the WHATWG Request machinery. The load generator shares the machine with the
 * game, so what it spends per request is taken from the game: Request and Response objects of
 * the built-in fetch were a third of its CPU.
 */
class PlainRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly payload: string | undefined;
  constructor(url: string, init: { method?: string; headers?: Headers; body?: unknown }) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers ?? new Headers();
    this.payload = typeof init.body === "string" ? init.body : undefined;
  }
}

/** The answer handed back to the generated client: status, headers and text (no body stream: the load scenario reads no event stream). */
class PlainResponse {
  readonly ok: boolean;
  readonly body = null;
  readonly headers: { get(name: string): string | null };
  constructor(
    readonly status: number,
    raw: Record<string, string | string[] | undefined>,
    private readonly content: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = {
      get: (name) => {
        const value = raw[name.toLowerCase()];
        return value === undefined ? null : [value].flat().join(", ");
      },
    };
  }
  async text(): Promise<string> {
    return this.content;
  }
  async json(): Promise<unknown> {
    return JSON.parse(this.content);
  }
}

/**
 * The transport of the generated client under load: a keep-alive pool in which every request is
 * timed and counted under its route label ("GET /v1/items/{id}", from the client's path
 * template), so the report can say throughput, outcomes and latency per route.
 */
export class LoadClient {
  private readonly pool: Pool;
  private routes = new Map<string, RouteStats>();
  private all = new RouteStats();
  private readonly labels = new WeakMap<Request, string>();
  /** When an open-loop player meant to send a request, if not now. */
  private readonly due = new WeakMap<Request, number>();
  private started = 0;
  private stopped = 0;
  private measuring = false;
  jobResults = 0;
  /** Requests and failures so far, for progress lines. */
  readonly live = { requests: 0, failed: 0 };

  private readonly timeoutMs: number;
  private readonly predicted: Record<string, readonly number[]>;

  /**
   * @param options.predicted refusals the game predicts under load, by route, beyond 409, 422 and
   *   429 (a 404 for a stack someone just took)
   */
  constructor(
    readonly url: string,
    connections: number,
    options: { timeoutMs?: number; predicted?: Record<string, readonly number[]> } = {},
  ) {
    const timeoutMs = (this.timeoutMs = options.timeoutMs ?? 10_000);
    this.predicted = options.predicted ?? {};
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  }

  /**
   * A generated client of the game that sends its requests through this pool (signed in when
   * given a token), each labelled with its method and path template. An open-loop caller sets
   * `pace.dueAt` before a request: it is then timed from that instant, so a late send counts as latency.
   */
  game(token?: string, pace?: { dueAt?: number }): GameClient {
    const client = new GameClient({ baseUrl: this.url, token: token ?? null, fetch: this.fetch, Request: PlainRequest as unknown as typeof Request });
    client.api.use({
      onRequest: ({ request, schemaPath }) => {
        this.labels.set(request, `${request.method} ${schemaPath}`);
        if (pace?.dueAt !== undefined) this.due.set(request, pace.dueAt);
        return request;
      },
    });
    return client;
  }

  /** A request by hand under a route label of the caller's choosing (for routes driven one at a time). */
  async request(route: string, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<Response | null> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const request = new Request(this.url + path, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
    this.labels.set(request, route);
    return this.fetch(request).catch(() => null);
  }

  /** Starts a new window of counting: what came before (set-up, an earlier window) is not part of the report. */
  startMeasuring(): void {
    this.routes = new Map();
    this.all = new RouteStats();
    this.jobResults = 0;
    this.stopped = 0;
    this.measuring = true;
    this.started = performance.now();
  }

  stopMeasuring(): void {
    this.measuring = false;
    this.stopped = performance.now();
  }

  /** Sends a request over the pool, timed and counted; a timeout or a dropped connection is counted, then thrown. */
  readonly fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const route = this.labels.get(request) ?? `${request.method} ${url.pathname}`;
    const body = request instanceof PlainRequest ? request.payload : request.body ? await request.text() : undefined;
    const t0 = this.due.get(request) ?? performance.now();
    try {
      // The pool's header and body timeouts bound a request on the wire; an answer that still came
      // later than the timeout (it waited for a free connection) is counted as a timeout too. No
      // AbortSignal per request: creating one was a tenth of the generator's CPU.
      const res = await this.pool.request({
        method: request.method as "GET",
        path: url.pathname + url.search,
        headers: Object.fromEntries(request.headers),
        body,
      });
      const text = await res.body.text();
      this.count(route, performance.now() - t0 > this.timeoutMs ? "timeout" : res.statusCode, t0);
      if (request instanceof PlainRequest) return new PlainResponse(res.statusCode, res.headers, text) as unknown as Response;
      const headers = new Headers();
      for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) headers.append(name, v);
      return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : text, { status: res.statusCode, headers });
    } catch (err) {
      this.count(route, (err as Error).name === "TimeoutError" || /timeout/i.test((err as Error).message) ? "timeout" : "network", t0);
      throw err;
    }
  };

  private count(route: string, status: number | "timeout" | "network", t0: number): void {
    if (!this.measuring) return;
    const outcome = classify(status, [409, 422, 429, ...(this.predicted[route] ?? [])]);
    const micros = (performance.now() - t0) * 1000;
    let stats = this.routes.get(route);
    if (!stats) this.routes.set(route, (stats = new RouteStats()));
    stats.record(outcome, String(status), micros);
    this.all.record(outcome, String(status), micros);
    this.live.requests++;
    if (outcome === "failed") this.live.failed++;
  }

  report(players: number): LoadReport {
    const seconds = ((this.stopped || performance.now()) - this.started) / 1000;
    const ms = (stats: RouteStats, q: number) => Math.round(stats.latency.getValueAtPercentile(q) / 10) / 100;
    const routes = [...this.routes].map(([route, s]) => ({
      route,
      requests: s.ok + s.refused + s.failed,
      ok: s.ok,
      refused: s.refused,
      failed: s.failed,
      p50Ms: ms(s, 50),
      p95Ms: ms(s, 95),
      p99Ms: ms(s, 99),
      statuses: Object.fromEntries(s.statuses),
    }));
    const requests = this.all.ok + this.all.refused + this.all.failed;
    return {
      url: this.url,
      players,
      durationS: Math.round(seconds * 10) / 10,
      requests,
      throughput: Math.round(requests / seconds),
      successRate: requests === 0 ? 0 : (this.all.ok + this.all.refused) / requests,
      ok: this.all.ok,
      refused: this.all.refused,
      failed: this.all.failed,
      p50Ms: ms(this.all, 50),
      p95Ms: ms(this.all, 95),
      p99Ms: ms(this.all, 99),
      jobResults: this.jobResults,
      routes: routes.sort((a, b) => b.requests - a.requests),
      errors: routes
        .flatMap((r) =>
          Object.entries(r.statuses)
            .filter(([status]) => classify(Number(status) || (status as "timeout"), [409, 422, 429, 404]) !== "ok")
            .map(([status, count]) => ({ route: r.route, status, count })),
        )
        .sort((a, b) => b.count - a.count),
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * Prints progress once a second: on a terminal one line rewritten in place, elsewhere a plain
 * line every `plainEveryS` seconds. Returns the function that stops it.
 */
export function showProgress(client: LoadClient, durationS: number, out: NodeJS.WriteStream = process.stdout, plainEveryS = 5): () => void {
  const started = performance.now();
  let last = { at: started, requests: 0 };
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const rate = Math.round(((client.live.requests - last.requests) * 1000) / (now - last.at));
    last = { at: now, requests: client.live.requests };
    const elapsed = Math.round((now - started) / 1000);
    const line = `${elapsed}/${durationS} s  ${rate.toLocaleString("en-US")} req/s  ${client.live.requests.toLocaleString("en-US")} requests  ${client.live.failed} failed`;
    ticks++;
    if (out.isTTY) out.write(`\r${line}   `);
    else if (ticks % plainEveryS === 0) out.write(`${line}\n`);
  }, 1_000);
  return () => {
    clearInterval(timer);
    if (out.isTTY) out.write("\n");
  };
}

/** Renders a report as the plain-text table the CLI prints. */
export function formatReport(report: LoadReport): string {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `${report.requests.toLocaleString("en-US")} requests in ${report.durationS} s from ${report.players} players: ${report.throughput.toLocaleString("en-US")} req/s`,
    `success rate ${(report.successRate * 100).toFixed(2)}% (ok ${report.ok}, predicted refusals ${report.refused}, failures ${report.failed}); latency p50 ${report.p50Ms} ms, p95 ${report.p95Ms} ms, p99 ${report.p99Ms} ms; job results received ${report.jobResults}`,
    "",
    `${"route".padEnd(30)}${pad("requests", 10)}${pad("ok", 9)}${pad("refused", 9)}${pad("failed", 8)}${pad("p50 ms", 9)}${pad("p95 ms", 9)}${pad("p99 ms", 9)}`,
    ...report.routes.map(
      (r) =>
        `${r.route.padEnd(30)}${pad(r.requests, 10)}${pad(r.ok, 9)}${pad(r.refused, 9)}${pad(r.failed, 8)}${pad(r.p50Ms, 9)}${pad(r.p95Ms, 9)}${pad(r.p99Ms, 9)}`,
    ),
  ];
  if (report.errors.length > 0) lines.push("", "refusals and errors by route and status:", ...report.errors.map((e) => `  ${e.route} ${e.status}: ${e.count}`));
  return lines.join("\n");
}
