import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { LOCATIONS, WORLD } from "@echoes/shared";
import { TestGame } from "../support/game";

describe("the client README's game loop", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true });
  });
  after(() => game.close());

  it("runs as written against a live game: wanders, meets an enemy, fights and prints the turns", async () => {
    const readme = readFileSync("packages/client/README.md", "utf8");
    const code = /## A game loop\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(code, "the README has the loop");
    assert.ok(code.includes('"http://localhost:3000"'));
    // The first exit from the start leads somewhere with an enemy waiting.
    const firstStop = LOCATIONS.get(WORLD.startLocationId)!.exits[0]!.to;
    await game.sql("insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('giant-roach', $1, 5, 5)", [firstStop]);
    mkdirSync("test/.tmp", { recursive: true });
    const file = resolve("test/.tmp/readme-loop.ts");
    writeFileSync(file, code.replace('"http://localhost:3000"', JSON.stringify(game.url)));
    const printed: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => printed.push(args.join(" "));
    try {
      await import(file);
    } finally {
      console.log = log;
    }
    assert.ok(printed.length > 0, "the turns were printed");
    const [{ n }] = await game.sql(
      "select count(*)::int as n from combat_actions a join players p on p.id = a.player_id where p.username like 'walker_%' and a.status = 'completed'",
    );
    assert.equal(n > 0, true, "the loop's attacks were played");
  });
});
