import { Queue, type JobsOptions } from "bullmq";
import { Batcher } from "./batcher";
import {
  COMBAT_TURN_JOB,
  type CombatTurnJob,
  EMAIL_BACKOFF,
  EMAIL_JOB,
  LOOT_JOB,
  type LootJob,
  QUEUE,
  type QueueName,
  STATS_JOB,
  combatJobId,
  emailJobId,
  lootJobId,
  statsJobId,
} from "./queues";
import { type RedisClient, queuePrefix } from "./redis";

/**
 * Retries with exponential backoff; finished jobs are kept for a while (for dashboards and
 * de-duplication), not forever. PostgreSQL keeps the results that matter.
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 250 },
  removeOnComplete: { age: 3600, count: 5_000 },
  removeOnFail: { age: 7 * 86_400, count: 20_000 },
};

/**
 * Combat turns are forgotten by BullMQ as soon as they complete: each turn's result is in
 * PostgreSQL (`GET /v1/jobs/{id}` reads it there) and on the player's event stream. Keeping
 * finished turns would cost every completion a sorted-set insert, the result stored in the job,
 * and a later removal, for a record nobody reads (at 2,000 turns/s a count of 5,000 keeps them
 * for under 3 s anyway). A turn queued again after it completed resolves to its stored result.
 */
export const COMBAT_JOB_OPTIONS: JobsOptions = { ...DEFAULT_JOB_OPTIONS, removeOnComplete: true };

/** How often and how patiently an email is tried (EMAIL_ATTEMPTS, EMAIL_RETRY_DELAY_MS). */
export interface EmailRetry {
  attempts: number;
  delayMs: number;
}

/**
 * Enqueues the game's jobs with ids derived from what they are about, so enqueueing the same
 * work twice is a no-op while BullMQ remembers the job. Used by the API and by workers.
 */
export class JobProducer {
  private readonly queues = new Map<QueueName, Queue>();
  /** Combat turns enqueued in one turn of the event loop go to Redis together, in one `addBulk`. */
  private readonly turns = new Batcher<CombatTurnJob, string>(
    async (jobs) => {
      const ids = jobs.map((job) => combatJobId(job.combatId, job.turn));
      await this.queue(QUEUE.combat).addBulk(jobs.map((data, i) => ({ name: COMBAT_TURN_JOB, data, opts: { ...COMBAT_JOB_OPTIONS, jobId: ids[i]! } })));
      return ids;
    },
    { size: 200, waitMs: 0 },
    () => false,
  );

  constructor(
    private readonly connection: RedisClient,
    private readonly prefix: string,
    private readonly emailRetry: EmailRetry = { attempts: 12, delayMs: 30_000 },
  ) {}

  /**
   * The BullMQ queue of that name, opened on first use. A queue whose start failed (Redis went
   * away between connecting and BullMQ's first command, or a Cluster client was still checking
   * the cluster) would fail every call after it; it is dropped, and the next call opens a new one.
   * Hold on to the producer, not to a queue.
   */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const opened = new Queue(name, { connection: this.connection, prefix: queuePrefix(this.prefix, name), defaultJobOptions: DEFAULT_JOB_OPTIONS });
      opened.on("error", () => undefined);
      opened.waitUntilReady().catch(() => {
        if (this.queues.get(name) !== opened) return;
        this.queues.delete(name);
        opened.close().catch(() => undefined);
      });
      this.queues.set(name, opened);
      queue = opened;
    }
    return queue;
  }

  /** Enqueues one accepted combat action, with the others enqueued at the same moment. */
  combatTurn(job: CombatTurnJob): Promise<string> {
    return this.turns.submit(job);
  }

  async loot(job: LootJob): Promise<void> {
    await this.lootMany([job]);
  }

  /** Enqueues many kills' loot in one call to Redis. */
  async lootMany(jobs: LootJob[]): Promise<void> {
    await this.queue(QUEUE.loot).addBulk(jobs.map((data) => ({ name: LOOT_JOB, data, opts: { jobId: lootJobId(data.enemyId) } })));
  }

  async stats(eventKey: string): Promise<void> {
    await this.statsMany([eventKey]);
  }

  /** Enqueues many statistics events in one call to Redis. */
  async statsMany(eventKeys: string[]): Promise<void> {
    await this.queue(QUEUE.stats).addBulk(eventKeys.map((eventKey) => ({ name: STATS_JOB, data: { eventKey }, opts: { jobId: statsJobId(eventKey) } })));
  }

  /** Queues the sending of one outbox row; its retries wait longer and longer, over hours. */
  async email(outboxId: number): Promise<void> {
    await this.emailMany([outboxId]);
  }

  /** Queues the sending of many outbox rows in one call to Redis. */
  async emailMany(outboxIds: number[]): Promise<void> {
    await this.queue(QUEUE.email).addBulk(
      outboxIds.map((outboxId) => ({
        name: EMAIL_JOB,
        data: { outboxId },
        opts: {
          jobId: emailJobId(outboxId),
          attempts: this.emailRetry.attempts,
          backoff: { type: EMAIL_BACKOFF, delay: this.emailRetry.delayMs },
          removeOnFail: { age: 30 * 86_400, count: 50_000 },
        },
      })),
    );
  }

  /** BullMQ's state of a job, or null when BullMQ no longer (or never) knew it. */
  async state(name: QueueName, jobId: string): Promise<string | null> {
    const state = await this.queue(name).getJobState(jobId);
    return state === "unknown" ? null : state;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
