import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { GameApiError } from "@echoes/client";
import { renderTypes } from "@echoes/client/codegen";
import { TestGame } from "../support/game";

const TYPES = "packages/client/src/openapi.ts";

describe("the generated client", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start();
  });
  after(() => game.close());

  it("has the types openapi-typescript makes of the document the API serves (npm run client:generate)", async () => {
    const served = (await game.call("GET", "/openapi.json")).body;
    const expected = await renderTypes(served);
    const committed = readFileSync(TYPES, "utf8");
    if (committed !== expected) {
      const lines = committed.split("\n");
      const at = expected.split("\n").findIndex((line, i) => line !== lines[i]);
      assert.fail(`${TYPES} differs from the served document's types from line ${at + 1} on: run npm run client:generate`);
    }
  });

  it("signs in, then sends the token; a refusal is a GameApiError with the status and the error body", async () => {
    const client = game.client();
    const { player } = await client.register("client_user", "correct horse battery");
    assert.equal((await client.api.GET("/v1/me")).data!.id, player.id);
    const other = game.client();
    await assert.rejects(other.logIn("client_user", "not the password"), (err: unknown) => {
      assert.ok(err instanceof GameApiError);
      assert.equal(err.status, 401);
      assert.equal(err.body?.error.code, "invalid_credentials");
      return true;
    });
    assert.equal(other.token, null, "a refused sign-in leaves the client signed out");
    const { error, response } = await other.api.GET("/v1/me");
    assert.equal(response.status, 401);
    assert.equal(error?.error.code, "unauthorized");
  });
});
