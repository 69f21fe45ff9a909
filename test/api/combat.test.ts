import assert from "node:assert/strict";
import { type IncomingMessage, get } from "node:http";
import { after, before, describe, it } from "node:test";
import type { GameClient, GameEvent, Job } from "@echoes/client";
import { playerEventsChannel } from "@echoes/shared";
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

  /** The job once it has a result: a played turn, or why it could not be played. */
  const waitForJob = (client: GameClient, jobId: string): Promise<Job> =>
    game.eventually(
      async () => {
        const { data } = await client.api.GET("/v1/jobs/{id}", { params: { path: { id: jobId } } });
        return data?.state === "completed" || data?.state === "failed" ? data : null;
      },
      15_000,
      `job ${jobId}`,
    );

  /** A played turn's result (failing the test when the turn could not be played). */
  const playedTurn = (job: Job) => {
    assert.equal(job.state, "completed");
    assert.ok(job.result && "outcome" in job.result, JSON.stringify(job.result));
    return job.result;
  };

  it("engages an enemy here, accepts an attack with 202 + Location, and the job result arrives", async () => {
    const client = game.client((await fighter()).token);
    const enemyId = await spawnEnemy();
    const engaged = await client.api.POST("/v1/combat", { body: { enemyId } });
    assert.equal(engaged.response.status, 201);
    assert.equal(engaged.data!.turn, 1);
    const acted = await client.api.POST("/v1/combat/actions", { body: { action: "attack" } });
    assert.equal(acted.response.status, 202);
    const { jobId, turn } = acted.data!;
    assert.equal(turn, 1);
    assert.equal(acted.response.headers.get("location"), `/v1/jobs/${jobId}`);
    const result = playedTurn(await waitForJob(client, jobId));
    assert.equal(result.turn, 1);
    assert.ok(result.events.length > 0);
    const { data: fight, response } = await client.api.GET("/v1/combat");
    assert.equal(response.status, 200);
    assert.equal(fight!.log.length, 1);
    assert.equal(fight!.log[0]!.jobId, jobId);
    assert.equal(fight!.log[0]!.state, "completed");
    assert.deepEqual(fight!.log[0]!.result, result);
    if (fight!.status === "active") assert.equal(fight!.turn, 2);
  });

  it("fights to the end: the enemy dies, loot falls, statistics count the kill", async () => {
    const { token, player } = await fighter();
    const client = game.client(token);
    await game.sql("update players set weapon_item_id = 'plasma-cutter' where id = $1", [player.id]);
    await game.sql("insert into inventory (player_id, item_id, quantity) values ($1, 'plasma-cutter', 1)", [player.id]);
    const enemyId = await spawnEnemy();
    assert.equal((await client.api.POST("/v1/combat", { body: { enemyId } })).response.status, 201);
    let outcome = "ongoing";
    for (let turn = 1; turn <= 20 && outcome === "ongoing"; turn++) {
      const acted = await client.api.POST("/v1/combat/actions", { body: { action: "attack" } });
      assert.equal(acted.response.status, 202, JSON.stringify(acted.error));
      outcome = playedTurn(await waitForJob(client, acted.data!.jobId)).outcome;
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
        const { data } = await client.api.GET("/v1/me/stats");
        return data?.kills === 1 ? data : null;
      },
      10_000,
      "kill counted",
    );
    assert.ok(stats.damageDealt > 0);
    const { data: me } = await client.api.GET("/v1/me");
    assert.equal(me!.inCombat, false);
    assert.ok(me!.xp > 0);
  });

  it("refuses a malformed Idempotency-Key with a 400 that names the header, and records nothing", async () => {
    const { token } = await fighter();
    const enemyId = await spawnEnemy();
    await game.call("POST", "/v1/combat", { token, body: { enemyId } });
    for (const key of ["has space", "x".repeat(101), "é"]) {
      const res = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" }, headers: { "idempotency-key": key } });
      assert.equal(res.status, 400, key);
      assert.equal(res.body.error.code, "validation_failed");
      assert.match(res.body.error.message, /^idempotency-key: 1-100 characters/);
      assert.deepEqual(
        res.body.error.details.issues.map((i: { path: string }) => i.path),
        ["idempotency-key"],
      );
    }
    const count = await game.sql("select count(*)::int as n from combat_actions a join active_combats c on c.id = a.combat_id where c.enemy_id = $1", [
      enemyId,
    ]);
    assert.equal(count[0].n, 0, "no action was recorded");
    const fine = await game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" }, headers: { "idempotency-key": "swing-ok" } });
    assert.equal(fine.status, 202);
    assert.equal(playedTurn(await waitForJob(game.client(token), fine.body.jobId)).turn, 1, "the well-formed key's turn is played");
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

  it("a repeated request for a turn already played answers as the first did and queues nothing again", async () => {
    const { token } = await fighter();
    await game.call("POST", "/v1/combat", { token, body: { enemyId: await spawnEnemy() } });
    const send = () => game.call("POST", "/v1/combat/actions", { token, body: { action: "attack" }, headers: { "idempotency-key": "once-1" } });
    const first = await send();
    assert.equal(first.status, 202);
    assert.equal(playedTurn(await waitForJob(game.client(token), first.body.jobId)).turn, 1);
    const queue = game.worker!.context.producer.queue("combat-turns");
    await game.eventually(async () => (await queue.getJobState(first.body.jobId)) === "unknown", 10_000, "BullMQ to forget the completed job");
    const turns = game.worker!.workers.find((w) => w.name === "combat-turns")!;
    await turns.pause();
    try {
      const again = await send();
      assert.equal(again.status, 202);
      assert.deepEqual(again.body, first.body);
      assert.equal(await queue.getJobState(first.body.jobId), "unknown", "no job was queued for the turn again");
    } finally {
      turns.resume();
    }
  });

  it("results stay readable from PostgreSQL after BullMQ forgot the job", async () => {
    const client = game.client((await fighter()).token);
    await client.api.POST("/v1/combat", { body: { enemyId: await spawnEnemy() } });
    const { jobId } = (await client.api.POST("/v1/combat/actions", { body: { action: "attack" } })).data!;
    await waitForJob(client, jobId);
    // The result is in PostgreSQL before BullMQ marks the job done, and BullMQ forgets a turn as it completes.
    const queue = game.worker!.context.producer.queue("combat-turns");
    await game.eventually(async () => (await queue.getJobState(jobId)) === "unknown", 10_000, "BullMQ to forget the completed job");
    assert.equal(await queue.getJob(jobId), undefined, "BullMQ keeps nothing of the turn");
    const { data, response } = await client.api.GET("/v1/jobs/{id}", { params: { path: { id: jobId } } });
    assert.equal(response.status, 200);
    assert.equal(playedTurn(data!).turn, 1);
  });

  it("streams the player's job results as server-sent events", async () => {
    const client = game.client((await fighter()).token);
    await client.api.POST("/v1/combat", { body: { enemyId: await spawnEnemy() } });
    const controller = new AbortController();
    const events = client.events(controller.signal);
    const next = async (): Promise<GameEvent> => {
      const { value, done } = await events.next();
      assert.ok(!done, "the stream is still open");
      return value;
    };
    assert.deepEqual(await next(), { event: "ready", data: { playerId: (await client.api.GET("/v1/me")).data!.id } });
    const { jobId } = (await client.api.POST("/v1/combat/actions", { body: { action: "attack" } })).data!;
    const event = await next();
    assert.equal(event.event, "combat-turn");
    if (event.event !== "combat-turn") return;
    assert.equal(event.id, jobId);
    assert.equal(event.data.jobId, jobId);
    assert.equal(event.data.state, "completed");
    const { data: job } = await client.api.GET("/v1/jobs/{id}", { params: { path: { id: jobId } } });
    assert.deepEqual(event.data.result, job!.result, "the event carries the job's result");
    controller.abort();
    await events.return(undefined);
  });

  it("lets go of an event stream whose client stops reading, and keeps the one that reads", async () => {
    const { token, player } = await fighter();
    const open = (): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => get(`${game.url}/v1/events`, { headers: { authorization: `Bearer ${token}` } }, resolve).on("error", reject));
    const reading = await open();
    let read = 0;
    reading.on("data", (chunk: Buffer) => (read += chunk.length));
    const stalled = await open();
    stalled.pause();
    stalled.on("error", () => undefined);
    const streams = () => game.api.deps.events.streams;
    await game.eventually(async () => streams() === 2, 5_000, "both streams open");
    // 160 results of 256 kB each: more than the sockets' buffers and the stream's limit hold.
    const pad = "x".repeat(1 << 18);
    for (let i = 1; i <= 160; i++) {
      const event = { type: "combat-turn", jobId: `combat-1-${i}`, state: "completed", result: { pad } };
      await game.redis.publish(playerEventsChannel(game.prefix, player.id), JSON.stringify(event));
    }
    await game.eventually(async () => streams() === 1, 10_000, "the stream that does not read let go");
    await game.eventually(async () => read > 40 << 20, 10_000, "the reading stream got every event");
    assert.equal(streams(), 1, "the reading stream is still open");
    assert.ok(!reading.destroyed);
    reading.destroy();
    stalled.destroy();
    await game.eventually(async () => streams() === 0, 5_000, "closed streams are forgotten");
  });
});
