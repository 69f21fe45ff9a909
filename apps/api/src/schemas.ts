import { z } from "@hono/zod-openapi";
import {
  COMBAT_ACTIONS,
  DIRECTIONS,
  ERROR_CODES,
  type ErrorCode,
  armourSchema,
  combatTurnEventSchema,
  consumableSchema,
  enemyTypeSchema,
  exitSchema,
  ITEM_KINDS,
  junkSchema,
  locationSchema,
  materialSchema,
  turnEventSchema,
  turnFailureSchema,
  turnResultSchema,
  weaponSchema,
} from "@echoes/shared";
import { STATUS } from "./errors";

/** What an error's `details` may say, by the refusal that set them; most errors have none. */
export const ErrorDetailsSchema = z
  .strictObject({
    issues: z.array(z.object({ path: z.string(), message: z.string() })).openapi({ description: "The first problems found in the request (400)" }),
    retryAfterS: z.int().openapi({ description: "Seconds until the next try may succeed (429)" }),
    itemId: z.string(),
    enemyId: z.int(),
    stackId: z.int(),
    available: z.int().openapi({ description: "What is left of the stack" }),
    have: z.int(),
    wanted: z.int(),
    carried: z.number().openapi({ description: "Kilograms carried now" }),
    adding: z.number().openapi({ description: "Kilograms the pickup would add" }),
    max: z.number().openapi({ description: "Kilograms the player can carry" }),
    required: z.int().openapi({ description: "Stamina the move takes" }),
    stamina: z.int().openapi({ description: "Stamina the player has" }),
    turn: z.int().openapi({ description: "The turn still being resolved" }),
    jobId: z.string().openapi({ description: "The job resolving that turn" }),
  })
  .partial()
  .openapi("ErrorDetails");

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** Each error status's component name and meaning; its codes come from the one status map. */
const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: { name: "BadRequestError", description: "Bad input" },
  401: { name: "UnauthorizedError", description: "No token, or a bad one" },
  403: { name: "ForbiddenError", description: "Not yours" },
  404: { name: "NotFoundError", description: "Not found" },
  409: { name: "ConflictError", description: "Someone took it first" },
  413: { name: "PayloadTooLargeError", description: "Body too large" },
  415: { name: "UnsupportedMediaTypeError", description: "Body is not JSON" },
  422: { name: "RuleRefusedError", description: "A game rule refuses" },
  429: { name: "TooManyRequestsError", description: "Too many requests" },
  503: { name: "UnavailableError", description: "A dependency is down" },
};

/** The error shape of every non-2xx answer (PRODUCT.md), with the codes one status carries. */
function errorSchema(status: ErrorStatus) {
  const { name, description } = ERROR_RESPONSES[status];
  const codes = ERROR_CODES.filter((code) => STATUS[code] === status) as [ErrorCode, ...ErrorCode[]];
  return z
    .strictObject({
      error: z.strictObject({
        code: z.enum(codes),
        message: z.string(),
        requestId: z.string().optional(),
        details: ErrorDetailsSchema.optional(),
      }),
    })
    .openapi(name, { description: `${description}: the error shape, with the codes that go with ${status}` });
}

const ERROR_SCHEMAS = Object.fromEntries((Object.keys(ERROR_RESPONSES).map(Number) as ErrorStatus[]).map((status) => [status, errorSchema(status)])) as Record<
  ErrorStatus,
  ReturnType<typeof errorSchema>
>;

/** Error responses a route can give, for its OpenAPI description. */
export function errors(...statuses: ErrorStatus[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: ERROR_RESPONSES[s].description, content: { "application/json": { schema: ERROR_SCHEMAS[s] } } }]),
  );
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

export const StatusEffectSchema = z.strictObject({ id: z.string(), name: z.string(), remainingTicks: z.int() }).openapi("StatusEffect");

export const PlayerSchema = z
  .strictObject({
    id: z.int(),
    username: z.string(),
    hp: z.int(),
    maxHp: z.int(),
    stamina: z.int(),
    maxStamina: z.int(),
    level: z.int(),
    xp: z.int(),
    locationId: z.string(),
    inCombat: z.boolean(),
    alive: z.boolean(),
    weaponItemId: z.string().nullable(),
    armourItemId: z.string().nullable(),
    statusEffects: z.array(StatusEffectSchema),
  })
  .openapi("Player");

