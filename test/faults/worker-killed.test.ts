import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ENEMY_TYPES, STATUS_EFFECTS, type TurnRecord, keyedRng, settleTurn } from "@echoes/shared";
import pg from "pg";
import { type Fighter, auditWhenApplied, longFights } from "../support/fights";
import { eventually } from "../support/http";
import { recordReliability } from "../support/reliability";
import { FaultStack } from "../support/stack";

const HP = 100_000;

describe("fault: the worker is killed under a steady stream of combat actions", () => {
  let stack: FaultStack;
  let fighters: Fighter[];
  before(async () => {
    stack = await FaultStack.start();
    await stack.startApi();
    fighters = await longFights(stack, 24, "dust-road", HP);
  });
  after(() => stack.close());

  it("applies every action answered 202 exactly once, across two SIGKILLs and restarts", async () => {
    await stack.startWorker();
    const accepted: string[] = [];
    const refused: number[] = [];
    let running = true;
    // Clients as a game would have them: send an action, wait for its result, send the next.
    const client = async (f: Fighter) => {
      while (running) {
        const res = await stack.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } });
        if (res.status !== 202) {
          refused.push(res.status);
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        accepted.push(res.body.jobId);
        await eventually(
          async () => {
            const job = await stack.call("GET", `/v1/jobs/${res.body.jobId}`, { token: f.token });
            return job.body.state === "completed";
          },
          60_000,
          `job ${res.body.jobId}`,
        );
      }
    };
    const clients = fighters.map(client);
    const kills: number[] = [];
    for (let round = 0; round < 2; round++) {
      await new Promise((r) => setTimeout(r, 1_500));
      const victim = stack.workers.at(-1)!;
      kills.push(accepted.length);
      victim.kill("SIGKILL");
      assert.equal((await victim.exited).signal, "SIGKILL");
      await new Promise((r) => setTimeout(r, 500));
      await stack.startWorker();
    }
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await Promise.all(clients);

    const audit = await auditWhenApplied(stack, fighters, HP, 30_000, "every accepted action applied");
    assert.deepEqual(audit.problems, []);
    assert.equal(audit.applied, accepted.length, "every 202 has exactly one applied turn, and nothing else was applied");
    assert.deepEqual(refused, [], "no action was refused while workers died");
    for (const api of stack.apis) assert.equal(api.child.exitCode, null, "the API stayed up");
    recordReliability({
      id: "01-worker-killed",
      fault: "Worker killed (SIGKILL) mid-batch",
      how: "24 clients play fights without pause (send, wait for the result, send again) against an API and a worker process; the worker is SIGKILLed twice and restarted",
      held: "every action answered 202 was applied exactly once: turns 1..n all completed, each fight's damage totals and both sides' HP equal the sum of the stored turn results",
      numbers: {
        "actions accepted": accepted.length,
        applied: audit.applied,
        lost: accepted.length - audit.applied,
        "applied twice": audit.problems.length,
        "kills (after n accepted)": kills.join(", "),
      },
    });
  });
  it("applies turns exactly once when the worker is SIGKILLed with full batches of 8 in flight, and every turn rolls what its seed says", async () => {
    const batching = { COMBAT_BATCH_SIZE: "8", COMBAT_BATCH_WAIT_MS: "100", COMBAT_BATCH_IN_FLIGHT: "3", WORKER_CONCURRENCY_COMBAT: "32" };
    const crew = await longFights(stack, 24, "dust-road", HP);
    // Each player's event stream, for the results a turn published more than once (a retry after a kill).
    const published = new Map<string, string[]>();
    const streams = new AbortController();
    for (const f of crew) {
      void fetch(`${stack.apiUrl}/v1/events`, { headers: { authorization: `Bearer ${f.token}` }, signal: streams.signal })
        .then(async (res) => {
          let buffer = "";
          for await (const chunk of res.body!) {
            buffer += Buffer.from(chunk).toString();
            for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
              const data = /^data: (.*)$/m.exec(buffer.slice(0, cut))?.[1];
              buffer = buffer.slice(cut + 2);
              if (!data) continue;
              const event = JSON.parse(data) as { jobId?: string; result?: unknown };
              if (event.jobId) published.set(event.jobId, [...(published.get(event.jobId) ?? []), JSON.stringify(event.result)]);
            }
          }
        })
        .catch(() => undefined);
    }
    // Only workers with these batch settings take turns from here on.
    for (const w of stack.workers) w.kill("SIGTERM");
    await Promise.all(stack.workers.map((w) => w.exited));

    // Hold every fighter's row, so that the batches lock their fights and then wait, in flight,
    // for the players. The actions wait in the queue until the worker starts, so that it finds
    // them all at once and fills its batches, however slowly they were accepted.
    const holder = new pg.Client({ connectionString: stack.pg.url });
    await holder.connect();
    await holder.query("begin");
    await holder.query("select id from players where id = any($1) for no key update", [crew.map((f) => f.playerId)]);
    const first = await Promise.all(crew.map((f) => stack.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } })));
    assert.ok(first.every((r) => r.status === 202));
    const worker = await stack.startWorker(batching);
    const metricsPort = Number(/"metricsPort":(\d+)/.exec(worker.output())?.[1]);
    const inFlight = async () => {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const gauge = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
      return { batches: gauge("combat_batches_in_flight"), turns: gauge("combat_turns_in_flight") };
    };

    const held = await eventually(
      async () => {
        const now = await inFlight();
        return now.turns === crew.length ? now : null;
      },
      20_000,
      "every turn in a batch in flight",
    );
    assert.equal(held.batches, 3, `${held.turns} turns in ${held.batches} batches: full batches of 8`);
    worker.kill("SIGKILL");
    assert.equal((await worker.exited).signal, "SIGKILL");
    await holder.query("rollback");
    await holder.end();

    // Then fights go on, with the worker killed once more mid-stream.
    await stack.startWorker(batching);
    let running = true;
    let accepted = first.length;
    const play = async (f: Fighter) => {
      while (running) {
        const res = await stack.call("POST", "/v1/combat/actions", { token: f.token, body: { action: "attack" } });
        if (res.status === 409) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        assert.equal(res.status, 202, JSON.stringify(res.body));
        accepted++;
        await eventually(
          async () => (await stack.call("GET", `/v1/jobs/${res.body.jobId}`, { token: f.token })).body.state === "completed",
          60_000,
          res.body.jobId,
        );
      }
    };
    const players = crew.map(play);
    await new Promise((r) => setTimeout(r, 1_500));
    const victim = stack.workers.at(-1)!;
    victim.kill("SIGKILL");
    await victim.exited;
    await stack.startWorker(batching);
    await new Promise((r) => setTimeout(r, 1_500));
    running = false;
    await Promise.all(players);
    const audit = await auditWhenApplied(stack, crew, HP, 30_000, "every accepted action applied");
    streams.abort();
    assert.deepEqual(audit.problems, []);
    assert.equal(audit.applied, accepted, "every 202 has exactly one applied turn");

    // Every stored turn is what the fight's seed rolls from the turns before it: a retry could not have rolled anything else.
    const roach = ENEMY_TYPES.get("giant-roach")!;
    let replayed = 0;
    let republished = 0;
    for (const f of crew) {
      const { seed } = (await stack.sql<{ seed: Buffer }>("select seed from active_combats where id = $1", [f.combatId]))[0]!;
      const turns = await stack.sql<{ turn: number; result: TurnRecord }>("select turn, result from combat_actions where combat_id = $1 order by turn", [
        f.combatId,
      ]);
      let player = {
        hp: HP,
        maxHp: HP,
        stamina: 100,
        maxStamina: 100,
        level: 1,
        xp: 0,
        effects: [] as TurnRecord["player"]["statusEffects"],
        weapon: null,
        armour: null,
      };
      let enemy = { hp: HP, maxHp: HP, effects: [] as TurnRecord["player"]["statusEffects"], type: roach };
      let fight = { combatId: f.combatId, turn: 1, enemyId: f.enemyId, damageDealt: 0, damageTaken: 0 };
      for (const t of turns) {
        const settled = settleTurn({ ...fight, turn: t.turn }, player, enemy, { kind: "attack" }, STATUS_EFFECTS, keyedRng(seed, `turn:${t.turn}`));
        assert.deepEqual(t.result, settled.record, `fight ${f.combatId} turn ${t.turn} is not what its seed rolls`);
        replayed++;
        const events = published.get(`combat-${f.combatId}-${t.turn}`) ?? [];
        if (events.length > 1) republished++;
        for (const e of events) assert.deepEqual(JSON.parse(e), t.result, `combat-${f.combatId}-${t.turn} was published with another result`);
        player = { ...player, hp: settled.player.hp, stamina: settled.player.stamina, effects: settled.player.effects };
        enemy = { ...enemy, hp: settled.enemy.hp, effects: settled.enemy.effects };
        fight = { ...fight, damageDealt: settled.fight.damageDealt, damageTaken: settled.fight.damageTaken };
      }
    }
    assert.equal(replayed, accepted);
    recordReliability({
      id: "01b-worker-killed-mid-batch",
      fault: "Worker killed (SIGKILL) with full batches in flight",
      how: "24 fighters' turns are held in flight in 3 batches of 8 (their player rows locked by the test), the worker is SIGKILLed, then play goes on and the worker is SIGKILLed again mid-stream",
      held: "every action answered 202 was applied exactly once, and every stored turn equals what settleTurn rolls from the fight's seed and the turns before it; a result published twice was the same both times",
      numbers: {
        "turns in flight at the kill": `${held.turns} in ${held.batches} batches`,
        "actions accepted": accepted,
        applied: audit.applied,
        "turns replayed from their seeds": replayed,
        "results published twice (identical)": republished,
      },
    });
  });
});
