import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { sign } from "@telegram-apps/init-data-node";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { ENEMY_TYPES, LOCATIONS, WORLD } from "@echoes/shared";
import { CHROMIUM, NO_CHROMIUM, launchChromium, seriousViolations } from "../support/browser";
import { TestGame } from "../support/game";
import { eventually } from "../support/http";

const BOT_TOKEN = "424242424:WebAppTestTokenAbCdEfGhIjKlMnOpQr";
const PASSWORD = "correct horse battery";
const START = LOCATIONS.get(WORLD.startLocationId)!;
const PHONE = { width: 360, height: 640 };
const DESKTOP = { width: 1280, height: 800 };
/** `UPDATE_SCREENSHOTS=1` copies the screenshots into docs/screenshots (shown in the README). */
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === "1";

const newName = () => `web_${randomBytes(4).toString("hex")}`;

/** Every request a browser context makes, by URL. */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  const started = Date.now();
  context.on("request", (request) => {
    urls.push(request.url());
    if (process.env.DEBUG_WEB) console.log(Date.now() - started, request.method(), request.url());
  });
  return urls;
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").trim();
}

async function signUp(page: Page, url: string, username = newName()): Promise<string> {
  await page.goto(`${url}/play`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { level: 1, name: START.name }).waitFor();
  return username;
}

async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const found = await seriousViolations(page);
  assert.deepEqual(found, [], `axe on ${where}: ${JSON.stringify(found, null, 2)}`);
}

async function expectNoHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = (globalThis as any).document.documentElement;
    return { scrollWidth: root.scrollWidth as number, clientWidth: root.clientWidth as number };
  });
  assert.ok(scrollWidth <= clientWidth, `${where}: the page is ${scrollWidth} px wide in a ${clientWidth} px window`);
}

/** A screenshot of the window, scrolled so that `top` is at its top. */
async function screenshot(page: Page, name: string, top: string): Promise<void> {
  await page.evaluate((selector) => (globalThis as any).document.querySelector(selector).scrollIntoView(), top);
  mkdirSync("test/.tmp/web", { recursive: true });
  const path = `test/.tmp/web/${name}.png`;
  await page.screenshot({ path });
  if (UPDATE_SCREENSHOTS) {
    mkdirSync("docs/screenshots", { recursive: true });
    copyFileSync(path, `docs/screenshots/${name}.png`);
  }
}

