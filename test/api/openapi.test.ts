import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import { TestGame } from "../support/game";

const COMMITTED = "packages/client/openapi.json";

/** Every route of the HTTP contract in PRODUCT.md and the operations, with its operationId. */
const CONTRACT: [string, string, string][] = [
  ["post", "/v1/auth/register", "register"],
  ["post", "/v1/auth/login", "logIn"],
  ["post", "/v1/auth/telegram", "logInWithTelegram"],
  ["get", "/v1/me", "getPlayer"],
  ["delete", "/v1/me", "deletePlayer"],
  ["get", "/v1/me/inventory", "getInventory"],
  ["get", "/v1/me/stats", "getStats"],
  ["get", "/v1/location", "getLocation"],
  ["get", "/v1/locations/{id}", "getLocationDefinition"],
  ["get", "/v1/items", "listItems"],
  ["get", "/v1/items/{id}", "getItem"],
  ["get", "/v1/enemy-types", "listEnemyTypes"],
  ["get", "/v1/enemy-types/{id}", "getEnemyType"],
  ["post", "/v1/move", "move"],
  ["post", "/v1/pickup", "pickUpItems"],
  ["post", "/v1/drop", "dropItems"],
  ["post", "/v1/use", "useItem"],
  ["post", "/v1/combat", "engageEnemy"],
  ["post", "/v1/combat/actions", "sendCombatAction"],
  ["get", "/v1/combat", "getCombat"],
  ["get", "/v1/jobs/{id}", "getJob"],
  ["get", "/v1/leaderboard", "getLeaderboard"],
  ["get", "/v1/events", "streamEvents"],
  ["put", "/v1/me/email", "setEmail"],
  ["post", "/v1/auth/email/verify", "verifyEmail"],
  ["get", "/v1/auth/email/verify", "openVerifyEmailPage"],
  ["post", "/v1/auth/password-reset", "requestPasswordReset"],
  ["post", "/v1/auth/password-reset/confirm", "confirmPasswordReset"],
  ["get", "/v1/auth/password-reset/confirm", "openPasswordResetPage"],
  ["put", "/v1/me/notifications", "setNotifications"],
  ["post", "/v1/email/unsubscribe", "unsubscribe"],
  ["get", "/v1/email/unsubscribe", "openUnsubscribePage"],
  ["get", "/healthz", "getHealth"],
  ["get", "/readyz", "getReadiness"],
  ["get", "/metrics", "getMetrics"],
  ["get", "/openapi.json", "getOpenApiDocument"],
  ["get", "/docs", "getApiReference"],
];
const PUBLIC = /^\/(v1\/auth\/|v1\/email\/unsubscribe$|healthz$|readyz$|metrics$|openapi\.json$|docs$)/;

/** Every schema object in the document, with where it is. */
function* schemas(node: unknown, at: string): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const [i, child] of node.entries()) yield* schemas(child, `${at}/${i}`);
    return;
  }
  if (!node || typeof node !== "object") return;
  for (const [key, child] of Object.entries(node)) {
    const where = `${at}/${key}`;
    if (key === "schema" || key === "contentSchema" || /\/components\/schemas\/[^/]+$/.test(where)) {
      yield [where, child as Record<string, unknown>];
    }
    yield* schemas(child, where);
  }
}

