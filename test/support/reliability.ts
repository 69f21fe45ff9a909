import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Where fault tests leave their figures for docs/RELIABILITY.md (scripts/reliability.ts renders it). */
export const RELIABILITY_DIR = join("test", ".tmp", "reliability");

export interface ReliabilityEntry {
  /** Stable id; also orders the table. */
  id: string;
  fault: string;
  how: string;
  held: string;
  numbers: Record<string, number | string>;
}

export function recordReliability(entry: ReliabilityEntry): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  writeFileSync(join(RELIABILITY_DIR, `${entry.id}.json`), JSON.stringify({ ...entry, at: new Date().toISOString() }, null, 2));
}