describe("the web client in a real browser", { skip: CHROMIUM ? false : NO_CHROMIUM }, () => {
  let game: TestGame;
  let browser: Browser;
  before(async () => {
    game = await TestGame.start({ worker: true, env: { RATE_LIMIT_ACTIONS: "1000", TELEGRAM_BOT_TOKEN: BOT_TOKEN } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await game?.close();
  });

  const playerId = async (username: string) => (await game.sql("select id from players where username = $1", [username]))[0].id as number;

  /**
   * Stage direction: an enemy at `locationId`, by default a Raider Warlord (his loot always holds
   * bottle caps) nearly beaten, and a player who can take his blows.
   */
  async function stageFight(username: string, locationId: string, enemyHp = 4, enemy = { type: "raider-warlord", maxHp: 230, sturdy: true }): Promise<number> {
    if (enemy.sturdy) await game.sql("update players set hp = 10000, max_hp = 10000 where id = $1", [await playerId(username)]);
    // Warlords staged here for earlier players, unless someone fights them now, make way.
    await game.sql(
      "delete from wandering_enemies e where location_id = $1 and enemy_type_id = $2 and not exists (select 1 from active_combats c where c.enemy_id = e.id and c.status = 'active')",
      [locationId, enemy.type],
    );
    const [row] = await game.sql("insert into wandering_enemies (enemy_type_id, location_id, hp, max_hp) values ($1, $2, $3, $4) returning id", [
      enemy.type,
      locationId,
      enemyHp,
      enemy.maxHp,
    ]);
    await game.cache.invalidate({ locations: [locationId] });
    return row.id;
  }

  async function turnsLogged(page: Page): Promise<number> {
    return page.getByRole("log").locator("li.turn").count();
  }

  /** Clicks Attack until the fight is over; returns the number of logged turns seen after each click. */
  async function attackUntilOver(page: Page, turnTimeoutMs = 15_000): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < 60; i++) {
      if (await page.getByText("You won the fight.").isVisible()) return seen;
      assert.equal(await page.getByText("You lost the fight.").count(), 0, "the player lost");
      const before = await turnsLogged(page);
      await page.getByRole("button", { name: "Attack", exact: true }).click();
      await eventually(
        async () => (await turnsLogged(page)) > before || (await page.getByText("You won the fight.").isVisible()),
        turnTimeoutMs,
        "the turn's result in the log",
      );
      seen.push(await turnsLogged(page));
    }
    throw new Error(`the fight did not end in 60 turns: ${seen.join(", ")}`);
  }

  it("plays a whole session through the page: sign up, walk two exits, win a fight live, pick up the loot, see the statistics change", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const requests = recordRequests(context);
    const page = await context.newPage();
    try {
      await page.goto(`${game.url}/play`);
      await page.getByLabel("Username").waitFor();
      await expectNoSeriousViolations(page, "the sign-in page");

      const username = await signUp(page, game.url);
      assert.equal(await textOf(page.getByRole("heading", { level: 1 })), START.name);
      await expectNoSeriousViolations(page, "the location view");
      const stat = (name: string) => textOf(page.locator(".stat", { has: page.getByText(name, { exact: true }) }).locator("dd"));
      await eventually(async () => (await stat("Kills")) === "0", 10_000, "statistics shown");
      const distanceBefore = Number(await stat("Distance travelled"));

      // Two exits: north to the gate, then on through the gate's own north exit.
      const first = START.exits.find((x) => x.direction === "north")!;
      const gate = LOCATIONS.get(first.to)!;
      const second = gate.exits.find((x) => x.direction === "north")!;
      const road = LOCATIONS.get(second.to)!;
      await page.getByRole("button", { name: `north to ${gate.name}` }).click();
      await page.getByRole("heading", { level: 1, name: gate.name }).waitFor();
      // Caps the world scattered on this ground would be a second "Pick up Bottle Cap": the only caps here are the Warlord's.
      await game.sql("delete from dropped_items where location_id = $1 and item_id = 'bottle-cap'", [road.id]);
      await stageFight(username, road.id);
      await page.getByRole("button", { name: `north to ${road.name}` }).click();
      await page.getByRole("heading", { level: 1, name: road.name }).waitFor();

      await page.getByRole("button", { name: "Fight Raider Warlord" }).click();
      await page.getByRole("heading", { name: "Fight: Raider Warlord" }).waitFor();
      await expectNoSeriousViolations(page, "the fight view");
      assert.equal(await turnsLogged(page), 0);
      const seen = await attackUntilOver(page);
      assert.ok(seen.length >= 1, "at least one turn was played");
      assert.deepEqual(
        seen,
        seen.map((_, i) => i + 1),
        "each attack added one turn to the log",
      );
      assert.ok(
        requests.some((u) => u.endsWith("/v1/events")),
        "the page opened the event stream",
      );
      assert.deepEqual(
        requests.filter((u) => u.includes("/v1/jobs/")),
        [],
        "every turn's result arrived on the event stream, none by polling",
      );

      // The Warlord always drops bottle caps; the loot worker puts them on the ground.
      const pickUpCaps = page.getByRole("button", { name: /^Pick up Bottle Cap/ });
      await pickUpCaps.waitFor({ timeout: 15_000 });
      await pickUpCaps.click();
      await page
        .getByRole("status")
        .getByText(/You pick up .*Bottle Cap/)
        .waitFor();
      await page.locator(".pack-items").getByText("Bottle Cap").waitFor();

      await eventually(async () => (await stat("Kills")) === "1", 15_000, "one kill counted");
      await eventually(async () => Number(await stat("Items looted")) > 0, 15_000, "the loot counted");
      assert.ok(Number(await stat("Damage dealt")) >= 4, "the Warlord's 4 HP dealt");
      assert.equal(Number(await stat("Distance travelled")), distanceBefore + 2);
      await page.getByRole("button", { name: "Kills", exact: true }).click();
      await page.locator(".board .me").getByText(username).waitFor();
    } finally {
      await context.close();
    }
  });

  it("uses and drops items from the pack, and picks several up at once", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    try {
      await signUp(page, game.url);
      // A quiet room, so that the ground holds only what this player drops.
      const tavern = LOCATIONS.get(START.exits.find((x) => x.direction === "in")!.to)!;
      await page.getByRole("button", { name: `in to ${tavern.name}` }).click();
      await page.getByRole("heading", { level: 1, name: tavern.name }).waitFor();
      await game.sql("delete from dropped_items where location_id = $1", [tavern.id]);
      await game.cache.invalidate({ locations: [tavern.id] });
      const pack = page.locator(".pack-items");
      await page.getByRole("button", { name: "Use Purified Water" }).click();
      await page.getByRole("status").getByText("You use the Purified Water.").waitFor();
      await pack.locator("li", { hasText: "Purified Water" }).getByText("×1").waitFor();

      await page.getByRole("button", { name: "Drop one Bandage" }).click();
      await page.getByRole("status").getByText("You drop Bandage ×1.").waitFor();
      await page.getByRole("button", { name: "Drop one Canned Beans" }).click();
      await page.getByRole("status").getByText("You drop Canned Beans ×1.").waitFor();
      await pack.locator("li", { hasText: "Bandage" }).getByText("×2").waitFor();
      await page.getByRole("button", { name: "Pick up Bandage ×1" }).waitFor();

      await page.getByRole("button", { name: "Pick up all 2" }).click();
      await page
        .getByRole("status")
        .getByText(/You pick up .*Bandage ×1/)
        .waitFor();
      await page.getByText("Nothing but ash.").waitFor();
      await pack.locator("li", { hasText: "Bandage" }).getByText("×3").waitFor();
      await pack.locator("li", { hasText: "Canned Beans" }).getByText("×2").waitFor();
    } finally {
      await context.close();
    }
  });

  it("lands signed in when Telegram opens it with signed launch data, in Telegram's colours", async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    try {
      const telegramId = 700_000 + Math.floor(Math.random() * 100_000);
      const initData = sign(
        { query_id: "AAHdF6IQAAAAAN0XohDhrOrc", user: { id: telegramId, first_name: "Ash", username: `tg_${telegramId}` } },
        BOT_TOKEN,
        new Date(),
      );
      const theme = { bg_color: "#1c2430", text_color: "#f5f5f5", hint_color: "#aab8c2", button_color: "#5288c1", button_text_color: "#ffffff" };
      const fragment = new URLSearchParams({
        tgWebAppData: initData,
        tgWebAppVersion: "8.0",
        tgWebAppPlatform: "android",
        tgWebAppThemeParams: JSON.stringify(theme),
      });
      await page.goto(`${game.url}/play#${fragment}`);
      await page.getByRole("heading", { level: 1, name: START.name }).waitFor();
      assert.equal(await page.getByLabel("Username").count(), 0, "no sign-in form");
      const [player] = await game.sql("select username from players where telegram_id = $1", [telegramId]);
      assert.equal(player.username, `tg_${telegramId}`);
      assert.equal(await textOf(page.locator(".who .name")), `tg_${telegramId}`);
      const colours = await page.evaluate(() => {
        const style = (globalThis as any).getComputedStyle((globalThis as any).document.body);
        return { background: style.backgroundColor as string, text: style.color as string };
      });
      assert.equal(colours.text, "rgb(245, 245, 245)");
      assert.equal(colours.background, "rgb(28, 36, 48)");
      assert.equal(new URL(page.url()).hash, "", "the signed launch data is cleared from the address");
    } finally {
      await context.close();
    }
  });

  it("falls back to polling each turn's job while the event stream is down", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const requests = recordRequests(context);
    const page = await context.newPage();
    // The stream never opens: every attempt is cut off before the server answers.
    await page.route("**/v1/events", (route) => route.abort("connectionreset"));
    try {
      const username = await signUp(page, game.url);
      await stageFight(username, START.id, 2);
      await page.reload();
      await page.getByRole("button", { name: "Fight Raider Warlord" }).click();
      await page.getByText("Live feed lost").waitFor();
      const seen = await attackUntilOver(page);
      assert.ok(seen.length >= 1);
      assert.ok(requests.filter((u) => u.includes("/v1/jobs/")).length >= seen.length, "each turn's job was polled");
    } finally {
      await context.close();
    }
  });

  it("shows a turn at once when its result came on the event stream before the 202 that names its job", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const requests = recordRequests(context);
    const page = await context.newPage();
    // Each action's answer is held back after the server sent it, so the worker's result is always first.
    await page.route("**/v1/combat/actions", async (route) => {
      const response = await route.fetch();
      await new Promise((r) => setTimeout(r, 1_000));
      await route.fulfill({ response });
    });
    try {
      const username = await signUp(page, game.url);
      await stageFight(username, START.id, 2);
      await page.reload();
      await page.getByRole("button", { name: "Fight Raider Warlord" }).click();
      await page.getByRole("heading", { name: "Fight: Raider Warlord" }).waitFor();
      // Far less than the 10 s after which the page would poll for a result it missed.
      const seen = await attackUntilOver(page, 5_000);
      assert.ok(seen.length >= 1);
      assert.deepEqual(
        requests.filter((u) => u.includes("/v1/jobs/")),
        [],
        "the result that came first was used, not polled for",
      );
    } finally {
      await context.close();
    }
  });

  it("loads nothing from any origin but the API's, and breaks none of its own policy", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const requests = recordRequests(context);
    const page = await context.newPage();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    try {
      const username = await signUp(page, game.url);
      await stageFight(username, START.id, 1);
      await page.getByRole("button", { name: "North to", exact: false }).first().click();
      await page.getByRole("heading", { level: 1, name: LOCATIONS.get(START.exits.find((x) => x.direction === "north")!.to)!.name }).waitFor();
      for (const board of ["XP", "Level", "Kills"]) {
        await page.getByRole("button", { name: board, exact: true }).click();
        await page.locator(".board .me").getByText(username).waitFor();
      }
      const origin = new URL(game.url).origin;
      const foreign = requests.filter((u) => new URL(u).origin !== origin);
      assert.deepEqual(foreign, [], "requests to other origins");
      assert.ok(
        requests.some((u) => /\/play\/assets\/main-[^/]+\.js$/.test(u)),
        "the script came from the API",
      );
      assert.ok(
        requests.some((u) => /\/assets\/items\/.+\.svg$/.test(u)),
        "item images came from the API",
      );
      assert.deepEqual(refused, []);
    } finally {
      await context.close();
    }
  });

  it("is usable at 360×640 and 1280×800 with no horizontal scrolling, and looks the part (screenshots)", async () => {
    for (const [size, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: size === "phone" ? 2 : 1 });
      const page = await context.newPage();
      try {
        const username = await signUp(page, game.url);
        const dog = ENEMY_TYPES.get("feral-dog")!;
        const enemyId = await stageFight(username, START.id, dog.maxHp, { type: dog.id, maxHp: dog.maxHp, sturdy: false });
        await page.reload();
        await page.getByRole("button", { name: `Fight ${dog.name}` }).waitFor();
        await expectNoHorizontalScroll(page, `${size} location view`);
        await screenshot(page, `location-${size}`, size === "phone" ? "h1" : "body");
        await page.getByRole("button", { name: `Fight ${dog.name}` }).click();
        for (let turn = 1; turn <= 3; turn++) {
          await page.getByRole("button", { name: "Attack", exact: true }).click();
          await eventually(async () => (await turnsLogged(page)) >= turn, 15_000, `turn ${turn} logged`);
        }
        await expectNoHorizontalScroll(page, `${size} fight view`);
        await screenshot(page, `fight-${size}`, size === "phone" ? ".fight" : "body");
        // Finish the Warlord off, so that the next screen finds the square without him (and with his loot).
        await game.sql("update wandering_enemies set hp = 1 where id = $1", [enemyId]);
        await attackUntilOver(page);
      } finally {
        await context.close();
      }
    }
  });
});
