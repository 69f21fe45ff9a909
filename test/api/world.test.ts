import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { rebuildLeaderboards } from "@echoes/db";
import { WORLD } from "@echoes/shared";
import { TestGame, deleteKeys } from "../support/game";

describe("world routes", () => {
  let game: TestGame;
  let token: string;
  before(async () => {
    game = await TestGame.start();
    ({ token } = await game.register());
  });
  after(() => game.close());

  it("GET /v1/location has the contract's shape", async () => {
    const { data: view, response } = await game.client(token).api.GET("/v1/location");
    assert.equal(response.status, 200);
    assert.ok(view);
    assert.deepEqual(Object.keys(view.location).sort(), ["dangerLevel", "description", "id", "image", "name"]);
    assert.equal(view.location.id, WORLD.startLocationId);
    assert.ok(view.exits.length > 0);
    for (const exit of view.exits)
      assert.deepEqual(
        ["direction", "staminaCost", "to"].every((k) => k in exit),
        true,
      );
    for (const item of view.items) assert.ok(["id", "itemId", "name", "quantity"].every((k) => k in item));
    for (const enemy of view.enemies) assert.ok(["id", "enemyTypeId", "name", "hp", "maxHp"].every((k) => k in enemy));
    assert.ok(view.players.some((p) => typeof p.id === "number" && typeof p.username === "string"));
    assert.equal(response.headers.get("cache-control"), "no-store");
  });

  it("serves static data with ETag and Cache-Control, and 304 on revalidation", async () => {
    for (const path of ["/v1/items", "/v1/items/stimpak", `/v1/locations/${WORLD.startLocationId}`]) {
      const first = await game.call("GET", path, { token });
      assert.equal(first.status, 200, path);
      const etag = first.headers.get("etag");
      assert.ok(etag, path);
      assert.match(first.headers.get("cache-control") ?? "", /max-age=\d+/);
      const again = await game.call("GET", path, { token, headers: { "if-none-match": etag } });
      assert.equal(again.status, 304, path);
    }
    const { api } = game.client(token);
    assert.equal((await api.GET("/v1/items")).data!.items.length, WORLD.items.length);
    const { data: enemyTypes } = await api.GET("/v1/enemy-types");
    assert.deepEqual(
      enemyTypes!.enemyTypes.map((e) => e.id),
      WORLD.enemyTypes.map((e) => e.id),
    );
    const { data: roach } = await api.GET("/v1/enemy-types/{id}", { params: { path: { id: "giant-roach" } } });
    assert.deepEqual(
      roach,
      WORLD.enemyTypes.find((e) => e.id === "giant-roach"),
    );
    const { data: square } = await api.GET("/v1/locations/{id}", { params: { path: { id: WORLD.startLocationId } } });
    assert.equal(square!.exits.length, WORLD.locations.find((l) => l.id === WORLD.startLocationId)!.exits.length);
    assert.ok(square!.exits.every((x) => x.toName.length > 0));
  });

  it("serves item pictures under content-hashed names with year-long, immutable caching", async () => {
    const { data: item } = await game.client(token).api.GET("/v1/items/{id}", { params: { path: { id: "rusty-pipe" } } });
    assert.equal(item!.kind, "weapon");
    assert.match(item!.imageUrl ?? "", /^\/assets\/items\/weapon\.[0-9a-f]{10}\.svg$/);
    const image = await fetch(game.url + item!.imageUrl);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/svg+xml");
    assert.equal(image.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.match(await image.text(), /<svg/);
    assert.equal((await fetch(`${game.url}/assets/items/weapon.0000000000.svg`)).status, 404);
    assert.equal((await fetch(`${game.url}/assets/../package.json`)).status, 404);
  });

  it("answers 404 for unknown items and locations, in the error shape", async () => {
    for (const path of ["/v1/items/unicorn-horn", "/v1/locations/atlantis", "/v1/enemy-types/dragon"]) {
      const res = await game.call("GET", path, { token });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not_found");
    }
  });

  it("GET /v1/leaderboard ranks players, from PostgreSQL while Redis has no board", async () => {
    const { player } = await game.register();
    await game.sql("update players set xp = 999999, level = 50 where id = $1", [player.id]);
    const { api } = game.client(token);
    const byXp = await api.GET("/v1/leaderboard", { params: { query: { by: "xp", limit: 5 } } });
    assert.equal(byXp.response.status, 200);
    assert.equal(byXp.data!.source, "database");
    assert.equal(byXp.data!.entries[0]!.playerId, player.id);
    assert.equal(byXp.data!.entries[0]!.rank, 1);
    const byLevel = await api.GET("/v1/leaderboard", { params: { query: { by: "level" } } });
    assert.equal(byLevel.data!.entries[0]!.value, 50);
    assert.equal((await game.call("GET", "/v1/leaderboard?by=charisma", { token })).status, 400);
    assert.equal((await game.call("GET", "/v1/leaderboard?limit=100000", { token })).status, 400);
  });

  it("never lets an older standing overwrite a newer one on the boards", async () => {
    const { player } = await game.register();
    const boards = game.api.deps.leaderboards;
    await rebuildLeaderboards(game.database, boards, 100);
    await boards.record([{ playerId: player.id, username: player.username, kills: 500, xp: 10, level: 1, version: 7 }]);
    await boards.record([{ playerId: player.id, username: player.username, kills: 499, xp: 9, level: 1, version: 6 }]);
    const top = await boards.top("kills", 100);
    assert.equal(top!.find((e) => e.playerId === player.id)!.value, 500);
  });

  it("serves the leaderboard from Redis once the boards were rebuilt and the statistics worker has written it", async () => {
    const { player } = await game.register();
    assert.equal((await rebuildLeaderboards(game.database, game.api.deps.leaderboards, 100)).complete, true);
    await game.api.deps.leaderboards.record([{ playerId: player.id, username: player.username, kills: 10_000, xp: 10, level: 1, version: 1 }]);
    const res = await game.call("GET", "/v1/leaderboard?by=kills", { token });
    assert.equal(res.body.source, "redis");
    assert.deepEqual(res.body.entries[0], { rank: 1, playerId: player.id, username: player.username, value: 10_000 });
  });

  it("after Redis loses the boards, reads PostgreSQL until a whole rebuild finished, even once new standings arrive", async () => {
    const boards = game.api.deps.leaderboards;
    const veteran = await game.register();
    await game.sql("update players set xp = 9999999, level = 50 where id = $1", [veteran.player.id]);
    await rebuildLeaderboards(game.database, boards, 100);
    await deleteKeys(game.redis, `${game.prefix}:{lb}:*`);
    // A statistics job lands before the sweeper notices: one player on otherwise empty boards.
    const newcomer = await game.register();
    await boards.record([{ playerId: newcomer.player.id, username: newcomer.username, kills: 0, xp: 1, level: 1, version: 1 }]);
    const during = await game.call("GET", "/v1/leaderboard?by=xp", { token });
    assert.equal(during.body.source, "database");
    assert.equal(during.body.entries[0].playerId, veteran.player.id);
    assert.equal(await boards.needsRebuild(), true);

    // One rebuild at a time: a second one (an overlapping sweep) does not start while the first holds its claim.
    const token1 = await boards.startRebuild();
    assert.ok(token1);
    assert.equal(await boards.startRebuild(), null);
    assert.deepEqual(await rebuildLeaderboards(game.database, boards, 2), { started: false, players: 0, complete: false });
    // A rebuild that Redis loses data under is not taken for complete.
    await deleteKeys(game.redis, `${game.prefix}:{lb}:rebuilding`);
    assert.equal(await boards.finishRebuild(token1), false);
    assert.equal(await boards.needsRebuild(), true);

    assert.equal((await rebuildLeaderboards(game.database, boards, 2)).complete, true);
    const rebuilt = await game.call("GET", "/v1/leaderboard?by=xp", { token });
    assert.equal(rebuilt.body.source, "redis");
    assert.equal(rebuilt.body.entries[0].playerId, veteran.player.id);
  });

  it("a standing read before a player's deletion never brings them back to the boards", async () => {
    const boards = game.api.deps.leaderboards;
    await rebuildLeaderboards(game.database, boards, 100);
    const doomed = await game.register();
    const late = { playerId: doomed.player.id, username: doomed.username, kills: 1_000_000, xp: 10, level: 1, version: 99 };
    await boards.record([late]);
    assert.equal((await game.call("DELETE", "/v1/me", { token: doomed.token })).status, 204);
    await boards.record([{ ...late, version: 100 }]);
    const top = await boards.top("kills", 100);
    assert.ok(!top?.some((e) => e.playerId === doomed.player.id), "the deleted player is not ranked");
  });
});
