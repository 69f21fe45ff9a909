import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";

/** A quiet spot with one weak enemy, so fights are short and predictable. */
const ARENA = "dust-road";

describe("combat routes", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true, env: { RATE_LIMIT_ACTIONS: "1000" } });
  });
  after(() => game.close());

  const spawnEnemy = async (locationId = ARENA, enemyTypeId = "giant-roach"): Promise<number> =>
    (
      await game.sql(
        "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) select id, $1, max_hp, max_hp from enemy_types where id = $2 returning id",
        [locationId, enemyTypeId],
      )
    )[0].id;

  const fighter = async () => {
    const p = await game.register();
    await game.place(p.player.id, ARENA);
    return p;
  };

  const waitForJob = (token: string, jobId: string) =>
    game.eventually(
      async () => {
        const res = await game.call("GET", `/v1/jobs/${jobId}`, { token });
        return res.body.state === "completed" || res.body.state === "failed" ? res : null;
      },
      15_000,
      `job ${jobId}`,
    );

  it("engages an enemy here, accepts an attack with 202 + Location, and the job result arrives", async () => {
    const { token } = await fighter();
    const enemyId = await spawnEnemy();
    const engaged = await game.call("POST", "/v1/combat", { token, body: { enemyId } });
    assert.equal(engaged.status, 201);
    assert.equal(engaged.body.turn, 1);
    const acted = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
    assert.equal(acted.status, 202);
    assert.equal(acted.body.turn, 1);
    assert.equal(acted.headers.get("location"), `/v1/jobs/${acted.body.jobId}`);
    const job = await waitForJob(token, acted.body.jobId);
    assert.equal(job.body.state, "completed");
    assert.equal(job.body.result.turn, 1);
    assert.ok(job.body.result.events.length > 0);
    const fight = await game.call("GET", "/v1/combat", { token });
    assert.equal(fight.status, 200);
    assert.equal(fight.body.log.length, 1);
    assert.equal(fight.body.log[0].jobId, acted.body.jobId);
    assert.equal(fight.body.log[0].state, "completed");
    assert.ok(fight.body.status === "active" ? fight.body.turn === 2 : true);
  });

  it("fights to the end: the enemy dies, loot falls, statistics count the kill", async () => {
    const { token, player } = await fighter();
    await game.sql("update players set weapon_item_id = 'plasma-cutter' where id = $1", [player.id]);
    await game.sql("insert into inventory (player_id, item_id, quantity) values ($1, 'plasma-cutter', 1)", [player.id]);
    const enemyId = await spawnEnemy();
    assert.equal((await game.call("POST", "/v1/combat", { token, body: { enemyId } })).status, 201);
    let outcome = "ongoing";
    for (let turn = 1; turn <= 20 && outcome === "ongoing"; turn++) {
      const acted = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
      assert.equal(acted.status, 202, JSON.stringify(acted.body));
      outcome = (await waitForJob(token, acted.body.jobId)).body.result.outcome;
    }
    assert.equal(outcome, "won");
    const [fight] = await game.sql("select id, status from active_combats where player_id = $1", [player.id]);
    assert.equal(fight.status, "won");
    await game.eventually(
      async () => (await game.sql("select loot_rolled_at from active_combats where id = $1", [fight.id]))[0].loot_rolled_at,
      10_000,
      "loot",
    );
    const stats = await game.eventually(
      async () => {
        const s = await game.call("GET", "/v1/me/stats", { token });
        return s.body.kills === 1 ? s : null;
      },
      10_000,
      "kill counted",
    );
    assert.ok(stats.body.damageDealt > 0);
    const me = await game.call("GET", "/v1/me", { token });
    assert.equal(me.body.inCombat, false);
    assert.ok(me.body.xp > 0);
  });

  it("accepts one action per turn: the same Idempotency-Key answers the first job, another action is 409", async () => {
    await game.worker!.workers.find((w) => w.name === "combat-turns")!.pause();
    try {
      const { token } = await fighter();
      const enemyId = await spawnEnemy();
      await game.call("POST", "/v1/combat", { token, body: { enemyId } });
      const first = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" }, headers: { "idempotency-key": "swing-1" } });
      const again = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" }, headers: { "idempotency-key": "swing-1" } });
      assert.equal(first.status, 202);
      assert.equal(again.status, 202);
      assert.equal(again.body.jobId, first.body.jobId);
      const other = await game.call("POST", "/v1/combat/actions", { token, body: { action: "flee" } });
      assert.equal(other.status, 409);
      assert.equal(other.body.error.code, "turn_pending");
      const bandage = await game.call("POST", "/v1/combat/actions", { token, body: { action: "use", itemId: "bandage" } });
      assert.equal(bandage.status, 409, "a bandage in the pack is refused for the pending turn, not for a missing item");
      assert.equal(bandage.body.error.code, "turn_pending");
      const reused = await game.call("POST", "/v1/combat/actions", { token, body: { action: "flee" }, headers: { "idempotency-key": "swing-1" } });
      assert.equal(reused.status, 409);
      const count = await game.sql("select count(*)::int as n from combat_actions a join active_combats c on c.id = a.combat_id where c.enemy_id = $1", [
        enemyId,
      ]);
      assert.equal(count[0].n, 1);
    } finally {
      game.worker!.workers.find((w) => w.name === "combat-turns")!.resume();
    }
  });

  it("refuses: unknown enemy 404, enemy elsewhere 422, enemy taken 409, second fight 422, action without a fight 422", async () => {
    const a = await fighter();
    const b = await fighter();
    assert.equal((await game.call("POST", "/v1/combat", { token: a.token, body: { enemyId: 999_999_999 } })).status, 404);
    const elsewhere = await spawnEnemy("ashfall-crater-rim", "radscorpion");
    const far = await game.call("POST", "/v1/combat", { token: a.token, body: { enemyId: elsewhere } });
    assert.equal(far.status, 422);
    assert.equal(far.body.error.code, "enemy_not_here");
    assert.equal((await game.call("POST", "/v1/combat/actions", { token: a.token, body: { action: "attack" } })).body.error.code, "not_in_combat");
    const enemyId = await spawnEnemy();
    assert.equal((await game.call("POST", "/v1/combat", { token: a.token, body: { enemyId } })).status, 201);
    const taken = await game.call("POST", "/v1/combat", { token: b.token, body: { enemyId } });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "enemy_engaged");
    const second = await game.call("POST", "/v1/combat", { token: a.token, body: { enemyId: await spawnEnemy() } });
    assert.equal(second.status, 422);
    assert.equal(second.body.error.code, "in_combat");
    const useJunk = await game.call("POST", "/v1/combat/actions", { token: a.token, body: { action: "use", itemId: "bottle-cap" } });
    assert.equal(useJunk.status, 422);
    assert.equal((await game.call("POST", "/v1/combat/actions", { token: a.token, body: { action: "use" } })).status, 400);
    assert.equal((await game.call("POST", "/v1/combat/actions", { token: a.token, body: { action: "dance" } })).status, 400);
  });

  it("a player cannot read another player's job or fight", async () => {
    const a = await fighter();
    const b = await fighter();
    await game.call("POST", "/v1/combat", { token: a.token, body: { enemyId: await spawnEnemy() } });
    const acted = await game.call("POST", "/v1/combat/actions", { token: a.token, body: { action: "attack" } });
    const theirs = await game.call("GET", `/v1/jobs/${acted.body.jobId}`, { token: b.token });
    assert.equal(theirs.status, 403);
    assert.equal(theirs.body.error.code, "forbidden");
    assert.equal((await game.call("GET", "/v1/jobs/combat-999999-1", { token: b.token })).status, 404);
    assert.equal((await game.call("GET", "/v1/jobs/not-a-job", { token: b.token })).status, 404);
    assert.equal((await game.call("GET", "/v1/combat", { token: b.token })).status, 404, "b never fought");
  });

  it("results stay readable from PostgreSQL after BullMQ forgot the job", async () => {
    const { token } = await fighter();
    await game.call("POST", "/v1/combat", { token, body: { enemyId: await spawnEnemy() } });
    const acted = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
    await waitForJob(token, acted.body.jobId);
    const job = await game.worker!.context.producer.queue("combat-turns").getJob(acted.body.jobId);
    await job?.remove();
    const res = await game.call("GET", `/v1/jobs/${acted.body.jobId}`, { token });
    assert.equal(res.status, 200);
    assert.equal(res.body.state, "completed");
    assert.equal(res.body.result.turn, 1);
  });

  it("streams the player's job results as server-sent events", async () => {
    const { token } = await fighter();
    await game.call("POST", "/v1/combat", { token, body: { enemyId: await spawnEnemy() } });
    const controller = new AbortController();
    const res = await fetch(`${game.url}/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(/event: ready/);
    const acted = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" } });
    await readUntil(new RegExp(`event: combat-turn\\n(?:.*\\n)*?id: ${acted.body.jobId}\\n`));
    const block = text.split("\n\n").find((b) => b.startsWith("event: combat-turn"))!;
    const event = JSON.parse(/^data: (.*)$/m.exec(block)![1]!);
    assert.equal(event.jobId, acted.body.jobId);
    assert.equal(event.state, "completed");
    controller.abort();
  });
});
