/** What the statistics of a player count; every statistics event carries deltas of these. */
export const STAT_FIELDS = ["kills", "deaths", "damageDealt", "damageTaken", "itemsLooted", "distanceTravelled", "xpGained", "levelUps", "fightsFled"] as const;
export type StatField = (typeof STAT_FIELDS)[number];
export type StatDeltas = Partial<Record<StatField, number>>;
