import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { LOCATIONS, WORLD } from "@echoes/shared";
import { TestGame } from "../support/game";

const START = WORLD.startLocationId;
const firstExit = LOCATIONS.get(START)!.exits[0]!;

describe("actions: move, pickup, drop, use", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "1000" } });
  });
  after(() => game.close());

  const dropStack = async (locationId: string, itemId: string, quantity: number): Promise<number> =>
    (
      await game.sql("insert into dropped_items (location_id, item_id, quantity, expires_at) values ($1, $2, $3, now() + interval '1 hour') returning id", [
        locationId,
        itemId,
        quantity,
      ])
    )[0].id;

  describe("move", () => {
    it("goes through an exit, spends its stamina, and the next view shows the new place", async () => {
      const { token, player } = await game.register();
      const { api } = game.client(token);
      const moved = await api.POST("/v1/move", { body: { direction: firstExit.direction } });
      assert.equal(moved.response.status, 200);
      assert.deepEqual(moved.data, { from: START, to: firstExit.to, staminaCost: firstExit.staminaCost, stamina: player.stamina - firstExit.staminaCost });
      const { data: view } = await api.GET("/v1/location");
      assert.equal(view!.location.id, firstExit.to);
      assert.ok(view!.players.some((p) => p.id === player.id));
    });

    it("refuses a direction with no exit (422 no_exit) and bad directions (400)", async () => {
      const { token } = await game.register();
      const missing = (["north", "south", "east", "west", "up", "down", "in", "out"] as const).find(
        (d) => !LOCATIONS.get(START)!.exits.some((e) => e.direction === d),
      )!;
      const res = await game.call("POST", "/v1/move", { token, body: { direction: missing } });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, "no_exit");
      assert.equal((await game.call("POST", "/v1/move", { token, body: { direction: "sideways" } })).status, 400);
      assert.equal((await game.call("POST", "/v1/move", { token, body: { direction: "north", speed: 9 } })).status, 400);
    });

    it("refuses without stamina, in a fight and when dead (422 with the reason), changing nothing", async () => {
      const { token, player } = await game.register();
      await game.sql("update players set stamina = 0 where id = $1", [player.id]);
      const tired = await game.call("POST", "/v1/move", { token, body: { direction: firstExit.direction } });
      assert.equal(tired.status, 422);
      assert.equal(tired.body.error.code, "no_stamina");
      await game.sql("update players set stamina = 50, alive = false, hp = 0, died_at = now() where id = $1", [player.id]);
      const dead = await game.call("POST", "/v1/move", { token, body: { direction: firstExit.direction } });
      assert.equal(dead.body.error.code, "dead");
      await game.sql("update players set alive = true, hp = 10, died_at = null, combat_id = 999 where id = $1", [player.id]);
      const fighting = await game.call("POST", "/v1/move", { token, body: { direction: firstExit.direction } });
      assert.equal(fighting.body.error.code, "in_combat");
      const [row] = await game.sql("select location_id, stamina from players where id = $1", [player.id]);
      assert.deepEqual(row, { location_id: START, stamina: 50 });
    });
  });

  describe("pickup and drop", () => {
    it("picks up several stacks in one request, whole or in part", async () => {
      const { token, player } = await game.register();
      const scrap = await dropStack(START, "scrap-metal", 5);
      const caps = await dropStack(START, "bottle-cap", 20);
      const { data: picked, response } = await game.client(token).api.POST("/v1/pickup", { body: { items: [{ id: scrap }, { id: caps, quantity: 15 }] } });
      assert.equal(response.status, 200);
      assert.deepEqual(
        picked!.items.sort((a, b) => a.itemId.localeCompare(b.itemId)),
        [
          { itemId: "bottle-cap", quantity: 15 },
          { itemId: "scrap-metal", quantity: 5 },
        ],
      );
      const left = await game.sql("select id, quantity from dropped_items where id = any($1) order by id", [[scrap, caps]]);
      assert.deepEqual(left, [{ id: caps, quantity: 5 }]);
      const pack = await game.sql(
        "select item_id, quantity from inventory where player_id = $1 and item_id in ('scrap-metal', 'bottle-cap') order by item_id",
        [player.id],
      );
      assert.deepEqual(pack, [
        { item_id: "bottle-cap", quantity: 15 },
        { item_id: "scrap-metal", quantity: 5 },
      ]);
    });

    it("is all or nothing: a taken stack refuses the whole request (409), a stack that never existed is 404", async () => {
      const { token } = await game.register();
      const good = await dropStack(START, "duct-tape", 1);
      const gone = await dropStack(START, "duct-tape", 1);
      await game.sql("delete from dropped_items where id = $1", [gone]);
      const taken = await game.call("POST", "/v1/pickup", { token, body: { items: [{ id: good }, { id: gone }] } });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, "item_taken");
      const never = await game.call("POST", "/v1/pickup", { token, body: { items: [{ id: good }, { id: 987_654_321 }] } });
      assert.equal(never.status, 404);
      assert.equal(never.body.error.code, "not_found");
      assert.equal((await game.sql("select quantity from dropped_items where id = $1", [good]))[0].quantity, 1);
    });

    it("refuses stacks that lie elsewhere (404), more than the stack holds (409), and too much weight (422)", async () => {
      const { token } = await game.register();
      const far = await dropStack(firstExit.to, "scrap-metal", 1);
      assert.equal((await game.call("POST", "/v1/pickup", { token, body: { items: [{ id: far }] } })).status, 404);
      const small = await dropStack(START, "scrap-metal", 2);
      assert.equal((await game.call("POST", "/v1/pickup", { token, body: { items: [{ id: small, quantity: 3 }] } })).status, 409);
      const heavyItem = WORLD.items.reduce((a, b) => (b.weight > a.weight ? b : a));
      const heavy = await dropStack(START, heavyItem.id, Math.ceil(100 / heavyItem.weight));
      const tooMuch = await game.call("POST", "/v1/pickup", { token, body: { items: [{ id: heavy }] } });
      assert.equal(tooMuch.status, 422);
      assert.equal(tooMuch.body.error.code, "overweight");
    });

    it("drops several items in one request, each becoming a stack here that the next view shows", async () => {
      const { token, player } = await game.register();
      const { api } = game.client(token);
      const dropped = await api.POST("/v1/drop", {
        body: {
          items: [
            { itemId: "bandage", quantity: 2 },
            { itemId: "canned-beans", quantity: 1 },
          ],
        },
      });
      assert.equal(dropped.response.status, 200);
      const { stacks } = dropped.data!;
      assert.equal(stacks.length, 2);
      const { data: view } = await api.GET("/v1/location");
      for (const stack of stacks) assert.ok(view!.items.some((i) => i.id === stack.id && i.quantity === stack.quantity));
      const pack = await game.sql("select item_id, quantity from inventory where player_id = $1 and item_id in ('bandage', 'canned-beans') order by item_id", [
        player.id,
      ]);
      assert.deepEqual(pack, [
        { item_id: "bandage", quantity: 1 },
        { item_id: "canned-beans", quantity: 1 },
      ]);
    });

    it("dropping the equipped weapon unequips it", async () => {
      const { api } = game.client((await game.register()).token);
      assert.equal((await api.POST("/v1/drop", { body: { items: [{ itemId: "rusty-pipe", quantity: 1 }] } })).response.status, 200);
      const { data: me } = await api.GET("/v1/me");
      assert.equal(me!.weaponItemId, null);
    });

    it("refuses dropping what the player does not have (422) or what does not exist (404)", async () => {
      const { token } = await game.register();
      const short = await game.call("POST", "/v1/drop", { token, body: { items: [{ itemId: "bandage", quantity: 4 }] } });
      assert.equal(short.status, 422);
      assert.equal(short.body.error.code, "not_enough_items");
      assert.equal((await game.call("POST", "/v1/drop", { token, body: { items: [{ itemId: "unicorn-horn", quantity: 1 }] } })).status, 404);
      for (const quantity of [0, -1, 1.5, 1e12, "2"]) {
        assert.equal((await game.call("POST", "/v1/drop", { token, body: { items: [{ itemId: "bandage", quantity }] } })).status, 400, String(quantity));
      }
    });
  });

  describe("use", () => {
    it("heals with a consumable and spends it", async () => {
      const { token, player } = await game.register();
      await game.sql("update players set hp = 50 where id = $1", [player.id]);
      await game.sql("insert into inventory (player_id, item_id, quantity) values ($1, 'stimpak', 1)", [player.id]);
      const { data: used, response } = await game.client(token).api.POST("/v1/use", { body: { itemId: "stimpak" } });
      assert.equal(response.status, 200);
      assert.equal(used!.effect, "consumed");
      assert.ok(used!.hp > 50);
      assert.equal((await game.sql("select count(*)::int as n from inventory where player_id = $1 and item_id = 'stimpak'", [player.id]))[0].n, 0);
    });

    it("cures a status effect", async () => {
      const { token, player } = await game.register();
      await game.sql("insert into player_status_effects (player_id, effect_id, remaining_ticks) values ($1, 'bleeding', 4)", [player.id]);
      const { api } = game.client(token);
      const { data: used, response } = await api.POST("/v1/use", { body: { itemId: "bandage" } });
      assert.equal(response.status, 200);
      assert.ok(!used!.statusEffects.some((e) => e.effectId === "bleeding"));
      const { data: me } = await api.GET("/v1/me");
      assert.deepEqual(me!.statusEffects, []);
    });

    it("equips a weapon; refuses junk (422) and items not in the pack (422)", async () => {
      const { token, player } = await game.register();
      await game.sql("insert into inventory (player_id, item_id, quantity) values ($1, 'kitchen-knife', 1), ($1, 'bottle-cap', 3)", [player.id]);
      const { api } = game.client(token);
      assert.equal((await api.POST("/v1/use", { body: { itemId: "kitchen-knife" } })).data!.effect, "equipped");
      assert.equal((await api.GET("/v1/me")).data!.weaponItemId, "kitchen-knife");
      assert.equal((await game.call("POST", "/v1/use", { token, body: { itemId: "bottle-cap" } })).body.error.code, "not_usable");
      assert.equal((await game.call("POST", "/v1/use", { token, body: { itemId: "stimpak" } })).body.error.code, "not_enough_items");
    });
  });

  it("limits actions per player with 429 and Retry-After", async () => {
    const limited = await TestGame.start({ env: { RATE_LIMIT_ACTIONS: "3", RATE_LIMIT_WINDOW_S: "60" } });
    try {
      const { token } = await limited.register();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.call("POST", "/v1/move", { token, body: { direction: "sideways-not" } })).status);
      const over = await limited.call("POST", "/v1/use", { token, body: { itemId: "bandage" } });
      assert.equal(over.status, 429);
      assert.equal(over.body.error.code, "rate_limited");
      assert.ok(Number(over.headers.get("retry-after")) >= 1);
      assert.equal((await limited.call("GET", "/v1/me", { token })).status, 200, "reads are not limited");
    } finally {
      await limited.close();
    }
  });
});
