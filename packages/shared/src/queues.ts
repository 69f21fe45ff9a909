import { z } from "zod";

/**
 * The queues shared by the API (producer) and the worker (consumer). Job ids are derived from
 * what a job is about, so enqueueing the same thing twice is a no-op while the job is known.
 */
export const QUEUE = {
  combat: "combat-turns",
  loot: "loot",
  stats: "statistics",
  world: "world",
  email: "email",
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];
export const QUEUE_NAMES = Object.values(QUEUE);

const id = z.int().positive();

export const combatTurnJob = z.strictObject({
  actionId: id,
  combatId: id,
  turn: id,
  playerId: id,
});
export type CombatTurnJob = z.infer<typeof combatTurnJob>;
export const COMBAT_TURN_JOB = "turn";
/** The id of a combat-turn job, which is also the public id of the accepted action. */
export const combatJobId = (combatId: number, turn: number) => `combat-${combatId}-${turn}`;
const COMBAT_JOB_ID = /^combat-(\d{1,15})-(\d{1,9})$/;
/** Reads a public job id back into its fight and turn; null when it is not one. */
export function parseCombatJobId(jobId: string): { combatId: number; turn: number } | null {
  const m = COMBAT_JOB_ID.exec(jobId);
  return m ? { combatId: Number(m[1]), turn: Number(m[2]) } : null;
}

export const lootJob = z.strictObject({ combatId: id, enemyId: id });
export type LootJob = z.infer<typeof lootJob>;
export const LOOT_JOB = "roll";
export const lootJobId = (enemyId: number) => `loot-${enemyId}`;

export const statsJob = z.strictObject({ eventKey: z.string().regex(/^[a-z]+-[A-Za-z0-9-]{1,80}$/) });
export type StatsJob = z.infer<typeof statsJob>;
export const STATS_JOB = "apply";
export const statsJobId = (eventKey: string) => `stats-${eventKey}`;

export const emailJob = z.strictObject({ outboxId: id });
export type EmailJob = z.infer<typeof emailJob>;
export const EMAIL_JOB = "send";
/** One job per outbox row: enqueueing a row twice is a no-op while BullMQ remembers it. */
export const emailJobId = (outboxId: number) => `email-${outboxId}`;
/** Scheduled on the email queue: writes the day's summaries to the outbox. */
export const DAILY_SUMMARY_JOB = "daily-summary";
/** Scheduled on the email queue: forgets expired tokens and old sent emails. */
export const PRUNE_EMAIL_JOB = "prune";

/** The name of the email queue's backoff, which the worker implements with `emailRetryDelayMs`. */
export const EMAIL_BACKOFF = "email";
/** The wait before try `attempt + 1` of an email: `baseMs`, doubling with every failed try. */
export const emailRetryDelayMs = (attempt: number, baseMs: number) => Math.round(baseMs * 2 ** Math.max(0, attempt - 1));

/** Scheduled maintenance of the world, each with its default period in milliseconds. */
export const WORLD_TASKS = {
  "respawn-enemies": 15_000,
  "roam-enemies": 20_000,
  "expire-items": 30_000,
  "tick-effects": 10_000,
  "regen-stamina": 10_000,
  "revive-players": 5_000,
  "sweep-accepted": 5_000,
  "prune-history": 600_000,
} as const;
export type WorldTask = keyof typeof WORLD_TASKS;
export const WORLD_TASK_NAMES = Object.keys(WORLD_TASKS) as WorldTask[];

/** Redis pub/sub channel carrying one player's job results to whichever API process serves them. */
export const playerEventsChannel = (prefix: string, playerId: number) => `${prefix}:events:player:${playerId}`;

/** Redis pub/sub channel telling every API process that a player's older bearer tokens no longer count. */
export const tokenRevocationsChannel = (prefix: string) => `${prefix}:token-revocations`;

/** A job result pushed to a player's event stream. */
export interface PlayerEvent {
  type: "combat-turn";
  jobId: string;
  state: "completed" | "failed";
  result: unknown;
}
