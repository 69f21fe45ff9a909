import { z } from "zod";

/**
 * The result of one combat turn, as the combat worker stores it and every client reads it (the
 * job's `result`, the fight's log, the `combat-turn` event). The HTTP contract documents these
 * schemas; the worker's record must satisfy them.
 */

export const COMBAT_ACTIONS = ["attack", "flee", "use"] as const;
export const TURN_OUTCOMES = ["ongoing", "won", "lost", "fled", "void"] as const;
export const TURN_EVENT_KINDS = [
  "attack",
  "miss",
  "critical",
  "effect",
  "effect-applied",
  "effect-ended",
  "use",
  "fumble",
  "flee",
  "flee-failed",
  "defeated",
] as const;

const count = z.int().min(0);

/** One line of the turn log, in the order things happened. */
export const turnEventSchema = z.strictObject({
  actor: z.enum(["player", "enemy"]),
  kind: z.enum(TURN_EVENT_KINDS),
  amount: z.int().optional(),
  effectId: z.string().optional(),
  itemId: z.string().optional(),
  text: z.string(),
});

/** A status effect with the ticks it has left. */
export const activeEffectSchema = z.strictObject({ effectId: z.string(), remainingTicks: z.int() });

/** A turn that was played: what the player did, what happened, and both sides afterwards. */
export const turnResultSchema = z.strictObject({
  combatId: z.int(),
  turn: z.int(),
  action: z.enum(COMBAT_ACTIONS),
  itemId: z.string().nullable(),
  outcome: z.enum(TURN_OUTCOMES),
  events: z.array(turnEventSchema),
  player: z.strictObject({
    hp: count,
    maxHp: z.int(),
    stamina: count,
    statusEffects: z.array(activeEffectSchema),
    level: z.int(),
    xp: count,
  }),
  enemy: z.strictObject({
    id: z.int().nullable(),
    enemyTypeId: z.string(),
    name: z.string(),
    hp: count,
    maxHp: z.int(),
  }),
  /** HP the enemy and the player lost this turn (blows and effects). */
  damageDealt: count,
  damageTaken: count,
  xpGained: count,
  levelsGained: count,
});
export type TurnResultRecord = z.infer<typeof turnResultSchema>;

/** An accepted action that could not be played: the fight was over before its turn came. */
export const turnFailureSchema = z.strictObject({
  error: z.enum(["combat_over"]),
  message: z.string(),
});
export type TurnFailure = z.infer<typeof turnFailureSchema>;

/** What a player's event stream carries when one of their accepted actions has a result. */
export const combatTurnEventSchema = z.strictObject({
  type: z.literal("combat-turn"),
  jobId: z.string(),
  state: z.enum(["completed", "failed"]),
  result: z.union([turnResultSchema, turnFailureSchema]),
});
export type CombatTurnEvent = z.infer<typeof combatTurnEventSchema>;
