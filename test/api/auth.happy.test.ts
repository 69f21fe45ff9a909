import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { signInitData } from "../../apps/api/src/auth/telegram";
import { TestGame } from "../support/game";

const BOT_TOKEN = "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-ra";

describe("auth: the happy path", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ env: { TELEGRAM_BOT_TOKEN: BOT_TOKEN } });
  });
  after(() => game.close());

  it("registers a player at the start, alive, out of combat, with the starter kit equipped", async () => {
    const res = await game.call("POST", "/v1/auth/register", { body: { username: "Ash_Walker", password: "correct horse battery" } });
    assert.equal(res.status, 201);
    const { token, player } = res.body;
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(player.username, "ash_walker");
    assert.equal(player.locationId, "cinderhold-square");
    assert.equal(player.alive, true);
    assert.equal(player.inCombat, false);
    assert.equal(player.hp, player.maxHp);
    assert.deepEqual(player.statusEffects, []);
    const inventory = await game.call("GET", "/v1/me/inventory", { token });
    assert.equal(inventory.status, 200);
    const items = new Map(inventory.body.items.map((i: any) => [i.itemId, i]));
    assert.equal((items.get("rusty-pipe") as any)?.equipped, true);
    assert.equal((items.get("leather-jacket") as any)?.equipped, true);
    assert.equal((items.get("bandage") as any)?.quantity, 3);
  });

  it("logs in with the same credentials (any letter case of the name) and the token works", async () => {
    const res = await game.call("POST", "/v1/auth/login", { body: { username: "ASH_WALKER", password: "correct horse battery" } });
    assert.equal(res.status, 200);
    const me = await game.call("GET", "/v1/me", { token: res.body.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, "ash_walker");
  });

  it("signs in through Telegram, creating the player once", async () => {
    const initData = signInitData(
      {
        auth_date: String(Math.floor(Date.now() / 1000)),
        query_id: "AAHdF6IQAAAAAN0XohDhrOrc",
        user: JSON.stringify({ id: 279058397, first_name: "Vlad", username: "vlad_t" }),
      },
      BOT_TOKEN,
    );
    const first = await game.call("POST", "/v1/auth/telegram", { body: { initData } });
    assert.equal(first.status, 200);
    assert.equal(first.body.player.username, "vlad_t");
    const second = await game.call("POST", "/v1/auth/telegram", { body: { initData } });
    assert.equal(second.status, 200);
    assert.equal(second.body.player.id, first.body.player.id);
    const rows = await game.sql("select count(*)::int as n from players where telegram_id = 279058397");
    assert.equal(rows[0].n, 1);
  });

  it("signs in a Telegram user even when others took both their name and tg_<id>", async () => {
    await game.register("squatted");
    await game.register("tg_4242");
    const initData = signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify({ id: 4242, username: "squatted" }) }, BOT_TOKEN);
    const res = await game.call("POST", "/v1/auth/telegram", { body: { initData } });
    assert.equal(res.status, 200);
    assert.match(res.body.player.username, /^tg_4242_[0-9a-f]{6}$/);
  });

  it("gives a Telegram user whose name is taken a generated one", async () => {
    await game.register("taken_name");
    const initData = signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify({ id: 42, username: "taken_name" }) }, BOT_TOKEN);
    const res = await game.call("POST", "/v1/auth/telegram", { body: { initData } });
    assert.equal(res.status, 200);
    assert.equal(res.body.player.username, "tg_42");
  });
});
