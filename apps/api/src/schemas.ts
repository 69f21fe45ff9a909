import { z } from "@hono/zod-openapi";
import { DIRECTIONS, ERROR_CODES } from "@echoes/shared";

/** The error shape of every non-2xx answer (PRODUCT.md). */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      requestId: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

export const StatusEffectSchema = z.object({ id: z.string(), name: z.string(), remainingTicks: z.int() }).openapi("StatusEffect");

export const PlayerSchema = z
  .object({
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
  .object({ token: z.string(), expiresAt: z.string().openapi({ format: "date-time" }), player: PlayerSchema })
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
  .object({
    location: z.object({ id: z.string(), name: z.string(), description: z.string(), dangerLevel: z.int(), image: z.string().nullable() }),
    exits: z.array(z.object({ direction: z.enum(DIRECTIONS), to: z.string(), toName: z.string(), staminaCost: z.int() })),
    items: z.array(
      z.object({ id: z.int().openapi({ description: "id of the stack on the ground" }), itemId: z.string(), name: z.string(), quantity: z.int() }),
    ),
    enemies: z.array(z.object({ id: z.int(), enemyTypeId: z.string(), name: z.string(), hp: z.int(), maxHp: z.int(), inCombat: z.boolean() })),
    players: z.array(z.object({ id: z.int(), username: z.string() })),
  })
  .openapi("LocationView");

const itemId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9-]+$/, "an item id (lower-case slug)");
const quantity = z.int().min(1).max(10_000);

export const MoveSchema = z.strictObject({ direction: z.enum(DIRECTIONS) }).openapi("Move");
export const PickupSchema = z
  .strictObject({
    items: z
      .array(z.strictObject({ id: z.int().positive().max(Number.MAX_SAFE_INTEGER), quantity: quantity.optional() }))
      .min(1)
      .max(50),
  })
  .openapi("Pickup");
export const DropSchema = z.strictObject({ items: z.array(z.strictObject({ itemId, quantity })).min(1).max(50) }).openapi("Drop");
export const UseSchema = z.strictObject({ itemId }).openapi("Use");
export const EngageSchema = z.strictObject({ enemyId: z.int().positive().max(Number.MAX_SAFE_INTEGER) }).openapi("Engage");
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
  .object({
    items: z.array(z.object({ itemId: z.string(), name: z.string(), kind: z.string(), quantity: z.int(), weight: z.number(), equipped: z.boolean() })),
    totalWeight: z.number(),
    maxWeight: z.number(),
  })
  .openapi("Inventory");

export const StatsSchema = z
  .object({
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

export const JobSchema = z
  .object({
    id: z.string(),
    state: z.enum(["queued", "active", "completed", "failed"]),
    result: z.unknown().optional(),
    acceptedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("Job");

export const AcceptedSchema = z
  .object({
    jobId: z.string(),
    turn: z.int(),
    queued: z.boolean().openapi({
      description: "False when the queue was unreachable: the action is recorded and will be queued and applied once the queue is back.",
    }),
  })
  .openapi("Accepted");

export const CombatViewSchema = z
  .object({
    id: z.int(),
    status: z.enum(["active", "won", "lost", "fled"]),
    turn: z.int(),
    locationId: z.string(),
    enemy: z.object({ id: z.int().nullable(), enemyTypeId: z.string(), name: z.string(), hp: z.int().nullable(), maxHp: z.int().nullable() }),
    damageDealt: z.int(),
    damageTaken: z.int(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    log: z.array(z.object({ turn: z.int(), jobId: z.string(), action: z.string(), itemId: z.string().nullable(), state: z.string(), result: z.unknown() })),
  })
  .openapi("Combat");

export const LeaderboardSchema = z
  .object({
    by: z.enum(["kills", "xp", "level"]),
    source: z.enum(["redis", "database"]),
    entries: z.array(z.object({ rank: z.int(), playerId: z.int(), username: z.string(), value: z.number() })),
  })
  .openapi("Leaderboard");

/** Error responses a route can give, for its OpenAPI description. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503)[]) {
  const text: Record<number, string> = {
    400: "Bad input",
    401: "No token, or a bad one",
    403: "Not yours",
    404: "Not found",
    409: "Someone took it first",
    413: "Body too large",
    415: "Body is not JSON",
    422: "A game rule refuses",
    429: "Too many requests",
    503: "A dependency is down",
  };
  return Object.fromEntries(statuses.map((s) => [s, { description: text[s]!, content: { "application/json": { schema: ErrorSchema } } }]));
}

export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { "application/json": { schema } }, required: true } });

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

export const AccountSchema = PlayerSchema.extend({
  email: z.string().nullable().openapi({ description: "The player's address, shown only to the player" }),
  emailVerified: z.boolean(),
  notifications: z.object({ death: z.boolean(), dailySummary: z.boolean() }),
}).openapi("Account");

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
