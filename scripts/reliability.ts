// Renders docs/RELIABILITY.md from the figures the fault suite recorded in its last run.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const DIR = join("test", ".tmp", "reliability");

interface Entry {
  id: string;
  fault: string;
  how: string;
  held: string;
  numbers: Record<string, number | string>;
  at: string;
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Writes the table when the fault suite left figures; returns how many rows it wrote. */
export function renderReliability(out = join("docs", "RELIABILITY.md")): number {
  if (!existsSync(DIR)) return 0;
  const entries = readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(DIR, f), "utf8")) as Entry)
    .sort((a, b) => a.id.localeCompare(b.id));
  if (entries.length === 0) return 0;
  const lines = [
    "# Reliability",
    "",
    "What the fault, race and abuse suite (`npm run test:faults`, part of `npm test`) does to a running",
    "game and what held. Each fault test runs the API and the worker as real processes against a",
    "PostgreSQL and a Redis of its own on free ports, breaks them on purpose, and compares what clients",
    "were told (every 202, every answer) with what PostgreSQL holds afterwards. This file is written",
    "by the suite: each row is the latest run of its test.",
    "",
    "| fault or attack | how the test makes it | what held | numbers |",
    "| --- | --- | --- | --- |",
    ...entries.map(
      (e) =>
        `| ${cell(e.fault)} | ${cell(e.how)} | ${cell(e.held)} | ${Object.entries(e.numbers)
          .map(([k, v]) => `${cell(k)}: ${typeof v === "number" ? v.toLocaleString("en-US") : cell(v)}`)
          .join("<br>")} |`,
    ),
    "",
    `Runs between ${entries.map((e) => e.at).sort()[0]} and ${entries
      .map((e) => e.at)
      .sort()
      .at(-1)}, on ${process.platform} with Node.js ${process.version}.`,
    "",
  ];
  writeFileSync(out, lines.join("\n"));
  return entries.length;
}
