import { type Job, UnrecoverableError } from "bullmq";
import { applyStatEvent } from "@echoes/db";
import { statsJob } from "@echoes/shared";
import type { WorkerContext } from "../context";

/** Counts one statistics event once and writes the player's standing to the leaderboards. */
export async function processStatistics(job: Job, ctx: WorkerContext): Promise<unknown> {
  const parsed = statsJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed statistics job: ${parsed.error.message}`);
  const standing = await applyStatEvent(ctx.database, parsed.data.eventKey);
  if (!standing) return { applied: false, reason: "unknown event or deleted player" };
  await ctx.leaderboards.record([standing]);
  await ctx.cache.invalidate({ players: [standing.playerId] });
  return { applied: standing.fresh, playerId: standing.playerId };
}
