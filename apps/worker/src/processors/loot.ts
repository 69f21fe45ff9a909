import { type Job, UnrecoverableError } from "bullmq";
import { rollKillLoot } from "@echoes/db";
import { lootJob } from "@echoes/shared";
import type { WorkerContext } from "../context";

/** Puts a kill's loot on the ground where the enemy fell (once per kill) and refreshes that location's view. */
export async function processLoot(job: Job, ctx: WorkerContext): Promise<unknown> {
  const parsed = lootJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed loot job: ${parsed.error.message}`);
  const result = await rollKillLoot(ctx.database, parsed.data.combatId);
  if (result.fresh && result.locationId) await ctx.cache.invalidate({ locations: [result.locationId] });
  return result;
}
