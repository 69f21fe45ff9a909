import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { chromium } from "playwright-core";
import { TestGame } from "../support/game";
import { which } from "../support/ops";

const browserPath = which("chromium", ["/usr/bin/chromium", "/usr/bin/chromium-browser"]);

describe("the API reference at /docs, offline", { skip: browserPath ? false : "chromium is not installed (apt-get install chromium)" }, () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start();
  });
  after(() => game.close());

  it("is served by the API: its scripts under content-hashed names, cached for a year, the page under a CSP that allows this server only", async () => {
    const page = await game.call("GET", "/docs");
    assert.equal(page.status, 200);
    const csp = page.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    for (const directive of csp.split(";").map((d) => d.trim())) {
      const [name, ...sources] = directive.split(/\s+/);
      // Inline styles are the one thing beyond this server's files (the reference writes some at run time).
      const allowed = name === "style-src" ? ["'self'", "'unsafe-inline'"] : ["'self'", "'none'"];
      assert.ok(
        sources.every((s) => allowed.includes(s)),
        `${directive} allows nothing beyond this server`,
      );
    }
    const scripts = [...page.body.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]!);
    assert.equal(scripts.length, 2);
    for (const src of scripts) {
      assert.match(src, /^\/docs\/[a-z]+\.[0-9a-f]{12}\.js$/);
      const res = await fetch(game.url + src);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.match(res.headers.get("content-type") ?? "", /^text\/javascript/);
      assert.ok((await res.text()).length > 0);
    }
    assert.doesNotMatch(page.body, /https?:\/\//, "the page names no other server");
  });

  it("renders in headless Chromium with every other host blocked, listing every route", async () => {
    const doc = (await game.call("GET", "/openapi.json")).body;
    const browser = await chromium.launch({
      executablePath: browserPath!,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const elsewhere: string[] = [];
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (new URL(url).origin === game.url) return route.continue();
        elsewhere.push(url);
        return route.abort("internetdisconnected");
      });
      const page = await context.newPage();
      const violations: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
      });
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(err.message));
      const response = await page.goto(`${game.url}/docs`);
      assert.equal(response?.status(), 200);
      await page.getByText(doc.info.title).first().waitFor({ timeout: 30_000 });
      mkdirSync("test/.tmp", { recursive: true });
      await page.screenshot({ path: "test/.tmp/api-reference.png" });
      const summaries = Object.values(doc.paths).flatMap((item: any) => Object.values(item).map((op: any) => op.summary as string));
      for (const summary of summaries) await page.getByText(summary, { exact: true }).first().waitFor({ state: "attached", timeout: 10_000 });
      assert.deepEqual(errors, [], "no script error");
      assert.deepEqual(violations, [], "nothing the page needs is refused by its CSP");
      assert.deepEqual(elsewhere, [], "the page asked no other host for anything");
    } finally {
      await browser.close();
    }
  });
});
