import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Database, openDatabase, resolveCombatTurn, respawnEnemies, roamEnemies } from "@echoes/db";
import { createLogger } from "@echoes/shared";
import { Redis } from "ioredis";
import { eventually, request } from "../support/http";
import { FaultStack } from "../support/stack";

const ARENA = "dust-road";
const HP = 100_000;

/** Two fresh deployments: each its own freshly migrated database (with its own secret), Redis, API and worker. */
async function deployment(env: Record<string, string> = {}): Promise<{ stack: FaultStack; database: Database }> {
  const stack = await FaultStack.start({ WORLD_TASKS_ENABLED: "false", ...env });
  await stack.startApi();
  await stack.startWorker();
  const database = openDatabase(
    {
      DATABASE_URL: stack.pg.url,
      DB_POOL_SIZE: 2,
      DB_POOL_MAX_OVERFLOW: 2,
      DB_POOL_TIMEOUT_MS: 5_000,
      DB_POOL_RECYCLE_S: 3600,
      DB_POOL_PRE_PING: true,
      DB_POOL_PRE_PING_IDLE_MS: 5_000,
      DB_PREPARED_STATEMENTS: false,
      DB_SLOW_QUERY_MS: 10_000,
    },
    createLogger("test", "silent"),
  );
  return { stack, database };
}

/** What every response, event and job of the scripted play said, to search for secrets afterwards. */
const heard: string[] = [];

/** The same play in a deployment: three players each fight a tough feral dog for five attacks. */
async function scriptedPlay(stack: FaultStack): Promise<{ combatIds: number[]; rolls: unknown[][] }> {
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await request(stack.apiUrl, method, path, { token, body });
    heard.push(JSON.stringify(res.body));
    return res;
  };
  const players = await stack.createPlayers(3, ARENA);
  await stack.sql("update players set hp = $2, max_hp = $2 where id = any($1)", [players.map((p) => p.id), HP]);
  const combatIds: number[] = [];
  const rolls: unknown[][] = [];
  for (const p of players) {
    const [{ id: enemyId }] = await stack.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('feral-dog', $1, $2, $2) returning id",
      [ARENA, HP],
    );
    const engaged = await call("POST", "/v1/combat", p.token, { enemyId });
    assert.equal(engaged.status, 201, JSON.stringify(engaged.body));
    assert.deepEqual(
      engaged.body.enemy,
      { id: enemyId, enemyTypeId: "feral-dog", name: "Feral Dog", hp: HP, maxHp: HP },
      "the engage answer names the enemy and its HP",
    );
    combatIds.push(engaged.body.combatId);
    const turns: unknown[] = [];
    for (let turn = 1; turn <= 5; turn++) {
      const acted = await call("POST", "/v1/combat/actions", p.token, { action: "attack" });
      assert.equal(acted.status, 202, JSON.stringify(acted.body));
      const job = await eventually(
        async () => {
          const res = await call("GET", `/v1/jobs/${acted.body.jobId}`, p.token);
          return res.body.state === "completed" ? res.body : null;
        },
        15_000,
        `turn ${turn} of fight ${engaged.body.combatId}`,
      );
      turns.push(job.result.events.map((e: { actor: string; kind: string; amount?: number }) => [e.actor, e.kind, e.amount ?? null]));
    }
    rolls.push(turns);
  }
  return { combatIds, rolls };
}

/** Every value under a Redis prefix, whatever its type: job payloads and results, events, cached views. */
async function everythingIn(redisUrl: string, prefix: string): Promise<string> {
  const redis = new Redis(redisUrl);
  const out: string[] = [];
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", "500");
      cursor = next;
      for (const key of keys) {
        const type = await redis.type(key);
        if (type === "string") out.push((await redis.get(key)) ?? "");
        else if (type === "hash") out.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === "list") out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === "set") out.push(JSON.stringify(await redis.smembers(key)));
        else if (type === "zset") out.push(JSON.stringify(await redis.zrange(key, "0", "-1")));
        else if (type === "stream") out.push(JSON.stringify(await redis.xrange(key, "-", "+")));
      }
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
  return out.join("\n");
}

