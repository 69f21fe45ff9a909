import { type Job, UnrecoverableError } from "bullmq";
import {
  type TickResult,
  expireItems,
  findStaleWork,
  pruneHistory,
  rebuildLeaderboards,
  regenerateStamina,
  respawnEnemies,
  revivePlayers,
  roamEnemies,
  tickPlayerEffects,
} from "@echoes/db";
import { QUEUE, type QueueName, WORLD_TASKS, type WorldTask, combatJobId, emailJobId, lootJobId, statsJobId } from "@echoes/shared";
import type { WorkerContext } from "../context";

const isWorldTask = (name: string): name is WorldTask => Object.hasOwn(WORLD_TASKS, name);

/**
 * The instant that names a tick: the scheduler's slot, which is part of each iteration's job id
 * (`repeat:<task>:<millis>`) and the same on every host and for a retry or a run after a stall;
 * a job added by hand has no slot, so its creation time stands in.
 */
export function tickInstant(job: Pick<Job, "id" | "timestamp">): Date {
  const slot = /:(\d+)$/.exec(job.id ?? "")?.[1];
  return new Date(slot ? Number(slot) : job.timestamp);
}

/** Runs one scheduled world task and refreshes the cache entries it made stale. */
export async function processWorldTask(job: Job, ctx: WorkerContext): Promise<unknown> {
  if (!isWorldTask(job.name)) throw new UnrecoverableError(`unknown world task ${job.name}`);
  const batch = ctx.config.TICK_BATCH;
  const tick = { task: job.name, at: tickInstant(job) };
  let result: TickResult;
  switch (job.name) {
    case "respawn-enemies":
      result = await respawnEnemies(ctx.database, batch, tick);
      break;
    case "roam-enemies":
      result = await roamEnemies(ctx.database, tick);
      break;
    case "expire-items":
      result = await expireItems(ctx.database, batch, 10);
      break;
    case "tick-effects":
      result = await tickPlayerEffects(ctx.database, batch, tick);
      break;
    case "regen-stamina":
      result = await regenerateStamina(ctx.database, batch, tick);
      break;
    case "revive-players":
      result = await revivePlayers(ctx.database, batch);
      break;
    case "prune-history":
      result = await pruneHistory(ctx.database, batch, ctx.config.KEEP_STAT_EVENTS_H, ctx.config.KEEP_FIGHTS_D);
      break;
    case "sweep-accepted":
      return sweep(ctx);
  }
  await ctx.cache.invalidate({ locations: result.locations, players: result.players });
  return { rows: result.rows, locations: result.locations.length };
}

/**
 * Makes sure BullMQ holds a live job for `jobId`: adds it when BullMQ forgot it (Redis lost
 * its data, or the job was removed), retries it when it failed for good. Returns what it did.
 */
async function ensureJob(ctx: WorkerContext, queue: QueueName, jobId: string, add: () => Promise<unknown>): Promise<"added" | "retried" | "pending"> {
  const job = await ctx.producer.queue(queue).getJob(jobId);
  if (!job) {
    await add();
    return "added";
  }
  const state = await job.getState();
  if (state === "failed") {
    await job.retry("failed");
    return "retried";
  }
  if (state === "completed" || state === "unknown") {
    await job.remove().catch(() => undefined);
    await add();
    return "added";
  }
  return "pending";
}

/**
 * The safety net: PostgreSQL records every accepted action, statistics event and kill, so work
 * whose job was lost (a Redis restart or flush, a crash between commit and enqueue) is found
 * here and queued again. Applying is idempotent, so a job that was merely slow does no harm.
 */
async function sweep(ctx: WorkerContext): Promise<unknown> {
  const stale = await findStaleWork(ctx.database, ctx.config.SWEEP_AFTER_S, 500);
  const counts = { added: 0, retried: 0, pending: 0 };
  for (const a of stale.actions) {
    counts[await ensureJob(ctx, QUEUE.combat, combatJobId(a.combatId, a.turn), () => ctx.producer.combatTurn(a))]++;
  }
  for (const e of stale.statEvents) {
    counts[await ensureJob(ctx, QUEUE.stats, statsJobId(e.eventKey), () => ctx.producer.stats(e.eventKey))]++;
  }
  for (const l of stale.loot) {
    counts[await ensureJob(ctx, QUEUE.loot, lootJobId(l.enemyId), () => ctx.producer.loot(l))]++;
  }
  for (const e of stale.emails) {
    counts[await ensureJob(ctx, QUEUE.email, emailJobId(e.outboxId), () => ctx.producer.email(e.outboxId))]++;
  }
  if (await ctx.leaderboards.needsRebuild()) {
    const rebuilt = await rebuildLeaderboards(ctx.database, ctx.leaderboards, 5_000);
    if (rebuilt.started) {
      ctx.logger.info(
        rebuilt,
        rebuilt.complete ? "leaderboards rebuilt from PostgreSQL" : "leaderboards rebuilt, but Redis lost data meanwhile; rebuilding at the next sweep",
      );
    }
  }
  if (counts.added + counts.retried > 0) ctx.logger.warn({ ...counts, after: ctx.config.SWEEP_AFTER_S }, "sweeper re-queued accepted work");
  return { actions: stale.actions.length, statEvents: stale.statEvents.length, loot: stale.loot.length, emails: stale.emails.length, ...counts };
}