export const AuthResultSchema = z
  .strictObject({ token: z.string(), expiresAt: z.string().openapi({ format: "date-time" }), player: PlayerSchema })
  .openapi("AuthResult");

export const UsernameSchema = z
  .string()
  .min(3)
  .max(24)
  .regex(/^[A-Za-z0-9_]+$/, "letters, digits and _ only")
  .transform((u) => u.toLowerCase())
  .openapi({ example: "ash_walker" });

export const CredentialsSchema = z
  .strictObject({
    username: UsernameSchema,
    password: z.string().min(8).max(128).openapi({ example: "correct horse battery" }),
  })
  .openapi("Credentials");

export const TelegramLoginSchema = z.strictObject({ initData: z.string().min(1).max(4096) }).openapi("TelegramLogin");

export const LocationViewSchema = z
  .strictObject({
    location: z.strictObject({ id: z.string(), name: z.string(), description: z.string(), dangerLevel: z.int(), image: z.string().nullable() }),
    exits: z.array(z.strictObject({ direction: z.enum(DIRECTIONS), to: z.string(), toName: z.string(), staminaCost: z.int() })),
    items: z.array(
      z.strictObject({ id: z.int().openapi({ description: "id of the stack on the ground" }), itemId: z.string(), name: z.string(), quantity: z.int() }),
    ),
    enemies: z.array(z.strictObject({ id: z.int(), enemyTypeId: z.string(), name: z.string(), hp: z.int(), maxHp: z.int(), inCombat: z.boolean() })),
    players: z.array(z.strictObject({ id: z.int(), username: z.string() })),
  })
  .openapi("LocationView");

/**
 * Names a schema of packages/shared as a component. Those schemas may be built before the OpenAPI
 * extension of zod is loaded and then lack `.openapi`; a clone made now has it.
 */
function named<T extends z.ZodType>(schema: T, name: string, description?: string): T {
  return (schema.clone() as T).openapi(name, description ? { description } : {});
}

// Static world data, as packages/shared defines it; items carry the URL of their picture.
const imageUrl = z.string().nullable().openapi({ description: "URL of the item's picture (its own, or its kind's)" });
export const ItemSchema = z
  .discriminatedUnion("kind", [
    weaponSchema.extend({ imageUrl }).openapi("WeaponItem"),
    armourSchema.extend({ imageUrl }).openapi("ArmourItem"),
    consumableSchema.extend({ imageUrl }).openapi("ConsumableItem"),
    materialSchema.extend({ imageUrl }).openapi("MaterialItem"),
    junkSchema.extend({ imageUrl }).openapi("JunkItem"),
  ])
  .openapi("Item", { description: "An item definition" });
export const ItemListSchema = z.strictObject({ items: z.array(ItemSchema) }).openapi("ItemList");
export const LocationSchema = locationSchema
  .extend({ exits: z.array(exitSchema.extend({ toName: z.string() })).min(1) })
  .openapi("Location", { description: "A location's static definition" });
export const EnemyTypeSchema = named(enemyTypeSchema, "EnemyType", "An enemy type's definition: its blows, defences and loot table");
export const EnemyTypeListSchema = z.strictObject({ enemyTypes: z.array(EnemyTypeSchema) }).openapi("EnemyTypeList");

const itemId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/, "an item id (lower-case slug)");
const quantity = z.int().min(1).max(10_000);

export const MoveSchema = z.strictObject({ direction: z.enum(DIRECTIONS) }).openapi("Move");
export const MovedSchema = z.strictObject({ from: z.string(), to: z.string(), staminaCost: z.int(), stamina: z.int() }).openapi("Moved");
export const PickupSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ id: z.int().positive().max(Number.MAX_SAFE_INTEGER), quantity: quantity.optional() }))
      .min(1)
      .max(50),
  })
  .openapi("Pickup");
