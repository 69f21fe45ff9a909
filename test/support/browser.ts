import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type Page, chromium } from "playwright-core";
import { which } from "./ops";

/** Debian's Chromium, or null when it is not installed (browser tests then skip, saying why). */
export const CHROMIUM = which("chromium", ["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
export const NO_CHROMIUM = "chromium is not installed (apt-get install chromium)";

/** Headless Chromium that reaches out to nothing by itself (no updates, no sync, no first-run pages). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface Violation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (evaluated by the driver, so the page's Content-Security-Policy
 * stays as it is) and returns its serious and critical findings.
 */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as any).axe;
    const result = await axe.run((globalThis as any).document, { resultTypes: ["violations"] });
    return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: any) => n.target.join(" ")) }));
  });
  return (violations as Violation[]).filter((v) => v.impact === "serious" || v.impact === "critical");
}
