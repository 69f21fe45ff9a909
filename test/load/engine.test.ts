import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { LoadClient, classify, formatReport } from "./engine";

describe("the load tester's arithmetic", () => {
  let url: string;
  let close: () => void;
  before(async () => {
    // A stub game: one route that fails, one that refuses as the rules predict, one that works,
    // one that never answers, and an item route with one item missing.
    const app = new Hono();
    app.get("/boom", (c) => c.json({ error: { code: "internal", message: "boom" } }, 500));
    app.post("/taken", (c) => c.json({ error: { code: "item_taken", message: "taken" } }, 409));
    app.get("/fine", (c) => c.json({ ok: true }));
    app.get("/slow", () => new Promise<Response>(() => undefined));
    app.get("/v1/items/:id", (c) =>
      c.req.param("id") === "nothing" ? c.json({ error: { code: "not_found", message: "no such item" } }, 404) : c.json({ id: c.req.param("id") }),
    );
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  after(() => close());

  it("classifies answers: 5xx and timeouts fail, 409/422/429 are predicted refusals, 2xx succeed", () => {
    assert.equal(classify(500), "failed");
    assert.equal(classify(503), "failed");
    assert.equal(classify("timeout"), "failed");
    assert.equal(classify("network"), "failed");
    assert.equal(classify(400), "failed");
    assert.equal(classify(409), "refused");
    assert.equal(classify(422), "refused");
    assert.equal(classify(429), "refused");
    assert.equal(classify(404), "failed");
    assert.equal(classify(404, [404, 409]), "refused");
    assert.equal(classify(200), "ok");
    assert.equal(classify(202), "ok");
  });

  it("counts a 5xx as a failure and a predicted 409 as a refusal, per route, against a running server", async () => {
    const client = new LoadClient(url, 4, { timeoutMs: 500 });
    const send = (method: string, path: string) =>
      client
        .fetch(new Request(url + path, { method, ...(method === "POST" ? { body: "{}", headers: { "content-type": "application/json" } } : {}) }))
        .catch(() => null);
    client.startMeasuring();
    for (let i = 0; i < 3; i++) await send("GET", "/boom");
    for (let i = 0; i < 5; i++) await send("POST", "/taken");
    for (let i = 0; i < 7; i++) await send("GET", "/fine");
    await send("GET", "/slow");
    client.stopMeasuring();
    const report = client.report(1);
    await client.close();
    const route = (name: string) => report.routes.find((r) => r.route === name)!;
    assert.deepEqual([route("GET /boom").failed, route("GET /boom").refused, route("GET /boom").ok], [3, 0, 0]);
    assert.deepEqual([route("POST /taken").failed, route("POST /taken").refused, route("POST /taken").ok], [0, 5, 0]);
    assert.deepEqual([route("GET /fine").ok, route("GET /fine").failed], [7, 0]);
    assert.equal(route("GET /slow").failed, 1, "a timeout is a failure");
    assert.equal(report.requests, 16);
    assert.equal(report.failed, 4);
    assert.equal(report.refused, 5);
    assert.equal(report.ok, 7);
    assert.equal(report.successRate, 12 / 16);
    assert.deepEqual(report.errors.map((e) => `${e.route} ${e.status} ${e.count}`).sort(), ["GET /boom 500 3", "GET /slow timeout 1", "POST /taken 409 5"]);
    assert.match(formatReport(report), /failures 4/);
  });

  it("labels the generated client's requests by route template, and counts a route's predicted refusals", async () => {
    const client = new LoadClient(url, 2, { timeoutMs: 500, predicted: { "GET /v1/items/{id}": [404] } });
    const { api } = client.game();
    client.startMeasuring();
    for (const id of ["stimpak", "bandage", "nothing"]) await api.GET("/v1/items/{id}", { params: { path: { id } } });
    client.stopMeasuring();
    const report = client.report(1);
    await client.close();
    assert.deepEqual(
      report.routes.map((r) => [r.route, r.ok, r.refused, r.failed]),
      [["GET /v1/items/{id}", 2, 1, 0]],
    );
  });
});
