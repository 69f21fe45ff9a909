import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { SignJWT } from "jose";
import type { z } from "zod";
import {
  CombatActionSchema,
  CredentialsSchema,
  DropSchema,
  EngageSchema,
  MoveSchema,
  NotificationsSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  PickupSchema,
  SetEmailSchema,
  TelegramLoginSchema,
  UseSchema,
  VerifyEmailSchema,
} from "../../apps/api/src/schemas";
import { type Response, request } from "../support/http";
import { recordReliability } from "../support/reliability";
import { FaultStack } from "../support/stack";

/** Every route, with the zod schema of its body when it takes one. */
const ROUTES: { method: string; path: string; body?: z.ZodType; auth: boolean }[] = [
  { method: "POST", path: "/v1/auth/register", body: CredentialsSchema, auth: false },
  { method: "POST", path: "/v1/auth/login", body: CredentialsSchema, auth: false },
  { method: "POST", path: "/v1/auth/telegram", body: TelegramLoginSchema, auth: false },
  { method: "GET", path: "/v1/me", auth: true },
  { method: "GET", path: "/v1/me/inventory", auth: true },
  { method: "GET", path: "/v1/me/stats", auth: true },
  { method: "GET", path: "/v1/location", auth: true },
  { method: "GET", path: "/v1/locations/cinderhold-square", auth: true },
  { method: "GET", path: "/v1/items", auth: true },
  { method: "GET", path: "/v1/items/stimpak", auth: true },
  { method: "POST", path: "/v1/move", body: MoveSchema, auth: true },
  { method: "POST", path: "/v1/pickup", body: PickupSchema, auth: true },
  { method: "POST", path: "/v1/drop", body: DropSchema, auth: true },
  { method: "POST", path: "/v1/use", body: UseSchema, auth: true },
  { method: "POST", path: "/v1/combat", body: EngageSchema, auth: true },
  { method: "POST", path: "/v1/combat/actions", body: CombatActionSchema, auth: true },
  { method: "GET", path: "/v1/combat", auth: true },
  { method: "GET", path: "/v1/jobs/combat-1-1", auth: true },
  { method: "GET", path: "/v1/leaderboard", auth: true },
  { method: "GET", path: "/v1/events", auth: true },
  { method: "PUT", path: "/v1/me/email", body: SetEmailSchema, auth: true },
  { method: "PUT", path: "/v1/me/notifications", body: NotificationsSchema, auth: true },
  { method: "POST", path: "/v1/auth/email/verify", body: VerifyEmailSchema, auth: false },
  { method: "POST", path: "/v1/auth/password-reset", body: PasswordResetRequestSchema, auth: false },
  { method: "POST", path: "/v1/auth/password-reset/confirm", body: PasswordResetConfirmSchema, auth: false },
];
const AUTHED = ROUTES.filter((r) => r.auth);
const WITH_BODY = ROUTES.filter((r) => r.body);

/** Strings a hostile client likes: SQL and script fragments, unicode, control characters, the very long. */
const nasty = fc.oneof(
  fc.constantFrom(
    "' OR 1=1 --",
    "'; DROP TABLE players; --",
    "<script>alert(1)</script>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, sent as the literal text
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "%00",
    "\u0000",
    "🔥💀🧟",
    "Ω≈ç√∫˜µ≤≥÷",
    "north\u200b",
    "NaN",
    "Infinity",
    "-0",
    "1e309",
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ minLength: 200, maxLength: 5_000 }),
);
const oddNumber = fc.oneof(
  fc.constantFrom(0, -1, -0, 1.5, 0.0001, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.double({ noNaN: true }),
  fc.integer({ min: -1_000_000, max: 0 }),
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  nasty,
  oddNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(nasty, oddNumber), { maxLength: 4 }),
  fc.dictionary(nasty, fc.oneof(nasty, oddNumber), { maxKeys: 3 }),
);
/** JSON values shaped like each route's body, but bent: fields missing, extra, of the wrong type or range. */
const bentBody = fc.oneof(
  anyValue,
  fc.record({ username: anyValue, password: anyValue }, { requiredKeys: [] }),
  fc.record({ initData: anyValue }, { requiredKeys: [] }),
  fc.record({ direction: anyValue, extra: anyValue }, { requiredKeys: [] }),
  fc.record(
    { items: fc.oneof(anyValue, fc.array(fc.record({ id: anyValue, quantity: anyValue, itemId: anyValue }, { requiredKeys: [] }), { maxLength: 60 })) },
    { requiredKeys: [] },
  ),
  fc.record({ itemId: anyValue, enemyId: anyValue, action: anyValue }, { requiredKeys: [] }),
  fc.record({ email: anyValue, token: anyValue, password: anyValue, death: anyValue, dailySummary: anyValue }, { requiredKeys: [] }),
);

/** Header values travel as bytes: send a string's UTF-8 bytes as they are (fetch only takes Latin-1 characters). */
const asHeaderBytes = (headers: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [
      k,
      Buffer.from(v, "utf8")
        .toString("latin1")
        .replace(/[\r\n\0]/g, " "),
    ]),
  );

