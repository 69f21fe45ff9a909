import { z } from "zod";

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "ids are lower-case kebab-case slugs")
  .max(64);

export const DIRECTIONS = ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "up", "down", "in", "out"] as const;
export const directionSchema = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof directionSchema>;

export const exitSchema = z.strictObject({
  direction: directionSchema,
  to: slug,
  staminaCost: z.int().min(1).max(30),
});
export type Exit = z.infer<typeof exitSchema>;

/** Danger 0 is a safe haven (no enemies spawn); 5 is the deadliest ground. */
export const dangerLevelSchema = z.int().min(0).max(5);

export const locationSchema = z.strictObject({
  id: slug,
  name: z.string().min(3).max(80),
  description: z.string().min(40).max(600),
  dangerLevel: dangerLevelSchema,
  exits: z.array(exitSchema).min(1),
  image: z
    .string()
    .regex(/^[a-z0-9-]+\.(png|jpg|webp|svg)$/)
    .optional(),
});
export type LocationDef = z.infer<typeof locationSchema>;

export const STATUS_EFFECT_KINDS = ["harmful", "beneficial"] as const;

export const statusEffectSchema = z.strictObject({
  id: slug,
  name: z.string().min(3).max(40),
  description: z.string().min(20).max(300),
  kind: z.enum(STATUS_EFFECT_KINDS),
  /** How many ticks the effect lasts when applied. */
  durationTicks: z.int().min(1).max(50),
  /** HP change each tick: negative hurts, positive heals. */
  hpPerTick: z.int().min(-20).max(20),
  /** Stamina change each tick. */
  staminaPerTick: z.int().min(-20).max(20).default(0),
  /** Multiplier on the bearer's outgoing damage while active (1 = unchanged). */
  damageMultiplier: z.number().min(0.25).max(2).default(1),
  /** Added to the bearer's hit chance while active (-0.5..0.5). */
  accuracyModifier: z.number().min(-0.5).max(0.5).default(0),
});
export type StatusEffectDef = z.infer<typeof statusEffectSchema>;

const inflictSchema = z.strictObject({
  effectId: slug,
  /** Probability (0..1) that a landed hit applies the effect. */
  chance: z.number().gt(0).max(1),
});

export const ITEM_KINDS = ["weapon", "armour", "consumable", "material", "junk"] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

const itemBase = {
  id: slug,
  name: z.string().min(3).max(60),
  description: z.string().min(20).max(400),
  /** Kilograms, at most two decimals. */
  weight: z.number().min(0.01).max(50).multipleOf(0.01),
  /** Barter value in caps. */
  value: z.int().min(0).max(10_000),
  image: z
    .string()
    .regex(/^[a-z0-9-]+\.(png|jpg|webp|svg)$/)
    .optional(),
};

export const weaponSchema = z.strictObject({
  ...itemBase,
  kind: z.literal("weapon"),
  weapon: z
    .strictObject({
      damageMin: z.int().min(1).max(200),
      damageMax: z.int().min(1).max(300),
      /** Base hit chance (0..1) before armour and effects. */
      accuracy: z.number().min(0.3).max(1),
      critChance: z.number().min(0).max(0.5),
      critMultiplier: z.number().min(1).max(4),
      inflicts: inflictSchema.optional(),
    })
    .refine((w) => w.damageMax >= w.damageMin, "damageMax must be at least damageMin"),
});

export const armourSchema = z.strictObject({
  ...itemBase,
  kind: z.literal("armour"),
  armour: z.strictObject({
    /** Flat damage absorbed from every hit. */
    defense: z.int().min(1).max(40),
    /** Subtracted from attackers' hit chance (0..0.3). */
    evasion: z.number().min(0).max(0.3).default(0),
  }),
});

export const consumableSchema = z.strictObject({
  ...itemBase,
  kind: z.literal("consumable"),
  consumable: z
    .strictObject({
      heal: z.int().min(0).max(200).default(0),
      stamina: z.int().min(0).max(100).default(0),
      cures: z.array(slug).default([]),
      applies: slug.optional(),
    })
    .refine((c) => c.heal > 0 || c.stamina > 0 || c.cures.length > 0 || c.applies !== undefined, "a consumable must do something"),
});

export const materialSchema = z.strictObject({ ...itemBase, kind: z.literal("material") });
export const junkSchema = z.strictObject({ ...itemBase, kind: z.literal("junk") });

export const itemSchema = z.discriminatedUnion("kind", [weaponSchema, armourSchema, consumableSchema, materialSchema, junkSchema]);
export type ItemDef = z.infer<typeof itemSchema>;
export type WeaponDef = z.infer<typeof weaponSchema>;
export type ArmourDef = z.infer<typeof armourSchema>;
export type ConsumableDef = z.infer<typeof consumableSchema>;

export const lootEntrySchema = z
  .strictObject({
    itemId: slug,
    /** Probability (0..1) that this entry drops at all. */
    chance: z.number().gt(0).max(1),
    min: z.int().min(1).max(50),
    max: z.int().min(1).max(50),
  })
  .refine((l) => l.max >= l.min, "max must be at least min");
export type LootEntry = z.infer<typeof lootEntrySchema>;

export const enemyTypeSchema = z
  .strictObject({
    id: slug,
    name: z.string().min(3).max(60),
    description: z.string().min(20).max(400),
    maxHp: z.int().min(5).max(1000),
    damageMin: z.int().min(1).max(100),
    damageMax: z.int().min(1).max(150),
    accuracy: z.number().min(0.3).max(1),
    defense: z.int().min(0).max(30),
    critChance: z.number().min(0).max(0.5),
    /** Experience granted to the player who kills it. */
    xp: z.int().min(1).max(5000),
    /** Lowest and highest location danger level this enemy spawns at. */
    minDanger: z.int().min(1).max(5),
    maxDanger: z.int().min(1).max(5),
    /** Probability (0..1) that a flee attempt from this enemy fails before other modifiers. */
    pursuit: z.number().min(0).max(0.9),
    /** Probability (0..1) per world tick that an idle one wanders to a neighbouring location. */
    roamChance: z.number().min(0).max(0.5),
    inflicts: inflictSchema.optional(),
    loot: z.array(lootEntrySchema).min(1),
  })
  .refine((e) => e.damageMax >= e.damageMin, "damageMax must be at least damageMin")
  .refine((e) => e.maxDanger >= e.minDanger, "maxDanger must be at least minDanger");
export type EnemyTypeDef = z.infer<typeof enemyTypeSchema>;

export const starterKitSchema = z.array(z.strictObject({ itemId: slug, quantity: z.int().min(1).max(20) })).min(1);

export const worldSchema = z.strictObject({
  startLocationId: slug,
  locations: z.array(locationSchema).min(30),
  items: z.array(itemSchema).min(40),
  enemyTypes: z.array(enemyTypeSchema).min(10),
  statusEffects: z.array(statusEffectSchema).min(5),
  starterKit: starterKitSchema,
});
export type WorldInput = z.input<typeof worldSchema>;
export type World = z.infer<typeof worldSchema>;
