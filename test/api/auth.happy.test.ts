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

  const telegramInitData = (user: object) => signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify(user) }, BOT_TOKEN);

  it("registers a player at the start, alive, out of combat, with the starter kit equipped", async () => {
    const client = game.client();
    const { token, player } = await client.register("Ash_Walker", "correct horse battery");
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(client.token, token, "the client signs its next requests with the new token");
    assert.equal(player.username, "ash_walker");
    assert.equal(player.locationId, "cinderhold-square");
    assert.equal(player.alive, true);
    assert.equal(player.inCombat, false);
    assert.equal(player.hp, player.maxHp);
    assert.deepEqual(player.statusEffects, []);
    const { data: inventory, response } = await client.api.GET("/v1/me/inventory");
    assert.equal(response.status, 200);
    const items = new Map(inventory!.items.map((i) => [i.itemId, i]));
    assert.equal(items.get("rusty-pipe")?.equipped, true);
    assert.equal(items.get("leather-jacket")?.equipped, true);
    assert.equal(items.get("bandage")?.quantity, 3);
  });

  it("logs in with the same credentials (any letter case of the name) and the token works", async () => {
    const client = game.client();
    await client.logIn("ASH_WALKER", "correct horse battery");
    const { data: me, response } = await client.api.GET("/v1/me");
    assert.equal(response.status, 200);
    assert.equal(me!.username, "ash_walker");
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
    const first = await game.client().logInWithTelegram(initData);
    assert.equal(first.player.username, "vlad_t");
    const second = await game.client().logInWithTelegram(initData);
    assert.equal(second.player.id, first.player.id);
    const rows = await game.sql("select count(*)::int as n from players where telegram_id = 279058397");
    assert.equal(rows[0].n, 1);
  });

  it("signs in a Telegram user even when others took both their name and tg_<id>", async () => {
    await game.register("squatted");
    await game.register("tg_4242");
    const { player } = await game.client().logInWithTelegram(telegramInitData({ id: 4242, username: "squatted" }));
    assert.match(player.username, /^tg_4242_[0-9a-f]{6}$/);
  });

  it("gives a Telegram user whose name is taken a generated one", async () => {
    await game.register("taken_name");
    const { player } = await game.client().logInWithTelegram(telegramInitData({ id: 42, username: "taken_name" }));
    assert.equal(player.username, "tg_42");
  });
});