/** Rows without the clock's columns, which a second application of the same turn stamps anew. */
const timeless = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, v) => (["updated_at", "completed_at", "applied_at"].includes(key) ? undefined : v));

/** The forms a secret could take in text: hex, base64, base64url, and a Buffer's bytes as JSON writes them. */
const spellings = (secret: Buffer) => [secret.toString("hex"), secret.toString("base64"), secret.toString("base64url"), JSON.stringify(secret.toJSON().data)];

describe("fair play", () => {
  let a: Awaited<ReturnType<typeof deployment>>;
  let b: Awaited<ReturnType<typeof deployment>>;
  const events: string[] = [];
  before(async () => {
    [a, b] = await Promise.all([deployment({ LOG_LEVEL: "debug" }), deployment()]);
  });
  after(async () => {
    await Promise.all([a?.database.close(), b?.database.close()]);
    await Promise.all([a?.stack.close(), b?.stack.close()]);
  });

  it("two fresh deployments roll differently for the same scripted play (same fight ids, turns and enemy type)", async () => {
    const [players] = await a.stack.createPlayers(1, ARENA);
    const stream = new AbortController();
    // Everything the event stream of one player of deployment A says during its fights, for the secret search below.
    const listening = fetch(`${a.stack.apiUrl}/v1/events`, { headers: { authorization: `Bearer ${players!.token}` }, signal: stream.signal }).then(
      async (res) => {
        const reader = res.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          events.push(Buffer.from(value).toString());
        }
      },
    );
    listening.catch(() => undefined);
    await a.stack.sql("update players set hp = $2, max_hp = $2 where id = $1", [players!.id, HP]);
    const [{ id: enemyId }] = await a.stack.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('feral-dog', $1, $2, $2) returning id",
      [ARENA, HP],
    );
    assert.equal((await request(a.stack.apiUrl, "POST", "/v1/combat", { token: players!.token, body: { enemyId } })).status, 201);
    const sent = await request(a.stack.apiUrl, "POST", "/v1/combat/actions", { token: players!.token, body: { action: "attack" } });
    await eventually(async () => events.join("").includes(sent.body.jobId), 15_000, "the turn on the event stream");
    stream.abort();
    // B gets one fight more before the script, as A just had, so that fight ids line up.
    const [filler] = await b.stack.createPlayers(1, "cinderhold-square");
    await b.stack.sql("insert into active_combats (player_id, enemy_type_id, location_id, status, ended_at) values ($1, 'feral-dog', $2, 'fled', now())", [
      filler!.id,
      ARENA,
    ]);

    const [inA, inB] = [await scriptedPlay(a.stack), await scriptedPlay(b.stack)];
    assert.deepEqual(inA.combatIds, inB.combatIds, "the same fight ids in both");
    assert.equal(inA.rolls.flat().length, 15);
    assert.notDeepEqual(inA.rolls, inB.rolls, "the same fights, turns and enemy type roll differently in another deployment");
    for (let i = 0; i < 3; i++) assert.notDeepEqual(inA.rolls[i], inB.rolls[i], `fight ${inA.combatIds[i]} rolled the same five turns in both`);
  });

  it("no API response, event, log line or job payload holds a fight's seed or the deployment's secret", async () => {
    // Combat jobs leave Redis as they complete: with the worker stopped, one more turn's job waits there, payload and all.
    for (const worker of a.stack.workers) worker.kill("SIGTERM");
    await Promise.all(a.stack.workers.map((w) => w.exited));
    const [held] = await a.stack.createPlayers(1, ARENA);
    const [{ id: enemyId }] = await a.stack.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('feral-dog', $1, $2, $2) returning id",
      [ARENA, HP],
    );
    const engaged = await request(a.stack.apiUrl, "POST", "/v1/combat", { token: held!.token, body: { enemyId } });
    assert.equal(engaged.status, 201, JSON.stringify(engaged.body));
    const waiting = await request(a.stack.apiUrl, "POST", "/v1/combat/actions", { token: held!.token, body: { action: "attack" } });
    heard.push(JSON.stringify(waiting.body));
    assert.equal(waiting.status, 202, JSON.stringify(waiting.body));
    assert.equal(waiting.body.queued, true);
    const seeds = (await a.stack.sql<{ seed: Buffer }>("select seed from active_combats")).map((r) => r.seed);
    const [{ secret }] = (await a.stack.sql<{ secret: Buffer }>("select secret from game_instance")) as [{ secret: Buffer }];
    assert.ok(seeds.length >= 4, `${seeds.length} fights`);
    const places = {
      "API responses": heard.join("\n"),
      "event stream": events.join(""),
      "log lines": a.stack.logs(),
      "Redis (job payloads, results, events, cache)": await everythingIn(a.stack.env.REDIS_URL!, a.stack.env.REDIS_PREFIX!),
    };
    assert.ok(places["log lines"].split("\n").length > 20, "the processes logged at debug level");
    // The waiting turn's job payload (its data names the action) is among what was searched.
    const [action] = await a.stack.sql<{ id: string }>("select id::text from combat_actions where combat_id = $1", [engaged.body.combatId]);
    assert.ok(
      places["Redis (job payloads, results, events, cache)"].includes(`\\"actionId\\":${action!.id},\\"combatId\\":${engaged.body.combatId}`),
      "the waiting job's payload was searched",
    );
    for (const secretBytes of [...seeds, secret]) {
      for (const spelled of spellings(secretBytes)) {
        for (const [where, text] of Object.entries(places)) assert.ok(!text.includes(spelled), `a secret appeared in the ${where}`);
      }
    }
    await a.stack.startWorker();
  });

  it("two fresh deployments fill the same empty world differently at the same tick", async () => {
    const tick = { task: "respawn-enemies", at: new Date(1_800_000_000_000) };
    const fill = async ({ stack, database }: typeof a) => {
      await stack.sql("delete from wandering_enemies where combat_id is null and id not in (select enemy_id from active_combats where enemy_id is not null)");
      await respawnEnemies(database, 1_000, tick);
      return stack.sql<{ location_id: string; enemy_type_id: string }>(
        "select location_id, enemy_type_id from wandering_enemies where combat_id is null and died_at is null order by location_id, enemy_type_id",
      );
    };
    const [inA, inB] = [await fill(a), await fill(b)];
    assert.ok(inA.length > 100, `${inA.length} enemies spawned`);
    assert.deepEqual(
      inA.map((r) => r.location_id),
      inB.map((r) => r.location_id),
      "both filled every place to its target",
    );
    assert.notDeepEqual(inA, inB, "but with other enemies");
  });

  it("within one deployment, a tick run again after it rolled back makes the same choices, and one that committed is not run twice", async () => {
    const { stack, database } = a;
    const tick = { task: "roam-enemies", at: new Date(1_800_000_020_000) };
    const positions = await stack.sql<{ id: number; location_id: string }>("select id, location_id from wandering_enemies order by id");
    const first = await roamEnemies(database, tick);
    const after1 = await stack.sql("select id, location_id from wandering_enemies order by id");
    assert.ok(first.rows > 0, "some enemies roamed");
    assert.equal((await roamEnemies(database, tick)).rows, 0, "the same slot does not roam twice");
    // As if the first run had rolled back: the positions and the tick's record as they were.
    await stack.sql(
      "update wandering_enemies e set location_id = p.location_id from unnest($1::bigint[], $2::text[]) as p(id, location_id) where e.id = p.id",
      [positions.map((p) => p.id), positions.map((p) => p.location_id)],
    );
    await stack.sql("delete from world_tick_runs where task = $1 and slot = $2", [tick.task, tick.at]);
    const again = await roamEnemies(database, tick);
    assert.equal(again.rows, first.rows);
    assert.deepEqual(await stack.sql("select id, location_id from wandering_enemies order by id"), after1, "the same enemies went the same ways");
  });

  it("within one deployment, a combat turn applied again after its first try was lost rolls exactly the same", async () => {
    const { stack, database } = a;
    for (const worker of stack.workers) worker.kill("SIGTERM");
    await Promise.all(stack.workers.map((w) => w.exited));
    const [p] = await stack.createPlayers(1, ARENA);
    await stack.sql("update players set hp = 500, max_hp = 500 where id = $1", [p!.id]);
    const [{ id: enemyId }] = await stack.sql(
      "insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('raider-warlord', $1, 900, 900) returning id",
      [ARENA],
    );
    const engaged = await request(stack.apiUrl, "POST", "/v1/combat", { token: p!.token, body: { enemyId } });
    const combatId = engaged.body.combatId as number;
    const rows = async () => ({
      player: (await stack.sql("select to_jsonb(p) as row from players p where id = $1", [p!.id]))[0].row,
      enemy: (await stack.sql("select to_jsonb(e) as row from wandering_enemies e where id = $1", [enemyId]))[0].row,
      fight: (await stack.sql("select to_jsonb(c) as row from active_combats c where id = $1", [combatId]))[0].row,
      actions: (await stack.sql("select to_jsonb(a) as row from combat_actions a where combat_id = $1 order by turn", [combatId])).map((r) => r.row),
      effects: (await stack.sql("select to_jsonb(e) as row from player_status_effects e where player_id = $1 order by effect_id", [p!.id])).map((r) => r.row),
      events: (await stack.sql("select event_key from stat_events where player_id = $1 order by event_key", [p!.id])).map((r) => r.event_key),
    });
    const results: unknown[] = [];
    for (let turn = 1; turn <= 3; turn++) {
      const acted = await request(stack.apiUrl, "POST", "/v1/combat/actions", { token: p!.token, body: { action: "attack" } });
      assert.equal(acted.status, 202, JSON.stringify(acted.body));
      const before = await rows();
      const first = await resolveCombatTurn(database, combatId, turn);
      const applied = await rows();
      // The first try's work is lost (as when a worker dies before its commit): every row as it was.
      await stack.sql(
        `with p as (update players t set hp = r.hp, stamina = r.stamina, xp = r.xp, level = r.level, max_hp = r.max_hp, max_stamina = r.max_stamina,
                      alive = r.alive, died_at = r.died_at, combat_id = r.combat_id from jsonb_populate_record(null::players, $1) r where t.id = r.id),
              e as (update wandering_enemies t set hp = r.hp, effects = r.effects, died_at = r.died_at, combat_id = r.combat_id
                      from jsonb_populate_record(null::wandering_enemies, $2) r where t.id = r.id),
              c as (update active_combats t set turn = r.turn, status = r.status, damage_dealt = r.damage_dealt, damage_taken = r.damage_taken, ended_at = r.ended_at
                      from jsonb_populate_record(null::active_combats, $3) r where t.id = r.id),
              a as (update combat_actions t set status = 'accepted', result = null, completed_at = null where t.combat_id = $4 and t.turn = $5),
              gone as (delete from player_status_effects where player_id = (($1::jsonb)->>'id')::int)
          select 1`,
        [before.player, before.enemy, before.fight, combatId, turn],
      );
      await stack.sql("insert into player_status_effects select * from jsonb_populate_recordset(null::player_status_effects, $1)", [
        JSON.stringify(before.effects),
      ]);
      await stack.sql("delete from stat_events where player_id = $1 and not (event_key = any($2))", [p!.id, before.events]);
      const second = await resolveCombatTurn(database, combatId, turn);
      assert.deepEqual(second!.record, first!.record, `turn ${turn} rolled the same`);
      assert.deepEqual(timeless(await rows()), timeless(applied), `turn ${turn} left the same world`);
      results.push(first!.record);
    }
    assert.equal(results.length, 3);
  });
});
