import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { TestGame } from "../support/game";

/** Every route of the HTTP contract in PRODUCT.md. */
const CONTRACT: [string, string][] = [
  ["post", "/v1/auth/register"],
  ["post", "/v1/auth/login"],
  ["post", "/v1/auth/telegram"],
  ["get", "/v1/me"],
  ["get", "/v1/me/inventory"],
  ["get", "/v1/me/stats"],
  ["get", "/v1/location"],
  ["get", "/v1/locations/{id}"],
  ["get", "/v1/items"],
  ["get", "/v1/items/{id}"],
  ["post", "/v1/move"],
  ["post", "/v1/pickup"],
  ["post", "/v1/drop"],
  ["post", "/v1/use"],
  ["post", "/v1/combat"],
  ["post", "/v1/combat/actions"],
  ["get", "/v1/combat"],
  ["get", "/v1/jobs/{id}"],
  ["get", "/v1/leaderboard"],
  ["get", "/v1/events"],
  ["put", "/v1/me/email"],
  ["post", "/v1/auth/email/verify"],
  ["post", "/v1/auth/password-reset"],
  ["post", "/v1/auth/password-reset/confirm"],
  ["put", "/v1/me/notifications"],
  ["post", "/v1/email/unsubscribe"],
];

describe("the OpenAPI document", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start();
  });
  after(() => game.close());

  it("validates as an OpenAPI 3 document", async () => {
    const res = await game.call("GET", "/openapi.json");
    assert.equal(res.status, 200);
    assert.match(res.body.openapi, /^3\./);
    const validator = new Validator();
    const result = await validator.validate(res.body);
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it("lists every route of the contract, with error responses in the error shape", async () => {
    const doc = (await game.call("GET", "/openapi.json")).body;
    for (const [method, path] of CONTRACT) {
      const op = doc.paths[path]?.[method];
      assert.ok(op, `${method.toUpperCase()} ${path} is documented`);
      assert.ok(op.summary, `${method.toUpperCase()} ${path} has a summary`);
      const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      assert.ok(errors.length > 0, `${method.toUpperCase()} ${path} documents its errors`);
      for (const status of errors) assert.equal(op.responses[status].content["application/json"].schema.$ref, "#/components/schemas/Error");
      if (!path.startsWith("/v1/auth/") && path !== "/v1/email/unsubscribe") assert.deepEqual(op.security, [{ bearer: [] }], `${path} needs a token`);
    }
  });

  it("names the email operations for client generators", async () => {
    const doc = (await game.call("GET", "/openapi.json")).body;
    const named: [string, string, string][] = [
      ["put", "/v1/me/email", "setEmail"],
      ["post", "/v1/auth/email/verify", "verifyEmail"],
      ["post", "/v1/auth/password-reset", "requestPasswordReset"],
      ["post", "/v1/auth/password-reset/confirm", "confirmPasswordReset"],
      ["put", "/v1/me/notifications", "setNotifications"],
      ["post", "/v1/email/unsubscribe", "unsubscribe"],
    ];
    for (const [method, path, operationId] of named) assert.equal(doc.paths[path][method].operationId, operationId, `${method} ${path}`);
    assert.ok(doc.components.schemas.Account.allOf[1].properties.emailVerified, "GET /v1/me documents emailVerified");
  });

  it("serves a readable reference page built from it", async () => {
    const res = await game.call("GET", "/docs");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.match(res.body, /\/openapi\.json/);
  });
});
