import { type Job, UnrecoverableError } from "bullmq";
import { resolveCombatTurn } from "@echoes/db";
import { type PlayerEvent, combatJobId, combatTurnJob, playerEventsChannel } from "@echoes/shared";
import type { WorkerContext } from "../context";

/**
 * Applies one accepted combat action (exactly once: see `resolveCombatTurn`), then does what
 * must follow, all of it safe to repeat: queue loot and statistics for a finished fight,
 * refresh the location's cached view, and tell the player.
 */
export async function processCombatTurn(job: Job, ctx: WorkerContext): Promise<unknown> {
  const parsed = combatTurnJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed combat job: ${parsed.error.message}`);
  const { combatId, turn } = parsed.data;
  const resolved = await resolveCombatTurn(ctx.database, combatId, turn);
  if (!resolved) throw new UnrecoverableError(`no accepted action for fight ${combatId} turn ${turn}`);

  const { ended } = resolved;
  if (ended) {
    if (ended.outcome === "won" && resolved.enemyId !== null) await ctx.producer.loot({ combatId, enemyId: resolved.enemyId });
    await ctx.producer.stats(ended.statsEventKey);
    await ctx.cache.invalidate({ locations: [resolved.locationId] });
  }
  const event: PlayerEvent = { type: "combat-turn", jobId: combatJobId(combatId, turn), state: resolved.status, result: resolved.record };
  await ctx.publisher.publish(playerEventsChannel(ctx.config.REDIS_PREFIX, resolved.playerId), JSON.stringify(event));
  return resolved.record;
}
