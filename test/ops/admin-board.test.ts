import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { QUEUE_NAMES } from "@echoes/shared";
import { CHROMIUM, NO_CHROMIUM, launchChromium } from "../support/browser";
import { TestGame } from "../support/game";

const ADMIN = { username: "ops", password: "board-password-1234" };

describe("the queue dashboard in a real browser", { skip: CHROMIUM ? false : NO_CHROMIUM }, () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ worker: true, env: { ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password } });
  });
  after(() => game.close());

  it("answers 401 without credentials", async () => {
    const res = await fetch(`${game.url}/admin/queues`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /Basic/);
  });

  it("renders /admin/queues in headless Chromium with every queue listed", async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ httpCredentials: ADMIN });
      const page = await context.newPage();
      const response = await page.goto(`${game.url}/admin/queues`);
      assert.equal(response?.status(), 200);
      for (const name of QUEUE_NAMES) await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
      assert.match(await page.title(), /Echoes of the Ashes/);
      mkdirSync("test/.tmp", { recursive: true });
      await page.screenshot({ path: "test/.tmp/admin-queues.png", fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
