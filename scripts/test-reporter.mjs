// A node:test reporter that counts, per test file, the tests that passed, failed and were
// skipped, and writes the tally as JSON to the path in TEST_TALLY_FILE when the run ends.
// scripts/test.ts reads it: a file that ran no test at all (it exited early, or its suites
// never started) is a failure, not a silent pass.
import { writeFileSync } from "node:fs";

export default async function* tally(source) {
  const files = {};
  const of = (file) => (files[file] ??= { passed: 0, failed: 0, skipped: 0, todo: 0, failures: [] });
  for await (const event of source) {
    if (event.type !== "test:pass" && event.type !== "test:fail") continue;
    const { file, name, details, skip, todo } = event.data;
    if (!file) continue;
    const counts = of(file);
    // The runner reports each file as a test of its own, named by its path; suites are not tests either.
    if (name === file || details?.type === "suite") {
      if (event.type === "test:fail" && name === file && counts.failed === 0) {
        counts.failed++;
        counts.failures.push(`${name}: ${details?.error?.message ?? "failed"}`);
      }
      continue;
    }
    if (skip) counts.skipped++;
    else if (todo) counts.todo++;
    else if (event.type === "test:pass") counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(name);
    }
  }
  if (process.env.TEST_TALLY_FILE) writeFileSync(process.env.TEST_TALLY_FILE, JSON.stringify(files));
  yield "";
}
