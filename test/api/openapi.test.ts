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
      if (!path.startsWith("/v1/auth/")) assert.deepEqual(op.security, [{ bearer: [] }], `${path} needs a token`);
    }
  });

  it("serves a readable reference page built from it", async () => {
    const res = await game.call("GET", "/docs");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.match(res.body, /\/openapi\.json/);
  });
});
