import type { Queue } from "bullmq";
import { DAILY_SUMMARY_JOB, PRUNE_EMAIL_JOB } from "@echoes/shared";
import type { WorkerConfig } from "../config";

/** Registers the email queue's schedules (idempotent across processes): the daily summary at DAILY_SUMMARY_HOUR UTC, pruning hourly. */
export async function ensureEmailSchedules(queue: Queue, config: WorkerConfig): Promise<void> {
  await queue.upsertJobScheduler(
    DAILY_SUMMARY_JOB,
    { pattern: `0 ${config.DAILY_SUMMARY_HOUR} * * *`, tz: "UTC" },
    {
      name: DAILY_SUMMARY_JOB,
      opts: { attempts: 6, backoff: { type: "exponential", delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } },
    },
  );
  await queue.upsertJobScheduler(
    PRUNE_EMAIL_JOB,
    { every: 3_600_000 },
    { name: PRUNE_EMAIL_JOB, opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } } },
  );
}