export const PickedUpSchema = z.strictObject({ items: z.array(z.strictObject({ itemId: z.string(), quantity: z.int() })) }).openapi("PickedUp");
export const DropSchema = z.strictObject({ items: z.array(z.strictObject({ itemId, quantity })).min(1).max(50) }).openapi("Drop");
export const DroppedSchema = z.strictObject({ stacks: z.array(z.strictObject({ id: z.int(), itemId: z.string(), quantity: z.int() })) }).openapi("Dropped");
export const UseSchema = z.strictObject({ itemId }).openapi("Use");
export const UsedSchema = z
  .strictObject({
    itemId: z.string(),
    effect: z.enum(["consumed", "equipped"]),
    hp: z.int(),
    stamina: z.int(),
    statusEffects: z.array(z.strictObject({ effectId: z.string(), remainingTicks: z.int() })),
  })
  .openapi("Used");
export const EngageSchema = z.strictObject({ enemyId: z.int().positive().max(Number.MAX_SAFE_INTEGER) }).openapi("Engage");
export const EngagedSchema = z
  .strictObject({
    combatId: z.int(),
    enemyId: z.int(),
    turn: z.int(),
    enemy: z
      .strictObject({ id: z.int(), enemyTypeId: z.string(), name: z.string(), hp: z.int(), maxHp: z.int() })
      .openapi({ description: "The enemy engaged, as it stands when the fight starts" }),
  })
  .openapi("Engaged");
export const CombatActionSchema = z
  .strictObject({ action: z.enum(["attack", "flee", "use"]), itemId: itemId.optional() })
  .refine((a) => (a.action === "use") === (a.itemId !== undefined), { message: 'itemId goes with action "use" and only with it', path: ["itemId"] })
  .openapi("CombatAction");
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "1-100 characters: letters, digits, _ . : -")
  .optional()
  .openapi({ param: { name: "idempotency-key", in: "header" }, description: "Repeating a request with the same key returns the first answer." });

export const InventorySchema = z
  .strictObject({
    items: z.array(
      z.strictObject({ itemId: z.string(), name: z.string(), kind: z.enum(ITEM_KINDS), quantity: z.int(), weight: z.number(), equipped: z.boolean() }),
    ),
    totalWeight: z.number(),
    maxWeight: z.number(),
  })
  .openapi("Inventory");

export const StatsSchema = z
  .strictObject({
    kills: z.int(),
    deaths: z.int(),
    damageDealt: z.int(),
    damageTaken: z.int(),
    itemsLooted: z.int(),
    distanceTravelled: z.int(),
    xpGained: z.int(),
    levelUps: z.int(),
    fightsFled: z.int(),
    pendingEvents: z.int(),
  })
  .openapi("Stats");

// The combat turn result, as packages/shared defines it for the worker that writes it.
export const TurnEventSchema = named(turnEventSchema, "TurnEvent", "One line of the turn log, in the order things happened");
export const TurnResultSchema = turnResultSchema
  .extend({ events: z.array(TurnEventSchema) })
  .openapi("TurnResult", { description: "A turn that was played: the action, what happened in order, and both sides afterwards" });
export const TurnFailureSchema = named(turnFailureSchema, "TurnFailure", "An accepted action that could not be played");
const TurnOutcomeSchema = z.union([TurnResultSchema, TurnFailureSchema]);
export const CombatTurnEventSchema = combatTurnEventSchema
  .extend({ result: TurnOutcomeSchema })
  .openapi("CombatTurnEvent", { description: "The data of a `combat-turn` event on /v1/events" });