type FuzzRequest = { kind: string; method: string; path: string; headers: Record<string, string>; body?: string };

describe("bad input: a property-based fuzz of every route", () => {
  let stack: FaultStack;
  let token: string;
  let tokens: Record<string, string>;
  let fingerprint: () => Promise<string>;
  before(async () => {
    stack = await FaultStack.start({ RATE_LIMIT_ACTIONS: "100000", LOGIN_MAX_FAILURES: "1000", TELEGRAM_BOT_TOKEN: "5555:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });
    await stack.startApi();
    const [p] = await stack.createPlayers(1, "cinderhold-square", [{ itemId: "bandage", quantity: 3 }]);
    token = p!.token;
    const secret = new TextEncoder().encode(stack.env.JWT_SECRET);
    const sign = (key: Uint8Array, exp: number, alg = "HS256") =>
      new SignJWT({})
        .setProtectedHeader({ alg })
        .setSubject(String(p!.id))
        .setIssuer("echoes-of-the-ashes")
        .setAudience("echoes-api")
        .setExpirationTime(exp)
        .sign(key);
    tokens = {
      forged: await sign(new TextEncoder().encode("another-key-another-key-another-key!"), Math.floor(Date.now() / 1000) + 600),
      expired: await sign(secret, Math.floor(Date.now() / 1000) - 60),
      none: `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: String(p!.id), exp: 9e9 })).toString("base64url")}.`,
    };
    const tables = [
      "players",
      "inventory",
      "dropped_items",
      "wandering_enemies",
      "active_combats",
      "combat_actions",
      "stat_events",
      "player_status_effects",
      "player_statistics",
      "email_outbox",
      "email_tokens",
    ];
    fingerprint = async () => {
      const rows = await stack.sql(
        `select ${tables.map((t) => `(select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) from ${t} x) as "${t}"`).join(", ")}`,
      );
      return JSON.stringify(rows[0]);
    };
  });
  after(() => stack.close());

  it("answers 10,000+ generated bad requests with a 4xx in the error shape, changes nothing and stays up", async () => {
    const valid = (route: (typeof ROUTES)[number], value: unknown) => route.body!.safeParse(value).success;
    const badToken = fc.oneof(
      fc.constant<Record<string, string>>({}),
      nasty.map((t) => ({ authorization: `Bearer ${t}` })),
      fc.constantFrom("Basic YWRtaW46YWRtaW4=", "Bearer", "bearer x.y.z", "Token abc").map((h) => ({ authorization: h })),
      fc.constantFrom("forged", "expired", "none").map((k) => ({ authorization: `Bearer ${tokens[k]}` })),
    );
    const auth = () => ({ authorization: `Bearer ${token}` });
    const requests: fc.Arbitrary<FuzzRequest> = fc.oneof(
      // No token or a bad one, on every route that needs one.
      fc.tuple(fc.constantFrom(...AUTHED), badToken).map(([r, headers]) => ({
        kind: "bad token",
        method: r.method,
        path: r.path,
        headers: { ...headers, "content-type": "application/json" },
        body: r.body ? "{}" : undefined,
      })),
      // Bodies that are not JSON at all.
      fc
        .tuple(
          fc.constantFrom(...WITH_BODY),
          fc.oneof(nasty, fc.constantFrom("{", '{"a":', "[1,2", "{'single':'quotes'}", "undefined", '{"items": [}')).filter((s) => {
            try {
              JSON.parse(s);
              return false;
            } catch {
              return true;
            }
          }),
        )
        .map(([r, body]) => ({ kind: "malformed JSON", method: r.method, path: r.path, headers: { ...auth(), "content-type": "application/json" }, body })),
      // JSON of the wrong shape: missing, extra, mistyped, out-of-range fields (checked to be invalid).
      fc
        .tuple(fc.constantFrom(...WITH_BODY), bentBody)
        .filter(([r, body]) => !valid(r, body))
        .map(([r, body]) => ({
          kind: "invalid body",
          method: r.method,
          path: r.path,
          headers: { ...auth(), "content-type": "application/json" },
          body: JSON.stringify(body),
        })),
      // The right shape with ids that do not exist.
      fc
        .oneof(
          fc.integer({ min: 10_000_000, max: 2 ** 31 }).map((id) => ({ path: "/v1/pickup", body: { items: [{ id }] } })),
          fc.integer({ min: 10_000_000, max: 2 ** 31 }).map((enemyId) => ({ path: "/v1/combat", body: { enemyId } })),
          fc.stringMatching(/^[a-z]{3,12}-[a-z]{3,12}$/).map((itemId) => ({ path: "/v1/use", body: { itemId } })),
          fc.stringMatching(/^[a-z]{3,12}-[a-z]{3,12}$/).map((itemId) => ({ path: "/v1/drop", body: { items: [{ itemId, quantity: 1 }] } })),
          fc.constantFrom(
            { path: "/v1/combat/actions", body: { action: "attack" } },
            { path: "/v1/drop", body: { items: [{ itemId: "bandage", quantity: 99 }] } },
          ),
        )
        .map(({ path, body }) => ({
          kind: "unknown ids and refused rules",
          method: "POST",
          path,
          headers: { ...auth(), "content-type": "application/json" },
          body: JSON.stringify(body),
        })),
      // Wrong content types.
      fc
        .tuple(
          fc.constantFrom(...WITH_BODY),
          fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", ""),
        )
        .map(([r, type]) => ({
          kind: "wrong content type",
          method: r.method,
          path: r.path,
          headers: { ...auth(), ...(type ? { "content-type": type } : {}) },
          body: "direction=north",
        })),
      // Oversized bodies.
      fc.tuple(fc.constantFrom(...WITH_BODY), fc.integer({ min: 17 * 1024, max: 200 * 1024 })).map(([r, size]) => ({
        kind: "oversized body",
        method: r.method,
        path: r.path,
        headers: { ...auth(), "content-type": "application/json" },
        body: JSON.stringify({ username: "x".repeat(size) }),
      })),
      // Paths, path parameters and queries that lead nowhere.
      fc
        .oneof(
          nasty.map((s) => `/v1/items/${encodeURIComponent(s)}`),
          nasty.map((s) => `/v1/locations/${encodeURIComponent(s)}`),
          nasty.map((s) => `/v1/jobs/${encodeURIComponent(s)}`),
          fc.stringMatching(/^[a-z]{1,10}$/).map((s) => `/v1/${s}/${s}`),
          fc.tuple(nasty, nasty).map(([by, limit]) => `/v1/leaderboard?by=${encodeURIComponent(by)}&limit=${encodeURIComponent(limit)}`),
          fc.integer({ min: 101, max: 2 ** 40 }).map((n) => `/v1/leaderboard?limit=${n}`),
        )
        .filter(
          (path) =>
            !/^\/v1\/(items|locations)\/(stimpak|cinderhold-square)$/.test(path) &&
            !/leaderboard\?by=(kills|xp|level)&limit=([1-9]|[1-9][0-9]|100)$/.test(path) &&
            !/leaderboard\?by=(kills|xp|level)&limit=$/.test(path),
        )
        .map((path) => ({ kind: "paths and queries", method: "GET", path, headers: auth() })),
      // One-click unsubscribes with tokens this server never made.
      nasty.map((t) => ({
        kind: "forged unsubscribe",
        method: "POST",
        path: `/v1/email/unsubscribe?token=${encodeURIComponent(t)}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      })),
      // Headers that must be refused: a bent Idempotency-Key.
      fc.oneof(fc.string({ minLength: 101, maxLength: 300 }), fc.constantFrom("has space", "émoji🔥", "a/b", "semi;colon")).map((key) => ({
        kind: "bad headers",
        method: "POST",
        path: "/v1/combat/actions",
        headers: { ...auth(), "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify({ action: "attack" }),
      })),
    );

    const before = await fingerprint();
    const byKind = new Map<string, number>();
    let fiveHundreds = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(requests, async (req) => {
        let res: Response;
        try {
          res = await request(stack.apiUrl, req.method, req.path, { headers: asHeaderBytes(req.headers), raw: req.body, signal: AbortSignal.timeout(10_000) });
        } catch (err) {
          throw new Error(
            `${req.method} ${req.path} (${req.kind}) got no answer: ${(err as Error).message} ${String((err as { cause?: unknown }).cause)}\n${stack.apis[0]!.output().slice(-1500)}`,
          );
        }
        total++;
        byKind.set(req.kind, (byKind.get(req.kind) ?? 0) + 1);
        if (res.status >= 500) fiveHundreds++;
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${req.method} ${req.path} (${req.kind}) answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`,
        );
        assert.equal(typeof res.body?.error?.code, "string", `${req.method} ${req.path} (${req.kind}): not the error shape: ${String(res.body).slice(0, 200)}`);
        assert.equal(typeof res.body?.error?.message, "string");
      }),
      { numRuns: 10_500, endOnFailure: true },
    );
    const afterPrint = await fingerprint();
    assert.equal(afterPrint, before, "no rejected request changed the database");
    assert.equal((await stack.call("GET", "/healthz")).status, 200);
    assert.equal(stack.apis[0]!.child.exitCode, null, "the API is still up");
    assert.ok(total >= 10_000);

    recordReliability({
      id: "06-fuzz",
      fault: "Bad input: property-based fuzz of every route",
      how: "fast-check generates requests against a running API: bad, forged, expired and alg-none tokens; malformed JSON; bodies of the wrong shape (missing, extra, mistyped fields; negative, zero, fractional and huge quantities; long, unicode, SQL and script strings), each checked to be invalid against the route's schema; unknown ids; wrong content types; oversized bodies; paths, parameters and queries that lead nowhere; bad Idempotency-Keys",
      held: "every answer was a 4xx in the error shape; a fingerprint of every game table was identical before and after; the API stayed up",
      numbers: { "requests fuzzed": total, "5xx seen": fiveHundreds, ...Object.fromEntries([...byKind].map(([k, v]) => [k, v])) },
    });
  });
});
