import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";
import { LoadClient } from "./engine";
import { PREDICTED, play, signUp } from "./game-scenario";

describe("the load test's game scenario", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true });
  });
  after(() => game.close());

  it("plays the request mix through the generated client with no failure, counting every route by its template", async () => {
    const signups = new LoadClient(game.url, 4);
    const roster = await signUp(signups, 6, 3);
    await signups.close();
    const client = new LoadClient(game.url, 6, { predicted: PREDICTED });
    client.startMeasuring();
    await play(client, roster, 3);
    client.stopMeasuring();
    await client.close();
    const report = client.report(roster.length);
    assert.equal(report.failed, 0, JSON.stringify(report.errors));
    assert.ok(report.requests > 50, `${report.requests} requests`);
    const routes = new Set(report.routes.map((r) => r.route));
    for (const route of ["GET /v1/location", "GET /v1/me", "GET /v1/me/inventory"]) assert.ok(routes.has(route), `${route} in ${[...routes].join(", ")}`);
    assert.ok(
      [...routes].every((r) => /^(GET|POST) \/v1\/[a-z/{}-]+$/.test(r) && !/\/\d|stimpak/.test(r)),
      `labelled by template: ${[...routes].join(", ")}`,
    );
  });
});
