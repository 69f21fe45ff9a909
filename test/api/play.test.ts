import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { TestGame } from "../support/game";

/** The URLs of the page's script, stylesheet and icon, as the page names them. */
function assetUrls(page: string): string[] {
  return [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
}

describe("the web client's page and files", () => {
  let game: TestGame;
  before(async () => {
    game = await TestGame.start();
  });
  after(() => game.close());

  it("sends / to /play", async () => {
    const res = await fetch(`${game.url}/`, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/play");
  });

  it("serves the page uncached, with a policy that allows this server only", async () => {
    const res = await fetch(`${game.url}/play`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    assert.equal(
      res.headers.get("content-security-policy"),
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self' https://web.telegram.org",
    );
    const page = await res.text();
    const urls = assetUrls(page);
    assert.equal(urls.length, 3, page);
    for (const url of urls) assert.match(url, /^\/play\/assets\/[a-z]+-[A-Za-z0-9]{8,10}\.(js|css|svg)$/);
    assert.doesNotMatch(page, /<script>|style=|\{\{/, "no inline script or style, and no placeholder left");
  });

  it("serves the hashed files for a year, immutable, with their types", async () => {
    const page = await (await fetch(`${game.url}/play`)).text();
    const types: Record<string, RegExp> = { js: /^text\/javascript/, css: /^text\/css/, svg: /^image\/svg\+xml$/ };
    for (const url of assetUrls(page)) {
      const res = await fetch(game.url + url);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assert.match(res.headers.get("content-type") ?? "", types[url.split(".").pop()!]!);
      assert.ok((await res.arrayBuffer()).byteLength > 100, url);
    }
  });

  it("answers 404 in the error shape for files it does not have", async () => {
    for (const path of ["/play/assets/main-00000000.js", "/play/assets/..%2Fpackage.json", "/play/assets/"]) {
      const res = await game.call("GET", path);
      assert.equal(res.status, 404, path);
      assert.equal(res.body.error.code, "not_found");
    }
  });
});

describe("the web client with an assets origin (a CDN)", () => {
  const cdn = "https://cdn.example.test";
  let game: TestGame;
  before(async () => {
    game = await TestGame.start({ env: { ASSETS_BASE_URL: `${cdn}/` } });
  });
  after(() => game.close());

  it("points every asset URL of the page at that origin, and its policy allows exactly it", async () => {
    const res = await fetch(`${game.url}/play`);
    const urls = assetUrls(await res.text());
    assert.equal(urls.length, 3);
    for (const url of urls) assert.ok(url.startsWith(`${cdn}/play/assets/`), url);
    const policy = res.headers.get("content-security-policy") ?? "";
    for (const directive of ["script-src", "style-src", "img-src", "font-src"]) assert.ok(policy.includes(`${directive} ${cdn};`), `${directive} in ${policy}`);
    assert.ok(policy.includes("connect-src 'self';"), "the page talks to the API only");
  });

  it("hands out item images on that origin, still served here for the CDN to pull", async () => {
    const { token } = await game.register();
    const item = (await game.call("GET", "/v1/items/rusty-pipe", { token })).body;
    assert.match(item.imageUrl, /^https:\/\/cdn\.example\.test\/assets\/items\/weapon\.[0-9a-f]{10}\.svg$/);
    const image = await fetch(game.url + item.imageUrl.slice(cdn.length));
    assert.equal(image.status, 200);
  });
});