describe("the OpenAPI document", () => {
  let game: TestGame;
  let doc: any;
  before(async () => {
    game = await TestGame.start();
    doc = (await game.call("GET", "/openapi.json")).body;
  });
  after(() => game.close());

  it("validates as an OpenAPI 3.1 document, with servers and a licence", async () => {
    assert.equal(doc.openapi, "3.1.0");
    const result = await new Validator().validate(doc);
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
    assert.ok(doc.servers.length > 0);
    assert.ok(doc.info.license.name && doc.info.license.identifier);
  });

  it("is the document committed with the client, which passes Redocly's recommended rules with no error and no warning", async () => {
    assert.deepEqual(doc, JSON.parse(readFileSync(COMMITTED, "utf8")), `${COMMITTED} is not what the API serves: run npm run client:generate`);
    const { stdout } = await promisify(execFile)("node_modules/.bin/redocly", ["lint", COMMITTED, "--format=json"], { maxBuffer: 16 * 1024 * 1024 });
    const report = JSON.parse(stdout.slice(stdout.indexOf("{")));
    const problems = report.problems.map((p: any) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
    assert.deepEqual(problems, []);
    assert.deepEqual({ errors: report.totals.errors, warnings: report.totals.warnings }, { errors: 0, warnings: 0 });
  });

  it("lists every route with a stable operationId, its security and its errors in the error shape", () => {
    const listed = Object.entries(doc.paths).flatMap(([path, item]: [string, any]) => Object.keys(item).map((method) => `${method} ${path}`));
    assert.deepEqual(listed.sort(), CONTRACT.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path, operationId] of CONTRACT) {
      const op = doc.paths[path][method];
      const name = `${method.toUpperCase()} ${path}`;
      assert.equal(op.operationId, operationId, name);
      assert.ok(op.summary, `${name} has a summary`);
      assert.deepEqual(op.security, PUBLIC.test(path) ? [] : [{ bearer: [] }], `${name} security`);
      for (const status of Object.keys(op.responses).filter((s) => Number(s) >= 400 && path.startsWith("/v1/"))) {
        assert.match(op.responses[status].content["application/json"].schema.$ref, /^#\/components\/schemas\/\w+Error$/, `${name} ${status}`);
      }
      if (!PUBLIC.test(path)) assert.ok(op.responses["401"], `${name} documents 401`);
    }
  });

  it("names every JSON response shape and leaves no schema open where the shape is known", () => {
    for (const [method, path] of CONTRACT) {
      for (const [status, response] of Object.entries(doc.paths[path][method].responses) as [string, any][]) {
        const schema = response.content?.["application/json"]?.schema;
        if (schema) assert.match(schema.$ref ?? "", /^#\/components\/schemas\//, `${method.toUpperCase()} ${path} ${status} is a named component`);
      }
    }
    const vague: string[] = [];
    for (const [where, schema] of schemas(doc, "#")) {
      if (where.includes("/OpenApiDocument")) continue;
      const keys = Object.keys(schema).filter((k) => k !== "description");
      if (keys.length === 0) vague.push(`${where}: any value`);
      if (schema.type === "object" && !schema.properties) vague.push(`${where}: an object of any shape`);
      if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) vague.push(`${where}: open additional properties`);
    }
    assert.deepEqual(vague, []);
  });

  it("describes the turn result, item, location and enemy definitions field by field", () => {
    const c = doc.components.schemas;
    assert.deepEqual(Object.keys(c.TurnResult.properties).sort(), [
      "action",
      "combatId",
      "damageDealt",
      "damageTaken",
      "enemy",
      "events",
      "itemId",
      "levelsGained",
      "outcome",
      "player",
      "turn",
      "xpGained",
    ]);
    assert.equal(c.TurnResult.properties.events.items.$ref, "#/components/schemas/TurnEvent");
    assert.deepEqual(
      c.Job.properties.result.anyOf.map((s: any) => s.$ref),
      ["#/components/schemas/TurnResult", "#/components/schemas/TurnFailure"],
    );
    assert.deepEqual(Object.keys(c.Item.discriminator.mapping).sort(), ["armour", "consumable", "junk", "material", "weapon"]);
    assert.ok(c.WeaponItem.properties.weapon.properties.damageMax);
    assert.ok(c.Location.properties.exits.items.properties.toName);
    assert.ok(c.EnemyType.properties.loot.items.properties.chance);
    assert.equal(doc.paths["/v1/events"].get.responses["200"].content["text/event-stream"].schema.contentSchema.$ref, "#/components/schemas/CombatTurnEvent");
  });
});
