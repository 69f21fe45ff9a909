import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { runMigrations, seedWorld } from "@echoes/db";
import { LOCATIONS, WORLD } from "@echoes/shared";
import { CHROMIUM, NO_CHROMIUM, launchChromium } from "../support/browser";
import { TestGame } from "../support/game";
import { eventually } from "../support/http";
import { scratchDir } from "../support/ops";
import { OwnPostgres } from "../support/stack";

const PASSWORD = "correct horse battery";
const START = LOCATIONS.get(WORLD.startLocationId)!;
const NORTH = START.exits.find((x) => x.direction === "north")!;
const GATE = LOCATIONS.get(NORTH.to)!;
const ACTIONS_PER_WINDOW = 5;

/**
 * Refusals and failures as a player meets them in the page: each is said in words, the page keeps
 * what it showed, and the same click works once the cause is gone. The game runs on a PostgreSQL of
 * this file's own, which it stops to make the database truly unavailable.
 */
describe("the web client when the server refuses or fails", { skip: CHROMIUM ? false : NO_CHROMIUM }, () => {
  let pg: OwnPostgres;
  let game: TestGame;
  let browser: Browser;
  let context: BrowserContext;

  before(async () => {
    pg = await OwnPostgres.start(scratchDir("web-errors"));
    const url = new URL(pg.url);
    await runMigrations(url.toString());
    await seedWorld(url.toString());
    game = await TestGame.start({
      database: { name: "postgres", url: url.toString(), drop: async () => undefined },
      env: { RATE_LIMIT_ACTIONS: String(ACTIONS_PER_WINDOW), RATE_LIMIT_WINDOW_S: "60", DB_POOL_TIMEOUT_MS: "2000" },
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await game?.close();
    await pg?.destroy();
  });

  async function signedUpPage(): Promise<{ page: Page; username: string; playerId: number }> {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const username = `err_${randomBytes(4).toString("hex")}`;
    await page.goto(`${game.url}/play`);
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { level: 1, name: START.name }).waitFor();
    const [row] = await game.sql("select id from players where username = $1", [username]);
    return { page, username, playerId: row.id };
  }

  const alertText = async (page: Page) => ((await page.getByRole("alert").first().textContent()) ?? "").trim();
  const heading = async (page: Page) => ((await page.getByRole("heading", { level: 1 }).textContent()) ?? "").trim();
  const goNorth = (page: Page) => page.getByRole("button", { name: `north to ${GATE.name}` }).click();

  it("keeps what was typed when signing in fails, and says why", async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${game.url}/play`);
      await page.getByLabel("Username").fill("nobody_here");
      await page.getByLabel("Password").fill("wrong password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await eventually(async () => /Wrong username or password/.test(await alertText(page)), 10_000, "the refusal shown");
      assert.equal(await page.getByLabel("Username").inputValue(), "nobody_here");
      assert.equal(await page.getByLabel("Password").inputValue(), "wrong password");
    } finally {
      await context.close();
    }
  });

  it("says a game rule's refusal (422) in words, keeps the view, and the same click works once the rule allows it", async () => {
    const { page, playerId } = await signedUpPage();
    try {
      await game.sql("update players set stamina = 0 where id = $1", [playerId]);
      await goNorth(page);
      await eventually(async () => /can't do that right now/.test(await alertText(page)), 10_000, "the refusal shown");
      assert.match(await alertText(page), /stamina/i);
      assert.equal(await heading(page), START.name);
      await game.sql("update players set stamina = max_stamina where id = $1", [playerId]);
      await goNorth(page);
      await page.getByRole("heading", { level: 1, name: GATE.name }).waitFor();
      assert.equal(await alertText(page), "");
    } finally {
      await context.close();
    }
  });

  it("says so when someone else was quicker (409)", async () => {
    const { page } = await signedUpPage();
    try {
      const [enemy] = await game.sql("insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ('giant-roach', $1, 8, 8) returning id", [
        START.id,
      ]);
      await game.cache.invalidate({ locations: [START.id] });
      await page.reload();
      const fight = page.getByRole("button", { name: "Fight Giant Roach" }).first();
      await fight.waitFor();
      const rival = await game.register();
      assert.equal((await game.call("POST", "/v1/combat", { token: rival.token, body: { enemyId: enemy.id } })).status, 201);
      await fight.click();
      await eventually(async () => /Someone was quicker/.test(await alertText(page)), 10_000, "the conflict shown");
      assert.equal(await heading(page), START.name);
    } finally {
      await context.close();
    }
  });

  it("says how long to wait when there were too many actions (429)", async () => {
    const { page, playerId } = await signedUpPage();
    try {
      const { token } = await game.api.deps.tokens.issue(playerId);
      // Spend the window's actions from elsewhere (another tab, say): refused moves count too.
      for (let i = 0; i < ACTIONS_PER_WINDOW; i++) await game.call("POST", "/v1/move", { token, body: { direction: "south" } });
      await goNorth(page);
      await eventually(async () => /Too many actions at once\. Wait \d+ s/.test(await alertText(page)), 10_000, "the limit shown");
      assert.equal(await heading(page), START.name);
    } finally {
      await context.close();
    }
  });

  it("says the game is briefly unavailable (503) while the database is down, and the same click works once it is back", async () => {
    const { page } = await signedUpPage();
    try {
      await pg.stop();
      try {
        await goNorth(page);
        await eventually(async () => /briefly unavailable/.test(await alertText(page)), 15_000, "the outage shown");
        assert.match(await alertText(page), /Nothing was lost; try again in \d+ s/);
        assert.equal(await heading(page), START.name);
        assert.ok(await page.getByRole("button", { name: `north to ${GATE.name}` }).isVisible(), "the exits are still there");
      } finally {
        await pg.start();
      }
      await eventually(async () => (await fetch(`${game.url}/readyz`)).status === 200, 30_000, "the API ready again");
      await goNorth(page);
      await page.getByRole("heading", { level: 1, name: GATE.name }).waitFor();
    } finally {
      await context.close();
    }
  });

  it("returns to the sign-in form when the session is no longer valid (401)", async () => {
    const { page, playerId } = await signedUpPage();
    try {
      const { token } = await game.api.deps.tokens.issue(playerId);
      assert.equal((await game.call("DELETE", "/v1/me", { token })).status, 204);
      await goNorth(page);
      await page.getByLabel("Username").waitFor();
      await eventually(async () => /session has ended/.test(await alertText(page)), 10_000, "why shown");
    } finally {
      await context.close();
    }
  });
});
