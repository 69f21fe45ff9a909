import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Job } from "bullmq";
import { LOCATIONS, RESPAWN_DELAY_S, STAMINA_REGEN_PER_TICK, STATUS_EFFECTS, WORLD, targetPopulation } from "@echoes/shared";
import { processWorldTask, tickInstant } from "../../apps/worker/src/processors/world";
import { TestGame } from "../support/game";

const task = (name: string) => ({ id: name, name, data: {}, timestamp: Date.now() }) as unknown as Job;

describe("world ticks", () => {
  let game: TestGame;
  const run = (name: string) => processWorldTask(task(name), game.worker!.context) as Promise<any>;
  before(async () => {
    game = await TestGame.start({ worker: true });
    await Promise.all(game.worker!.workers.map((w) => w.pause()));
  });
  after(() => game.close());

  it("respawns enemies to each location's target population, and buries old corpses", async () => {
    const place = WORLD.locations.find((l) => l.dangerLevel === 3)!;
    await game.sql("update wandering_enemies set hp = 0, died_at = now() - interval '2 minutes' where location_id = $1", [place.id]);
    await run("respawn-enemies");
    const alive = await game.sql("select count(*)::int as n from wandering_enemies where location_id = $1 and died_at is null", [place.id]);
    assert.equal(alive[0].n, targetPopulation(place.dangerLevel));
    const corpses = await game.sql("select count(*)::int as n from wandering_enemies where location_id = $1 and died_at is not null", [place.id]);
    assert.equal(corpses[0].n, 0);
    const safe = await game.sql("select count(*)::int as n from wandering_enemies e join locations l on l.id = e.location_id where l.danger_level = 0");
    assert.equal(safe[0].n, 0, "nothing spawns in a safe haven");
    const again = await run("respawn-enemies");
    assert.equal(again.rows, 0, "a full world spawns nothing");
  });

  it("lets idle enemies roam only into ground they can live in, never out of a fight", async () => {
    const [engaged] = await game.sql("select id, location_id from wandering_enemies where died_at is null limit 1");
    await game.sql("update wandering_enemies set combat_id = 123456 where id = $1", [engaged.id]);
    const before = await game.sql("select id, location_id from wandering_enemies where died_at is null");
    const result = await run("roam-enemies");
    assert.ok(result.rows > 0);
    const moved = await game.sql(
      `select e.id, e.location_id, l.danger_level, t.min_danger, t.max_danger from wandering_enemies e
       join locations l on l.id = e.location_id join enemy_types t on t.id = e.enemy_type_id where e.died_at is null`,
    );
    const was = new Map(before.map((b) => [b.id, b.location_id]));
    for (const m of moved) {
      assert.ok(m.danger_level >= m.min_danger && m.danger_level <= m.max_danger, `${m.id} in ${m.location_id}`);
      if (m.location_id !== was.get(m.id))
        assert.ok(
          LOCATIONS.get(was.get(m.id))!.exits.some((x) => x.to === m.location_id),
          "moved through an exit",
        );
    }
    assert.equal(moved.find((m) => m.id === engaged.id)!.location_id, engaged.location_id);
  });

  it("expires stacks whose time ran out, and the next view no longer lists them", async () => {
    const { token } = await game.register();
    const [{ id }] = await game.sql(
      "insert into dropped_items (location_id, item_id, quantity, expires_at) values ($1, 'teddy-bear', 1, now() + interval '1 hour') returning id",
      [WORLD.startLocationId],
    );
    await game.cache.invalidate({ locations: [WORLD.startLocationId] });
    assert.ok((await game.call("GET", "/v1/location", { token })).body.items.some((i: any) => i.id === id));
    await game.sql("update dropped_items set expires_at = now() - interval '1 second' where id = $1", [id]);
    const result = await run("expire-items");
    assert.ok(result.rows >= 1);
    assert.equal((await game.sql("select count(*)::int as n from dropped_items where id = $1", [id]))[0].n, 0);
    assert.ok(!(await game.call("GET", "/v1/location", { token })).body.items.some((i: any) => i.id === id));
  });

  it("ticks status effects out of combat: bleeding hurts but never kills, effects wear off, fighters are left alone", async () => {
    const [hurt, nearlyDead, fighting] = await game.createPlayers(3, WORLD.startLocationId);
    await game.sql("update players set hp = 50 where id = $1", [hurt!.id]);
    await game.sql("update players set hp = 1 where id = $1", [nearlyDead!.id]);
    await game.sql("update players set hp = 50, combat_id = 99 where id = $1", [fighting!.id]);
    await game.sql(
      "insert into player_status_effects (player_id, effect_id, remaining_ticks) values ($1, 'bleeding', 2), ($2, 'poisoned', 1), ($3, 'bleeding', 2)",
      [hurt!.id, nearlyDead!.id, fighting!.id],
    );
    await run("tick-effects");
    const hp = new Map((await game.sql("select id, hp from players where id = any($1)", [[hurt!.id, nearlyDead!.id, fighting!.id]])).map((r) => [r.id, r.hp]));
    assert.equal(hp.get(hurt!.id), 50 + STATUS_EFFECTS.get("bleeding")!.hpPerTick);
    assert.equal(hp.get(nearlyDead!.id), 1);
    assert.equal(hp.get(fighting!.id), 50);
    const left = await game.sql("select player_id, effect_id, remaining_ticks from player_status_effects where player_id = any($1) order by player_id", [
      [hurt!.id, nearlyDead!.id, fighting!.id],
    ]);
    assert.deepEqual(left, [
      { player_id: hurt!.id, effect_id: "bleeding", remaining_ticks: 1 },
      { player_id: fighting!.id, effect_id: "bleeding", remaining_ticks: 2 },
    ]);
  });

  it("regenerates stamina of resting players up to their maximum", async () => {
    const [tired, rested] = await game.createPlayers(2, WORLD.startLocationId);
    await game.sql("update players set stamina = 10 where id = $1", [tired!.id]);
    await game.sql("update players set stamina = max_stamina - 1 where id = $1", [rested!.id]);
    await run("regen-stamina");
    const rows = new Map((await game.sql("select id, stamina, max_stamina from players where id = any($1)", [[tired!.id, rested!.id]])).map((r) => [r.id, r]));
    assert.equal(rows.get(tired!.id).stamina, 10 + STAMINA_REGEN_PER_TICK);
    assert.equal(rows.get(rested!.id).stamina, rows.get(rested!.id).max_stamina);
  });

  it("applies a tick once, even when its job runs again after a failure or a stall", async () => {
    const [player] = await game.createPlayers(1, WORLD.startLocationId);
    await game.sql("update players set stamina = 10, hp = 50 where id = $1", [player!.id]);
    await game.sql("insert into player_status_effects (player_id, effect_id, remaining_ticks) values ($1, 'bleeding', 3)", [player!.id]);
    const at = Date.now() + 60_000;
    // A scheduler's iteration is named by its slot; the creation time differs between hosts and runs.
    const job = (name: string, slot: number, createdAt = Date.now()) =>
      ({ id: `repeat:${name}:${slot}`, name, data: {}, timestamp: createdAt }) as unknown as Job;
    for (const createdAt of [at - 5_000, at + 30_000]) {
      await processWorldTask(job("regen-stamina", at, createdAt), game.worker!.context);
      await processWorldTask(job("tick-effects", at, createdAt), game.worker!.context);
    }
    const state = async () =>
      (
        await game.sql(
          "select p.stamina, p.hp, e.remaining_ticks as ticks from players p left join player_status_effects e on e.player_id = p.id where p.id = $1",
          [player!.id],
        )
      )[0];
    assert.deepEqual(await state(), { stamina: 10 + STAMINA_REGEN_PER_TICK, hp: 50 + STATUS_EFFECTS.get("bleeding")!.hpPerTick, ticks: 2 });
    await processWorldTask(job("regen-stamina", at + 1_000), game.worker!.context);
    await processWorldTask(job("tick-effects", at + 1_000), game.worker!.context);
    assert.deepEqual(await state(), { stamina: 10 + 2 * STAMINA_REGEN_PER_TICK, hp: 50 + 2 * STATUS_EFFECTS.get("bleeding")!.hpPerTick, ticks: 1 });
  });

  it("brings dead players back at the start with half their HP after the respawn delay", async () => {
    const [recent, longAgo] = await game.createPlayers(2, "dust-road");
    await game.sql("update players set alive = false, hp = 0, died_at = now() where id = $1", [recent!.id]);
    await game.sql(`update players set alive = false, hp = 0, died_at = now() - interval '${RESPAWN_DELAY_S + 1} seconds' where id = $1`, [longAgo!.id]);
    await run("revive-players");
    const rows = new Map(
      (await game.sql("select id, alive, hp, max_hp, location_id from players where id = any($1)", [[recent!.id, longAgo!.id]])).map((r) => [r.id, r]),
    );
    assert.equal(rows.get(recent!.id).alive, false);
    assert.deepEqual(
      { alive: rows.get(longAgo!.id).alive, hp: rows.get(longAgo!.id).hp, at: rows.get(longAgo!.id).location_id },
      { alive: true, hp: rows.get(longAgo!.id).max_hp / 2, at: WORLD.startLocationId },
    );
    const view = await game.call("GET", "/v1/location", { token: longAgo!.token });
    assert.equal(view.body.location.id, WORLD.startLocationId, "the cached position was refreshed");
  });

  it("registers every world task as a BullMQ job scheduler", async () => {
    const scheduled = await TestGame.start({ worker: true, env: { WORLD_TASKS_ENABLED: "true" } });
    try {
      const schedulers = await scheduled.worker!.context.producer.queue("world").getJobSchedulers();
      assert.deepEqual(schedulers.map((s) => s.name).sort(), [
        "expire-items",
        "prune-history",
        "regen-stamina",
        "respawn-enemies",
        "revive-players",
        "roam-enemies",
        "sweep-accepted",
        "tick-effects",
      ]);
      assert.ok(schedulers.every((s) => typeof s.every === "number" && Number(s.every) > 0));
      // Each iteration's job carries its slot, which names the tick on every host.
      const queue = scheduled.worker!.context.producer.queue("world");
      const iterations = await queue.getJobs(["delayed", "wait", "active", "completed"], 0, 50);
      const ticks = iterations.filter((j) => j.name === "tick-effects");
      assert.ok(ticks.length > 0, "an iteration of tick-effects exists");
      for (const j of ticks) {
        const slot = /^repeat:tick-effects:(\d+)$/.exec(j.id ?? "")?.[1];
        assert.ok(slot, `job id ${j.id} names its slot`);
        assert.equal(tickInstant(j).getTime(), Number(slot));
      }
    } finally {
      await scheduled.close();
    }
  });
});
