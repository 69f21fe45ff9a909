import { EventSourceParserStream } from "eventsource-parser/stream";
import { ApiError, type GameApi, type Job as JobRecord } from "./api";

/** What the page needs of a job: its state and result. */
type Job = Pick<JobRecord, "id" | "state" | "result">;

export type FeedStatus = "connecting" | "live" | "down";

/** How often a job is polled while the stream is down. */
const POLL_MS = 700;
/** A job whose result has not arrived on a live stream after this long is polled too (an event can be missed across a reconnect). */
const STREAM_GRACE_MS = 10_000;
/** The server sends a comment every 15 s; silence for longer than this means the stream is dead. */
const SILENCE_MS = 40_000;
const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000];
/** Results kept for a turn nobody waits for yet: its event can come before the 202 that names the job. */
const EARLY_KEPT = 64;

interface Pending {
  since: number;
  polling: boolean;
  resolve(job: Job): void;
  reject(err: unknown): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Results of the player's combat turns: from `/v1/events` as they happen, and from
 * `/v1/jobs/{id}` whenever the stream is down, so a turn's result always arrives.
 */
export class TurnFeed {
  private readonly pending = new Map<string, Pending>();
  /** Finished jobs that arrived before anyone waited for them, oldest first. */
  private readonly early = new Map<string, Job>();
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private status: FeedStatus = "connecting";

  constructor(
    private readonly api: GameApi,
    private readonly onStatus: (status: FeedStatus) => void,
  ) {}

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    void this.stream(this.abort.signal);
    this.timer = setInterval(() => this.pollDue(), POLL_MS);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const p of this.pending.values()) p.reject(new ApiError(0, "stopped", "Signed out."));
    this.pending.clear();
    this.early.clear();
  }

  /** The job's final state (completed or failed), from whichever source has it first. */
  wait(jobId: string): Promise<Job> {
    const arrived = this.early.get(jobId);
    if (arrived) {
      this.early.delete(jobId);
      return Promise.resolve(arrived);
    }
    return new Promise<Job>((resolve, reject) => {
      this.pending.set(jobId, { since: Date.now(), polling: false, resolve, reject });
      if (this.status !== "live") this.poll(jobId);
    });
  }

  private setStatus(status: FeedStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  /** Hands a finished job to whoever waits for it; false when nobody does. */
  private settle(job: Job): boolean {
    if (job.state !== "completed" && job.state !== "failed") return false;
    const p = this.pending.get(job.id);
    if (!p) return false;
    this.pending.delete(job.id);
    p.resolve(job);
    return true;
  }

  /** Keeps a streamed result nobody waits for yet: the worker can publish it before the page has read the 202 that names its job. */
  private keepEarly(job: Job): void {
    this.early.set(job.id, job);
    if (this.early.size > EARLY_KEPT) this.early.delete(this.early.keys().next().value!);
  }

  private pollDue(): void {
    const now = Date.now();
    for (const [jobId, p] of this.pending) if (this.status !== "live" || now - p.since > STREAM_GRACE_MS) this.poll(jobId);
  }

  private poll(jobId: string): void {
    const p = this.pending.get(jobId);
    if (!p || p.polling) return;
    p.polling = true;
    this.api.job(jobId).then(
      (job) => {
        p.polling = false;
        this.settle(job);
      },
      (err: unknown) => {
        p.polling = false;
        // A refusal (the job is not ours, or not there) will not change; a server that is briefly away will.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
          this.pending.delete(jobId);
          p.reject(err);
        }
      },
    );
  }

  private async stream(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      this.setStatus("connecting");
      try {
        const body = await this.api.events(signal);
        attempt = 0;
        await this.read(body, signal);
      } catch (err) {
        if (signal.aborted || (err instanceof ApiError && err.status === 401)) return;
      }
      this.setStatus("down");
      await sleep(RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)]!);
    }
  }

  private async read(body: ReadableStream<Uint8Array<ArrayBuffer>>, signal: AbortSignal): Promise<void> {
    let heard = Date.now();
    const reader = body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream({ onComment: () => (heard = Date.now()) }))
      .getReader();
    const watchdog = setInterval(() => {
      if (Date.now() - heard > SILENCE_MS) void reader.cancel();
    }, 5_000);
    const cancel = () => void reader.cancel();
    signal.addEventListener("abort", cancel);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        heard = Date.now();
        if (value.event === "ready") {
          this.setStatus("live");
          // Results published while the stream was away are fetched rather than waited for.
          for (const jobId of this.pending.keys()) this.poll(jobId);
        } else if (value.event === "combat-turn") {
          const job = parseEvent(value.data);
          if (job && !this.settle(job)) this.keepEarly(job);
        }
      }
    } finally {
      clearInterval(watchdog);
      signal.removeEventListener("abort", cancel);
    }
  }
}

/** An event's data as a job, or null when it is not one. */
function parseEvent(data: string): Job | null {
  try {
    const event = JSON.parse(data) as { jobId?: unknown; state?: unknown; result?: unknown };
    if (typeof event.jobId !== "string" || (event.state !== "completed" && event.state !== "failed")) return null;
    return { id: event.jobId, state: event.state, result: event.result as Job["result"] };
  } catch {
    return null;
  }
}
