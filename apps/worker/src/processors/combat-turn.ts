import { type Job, UnrecoverableError } from "bullmq";
import { type ResolvedTurn, type TurnRef, refusedByDatabase, resolveCombatTurns, turnKey } from "@echoes/db";
import { type BatchPolicy, Batcher, type PlayerEvent, combatJobId, combatTurnJob, playerEventsChannel } from "@echoes/shared";
import type { WorkerContext } from "../context";

/** Gathers combat turns into batches: one outcome per turn, null when there is no such accepted action. */
export type TurnBatcher = Batcher<TurnRef, ResolvedTurn | null>;

/**
 * Applies one accepted combat action, exactly once (see `resolveCombatTurns`), in a batch with
 * the turns that arrive with it; the batch's follow-ups are done before any of its jobs completes.
 */
export async function processCombatTurn(job: Job, ctx: WorkerContext): Promise<unknown> {
  const parsed = combatTurnJob.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`malformed combat job: ${parsed.error.message}`);
  const { combatId, turn } = parsed.data;
  const resolved = await ctx.turns.submit({ combatId, turn });
  if (!resolved) throw new UnrecoverableError(`no accepted action for fight ${combatId} turn ${turn}`);
  return resolved.record;
}

type FollowUpContext = Pick<WorkerContext, "config" | "publisher" | "producer" | "cache">;

/**
 * What follows a batch of turns, all of it safe to repeat, each kind sent once for the whole
 * batch: loot, statistics and death-notification jobs for the fights that ended (one `addBulk` per queue), fresh
 * cached documents of the players and views of the places where fights ended, and every player's result on their event stream
 * (one pipeline).
 */
async function followUp(ctx: FollowUpContext, outcomes: [TurnRef, ResolvedTurn][]): Promise<void> {
  const ended = outcomes.filter(([, r]) => r.ended !== null);
  const loot = ended.filter(([, r]) => r.ended!.outcome === "won" && r.enemyId !== null).map(([ref, r]) => ({ combatId: ref.combatId, enemyId: r.enemyId! }));
  const publishing = ctx.publisher.pipeline();
  for (const [ref, r] of outcomes) {
    const event: PlayerEvent = { type: "combat-turn", jobId: combatJobId(ref.combatId, ref.turn), state: r.status, result: r.record };
    publishing.publish(playerEventsChannel(ctx.config.REDIS_PREFIX, r.playerId), JSON.stringify(event));
  }
  const emails = outcomes.flatMap(([, r]) => r.emails);
  await Promise.all([
    loot.length > 0 ? ctx.producer.lootMany(loot) : undefined,
    emails.length > 0 ? ctx.producer.emailMany(emails) : undefined,
    ended.length > 0 ? ctx.producer.statsMany(ended.map(([, r]) => r.ended!.statsEventKey)) : undefined,
    // Every turn changes its player (the fight's log, HP, the pack); an ending changes the place too.
    outcomes.length > 0 ? ctx.cache.invalidate({ players: outcomes.map(([, r]) => r.playerId), locations: ended.map(([, r]) => r.locationId) }) : undefined,
    outcomes.length > 0 ? publishing.exec() : undefined,
  ]);
}

/** The combat worker's batcher: resolves a batch of turns in one transaction, then does their follow-ups. */
export function combatTurnBatcher(
  ctx: FollowUpContext & Pick<WorkerContext, "database">,
  settings: BatchPolicy,
  observe?: (size: number, seconds: number) => void,
): TurnBatcher {
  return new Batcher(
    async (refs) => {
      const outcomes = await resolveCombatTurns(ctx.database, refs);
      const unique = new Map(refs.map((ref) => [turnKey(ref), ref]));
      const applied = [...unique].flatMap(([key, ref]): [TurnRef, ResolvedTurn][] => {
        const r = outcomes.get(key);
        return r ? [[ref, r]] : [];
      });
      await followUp(ctx, applied);
      return refs.map((ref) => outcomes.get(turnKey(ref)) ?? null);
    },
    settings,
    refusedByDatabase,
    observe,
  );
}
