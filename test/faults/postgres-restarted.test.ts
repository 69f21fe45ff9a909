import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually } from "../support/http";
import { recordReliability } from "../support/reliability";
import { FaultStack } from "../support/stack";

describe("fault: PostgreSQL restarts while players play", () => {
  let stack: FaultStack;
  before(async () => {
    stack = await FaultStack.start();
    await stack.startApi();
    await stack.startWorker();
  });
  after(() => stack.close());

  it("answers 503 where it needs the database, keeps /healthz up, and recovers by itself", async () => {
    const players = await stack.createPlayers(8, "cinderhold-square", [{ itemId: "bottle-cap", quantity: 50 }]);
    const statuses = new Map<string, Map<number, number>>();
    const bodiesOk: boolean[] = [];
    let phase: "before" | "down" | "after" = "before";
    let running = true;
    const retryAfter: boolean[] = [];
    const note = (route: string, status: number, body: any, headers?: Headers) => {
      if (phase === "down" && status === 503 && headers && route.includes("/v1/")) retryAfter.push(Number(headers.get("retry-after")) > 0);
      if (phase !== "down") return;
      const byStatus = statuses.get(route) ?? new Map<number, number>();
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
      statuses.set(route, byStatus);
      if (status >= 400 && body !== null) bodiesOk.push(typeof body?.error?.code === "string" && typeof body?.error?.message === "string");
    };
    const play = async (p: { token: string }, i: number) => {
      while (running) {
        const me = await stack.call("GET", "/v1/me", { token: p.token });
        note("GET /v1/me", me.status, me.body, me.headers);
        const view = await stack.call("GET", "/v1/location", { token: p.token });
        note("GET /v1/location", view.status, view.body, view.headers);
        const drop = await stack.call("POST", "/v1/drop", { token: p.token, body: { items: [{ itemId: "bottle-cap", quantity: 1 }] } });
        note("POST /v1/drop", drop.status, drop.body, drop.headers);
        if (i % 2 === 0) {
          const ready = await stack.call("GET", "/readyz");
          note("GET /readyz", ready.status, null);
          const health = await stack.call("GET", "/healthz");
          note("GET /healthz", health.status, null);
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const work = players.map(play);
    await new Promise((r) => setTimeout(r, 1_000));

    phase = "down";
    await stack.pg.stop();
    await new Promise((r) => setTimeout(r, 3_000));
    await stack.pg.start();
    const restartedAt = Date.now();
    const recovered = await eventually(
      async () => {
        const res = await stack.call("GET", "/v1/me", { token: players[0]!.token });
        return res.status === 200 ? Date.now() : null;
      },
      30_000,
      "the API to serve from PostgreSQL again",
    );
    phase = "after";
    const drops = await Promise.all(
      players.map((p) => stack.call("POST", "/v1/drop", { token: p.token, body: { items: [{ itemId: "bottle-cap", quantity: 1 }] } })),
    );
    running = false;
    await Promise.all(work);

    const seen = Object.fromEntries([...statuses].map(([route, byStatus]) => [route, Object.fromEntries(byStatus)]));
    for (const [route, byStatus] of statuses) {
      for (const status of byStatus.keys())
        assert.ok(status === 200 || status === 503, `${route} answered ${status} during the outage: ${JSON.stringify(seen)}`);
    }
    assert.ok(statuses.get("GET /v1/me")?.get(503), `GET /v1/me said 503 while the database was down: ${JSON.stringify(seen)}`);
    assert.ok(statuses.get("GET /readyz")?.get(503), "readiness reported not ready");
    assert.deepEqual([...(statuses.get("GET /healthz")?.keys() ?? [])], [200], "liveness stayed up");
    assert.ok(bodiesOk.every(Boolean), "every refusal had the error shape");
    assert.ok(retryAfter.length > 0 && retryAfter.every(Boolean), "every 503 carried Retry-After");
    assert.ok(
      drops.every((d) => d.status === 200),
      "writes work again",
    );
    const recoverySeconds = (recovered - restartedAt) / 1000;
    assert.ok(recoverySeconds < 10, `recovered ${recoverySeconds} s after the database came back`);
    for (const p of [...stack.apis, ...stack.workers]) assert.equal(p.child.exitCode, null, "no process exited");

    // Item counts survived: every cap is either in a pack or on the ground.
    const [{ n }] = await stack.sql(
      "select (coalesce((select sum(quantity) from inventory where item_id = 'bottle-cap' and player_id = any($1)), 0) + coalesce((select sum(quantity) from dropped_items where item_id = 'bottle-cap' and dropped_by = any($1)), 0))::int as n",
      [players.map((p) => p.id)],
    );
    assert.equal(n, 50 * players.length);

    const during = [...statuses.values()].flatMap((m) => [...m.values()]).reduce((a, b) => a + b, 0);
    recordReliability({
      id: "03-postgres-restarted",
      fault: "PostgreSQL stopped for 3 s and started again",
      how: "8 clients read (me, location), drop items and poll /readyz and /healthz while the test stops its PostgreSQL (fast shutdown) and starts it 3 s later",
      held: "every answer during the outage was 200 (cached reads) or 503 with Retry-After in the error shape; /readyz said not ready, /healthz stayed 200; no process exited; service resumed by itself and item counts were conserved",
      numbers: {
        "requests during the outage": during,
        "503 during the outage": [...statuses.values()].reduce((a, m) => a + (m.get(503) ?? 0), 0),
        "5xx other than 503": [...statuses.values()].reduce((a, m) => a + [...m].filter(([s]) => s >= 500 && s !== 503).reduce((x, [, c]) => x + c, 0), 0),
        "seconds to recover after restart": recoverySeconds.toFixed(2),
      },
    });
  });
});