export const JobSchema = z
  .strictObject({
    id: z.string(),
    state: z.enum(["queued", "active", "completed", "failed"]),
    result: TurnOutcomeSchema.optional().openapi({ description: "A TurnResult once completed, a TurnFailure once failed" }),
    acceptedAt: z.string().openapi({ format: "date-time" }),
    completedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Job");

export const AcceptedSchema = z
  .strictObject({
    jobId: z.string(),
    turn: z.int(),
    queued: z.boolean().openapi({
      description: "False when the queue was unreachable: the action is recorded and will be queued and applied once the queue is back.",
    }),
  })
  .openapi("Accepted");

export const CombatLogEntrySchema = z
  .strictObject({
    turn: z.int(),
    jobId: z.string(),
    action: z.enum(COMBAT_ACTIONS),
    itemId: z.string().nullable(),
    state: z.enum(["queued", "completed", "failed"]),
    result: TurnOutcomeSchema.nullable().openapi({ description: "null while the turn is queued" }),
  })
  .openapi("CombatLogEntry");

export const CombatViewSchema = z
  .strictObject({
    id: z.int(),
    status: z.enum(["active", "won", "lost", "fled"]),
    turn: z.int(),
    locationId: z.string(),
    enemy: z.strictObject({ id: z.int().nullable(), enemyTypeId: z.string(), name: z.string(), hp: z.int().nullable(), maxHp: z.int().nullable() }),
    damageDealt: z.int(),
    damageTaken: z.int(),
    startedAt: z.string().openapi({ format: "date-time" }),
    endedAt: z.string().nullable().openapi({ format: "date-time" }),
    log: z.array(CombatLogEntrySchema),
  })
  .openapi("Combat");

export const LeaderboardSchema = z
  .strictObject({
    by: z.enum(["kills", "xp", "level"]),
    source: z.enum(["redis", "database"]),
    entries: z.array(z.strictObject({ rank: z.int(), playerId: z.int(), username: z.string(), value: z.number() })),
  })
  .openapi("Leaderboard");

/**
 * An email address, trimmed, with its domain lower-cased. z.email() refuses what could break
 * a header (line breaks, angle brackets, quotes, commas, spaces).
 */
export const EmailAddressSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: "must be an email address" }))
  .transform((address) => {
    const at = address.lastIndexOf("@");
    return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
  })
  .openapi({ example: "ash.walker@example.com" });

/** The signed-in player as `GET /v1/me` shows them: the player, with their address and opt-ins. */
export const AccountSchema = z
  .strictObject({
    ...PlayerSchema.shape,
    email: z.string().nullable().openapi({ description: "The player's address, shown only to the player" }),
    emailVerified: z.boolean(),
    notifications: z.strictObject({ death: z.boolean(), dailySummary: z.boolean() }),
  })
  .openapi("Account");

/** An emailed one-time token: 43 base64url characters (256 bits). */
const EmailTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, "the token from the email")
  .openapi({ example: "q0C3m4Kx9Vd2sHj5Z8tYwL1pNf6RbGe7aUiOkTcX3yE" });

export const SetEmailSchema = z.strictObject({ email: EmailAddressSchema }).openapi("SetEmail");
export const EmailStatusSchema = z.object({ email: z.string(), emailVerified: z.boolean() }).openapi("EmailStatus");
export const VerifyEmailSchema = z.strictObject({ token: EmailTokenSchema }).openapi("VerifyEmail");
export const PasswordResetRequestSchema = z.strictObject({ email: EmailAddressSchema }).openapi("PasswordResetRequest");
export const PasswordResetAcceptedSchema = z.object({ status: z.literal("accepted"), message: z.string() }).openapi("PasswordResetAccepted");
export const PasswordResetConfirmSchema = z
  .strictObject({ token: EmailTokenSchema, password: CredentialsSchema.shape.password })
  .openapi("PasswordResetConfirm");
export const NotificationsSchema = z
  .strictObject({ death: z.boolean().optional(), dailySummary: z.boolean().optional() })
  .refine((n) => n.death !== undefined || n.dailySummary !== undefined, { message: "name death, dailySummary or both" })
  .openapi("NotificationChanges");
export const NotificationSettingsSchema = z.object({ death: z.boolean(), dailySummary: z.boolean() }).openapi("Notifications");
/** The token an emailed link carries; the page reads it from its address, so it never enters the page. */
export const LinkTokenQuerySchema = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "token", in: "query" }, description: "The token of the emailed link" }),
});

export const UnsubscribeQuerySchema = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: "token", in: "query" }, description: "The token of the unsubscribe link" }),
});
export const UnsubscribedSchema = z
  .object({ unsubscribed: z.enum(["death", "dailySummary"]), notifications: NotificationSettingsSchema })
  .openapi("Unsubscribed");
