// `npm test [paths...]`: prepares a migrated, seeded template database once (cloned by every
// test file into its own database), makes sure Redis answers, then runs node's test runner
// over test/**/*.test.ts (or the given paths).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { devNull, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import pg from "pg";
import { runMigrations, seedWorld } from "@echoes/db";
import { freePort, startEmbeddedPostgres } from "@echoes/db/embedded";
import { renderReliability } from "./reliability";
import { hasRedisServer, listening, startRedisServer } from "./services";

const say = (line: string) => console.log(`[test] ${line}`);

function filesUnder(path: string, pattern: RegExp): string[] {
  if (statSync(path).isFile()) return pattern.test(path) ? [path] : [];
  return readdirSync(path)
    .flatMap((entry) => filesUnder(join(path, entry), pattern))
    .sort();
}

/** Names the template after everything that shapes its contents, so a changed schema or world gets a new one. */
function templateName(): string {
  const hash = createHash("sha256");
  for (const file of [...filesUnder("packages/db/drizzle", /\.(sql|json)$/), ...filesUnder("packages/shared/src/world", /\.ts$/), "packages/db/src/seed.ts"]) {
    hash.update(file).update(readFileSync(file));
  }
  return `echoes_test_tpl_${hash.digest("hex").slice(0, 12)}`;
}

async function prepareTemplate(adminUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("select pg_advisory_lock(7466813002)");
    // Databases left behind: templates no run has used for a day (another checkout of other code
    // may still be using its own) and test databases over an hour old, from interrupted runs.
    const stale = await admin.query<{ datname: string }>(
      `select datname from pg_database
       where (datname like 'echoes_test_tpl_%' and datname <> $1
              and coalesce(substring(shobj_description(oid, 'pg_database') from '^last used (\\d+)$')::bigint, 0) < extract(epoch from now()) - 86400)
          or (datname ~ '^echoes_t_[0-9]+_' and split_part(datname, '_', 3)::bigint < extract(epoch from now()) - 3600)`,
      [name],
    );
    for (const { datname } of stale.rows) await admin.query(`drop database if exists ${datname}`).catch(() => undefined);
    const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
    const markUsed = () => admin.query(`comment on database ${name} is 'last used ${Math.floor(Date.now() / 1000)}'`);
    if (exists.rowCount) {
      await markUsed();
      return;
    }
    const building = `${name}_building`;
    await admin.query(`drop database if exists ${building} with (force)`);
    await admin.query(`create database ${building}`);
    const url = new URL(adminUrl);
    url.pathname = `/${building}`;
    await runMigrations(url.toString());
    await seedWorld(url.toString());
    await admin.query(`alter database ${building} rename to ${name}`);
    await markUsed();
    say(`prepared template database ${name}`);
  } finally {
    await admin.query("select pg_advisory_unlock(7466813002)").catch(() => undefined);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const targets = process.argv.slice(2);
  const files = (targets.length > 0 ? targets : ["test"]).flatMap((t) => filesUnder(t, /\.test\.ts$/));
  if (files.length === 0) throw new Error(`no test files under ${targets.join(" ")}`);

  const cleanups: (() => Promise<void>)[] = [];
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres(process.env.ECHOES_DATA_DIR ?? ".data", "postgres", () => undefined);
    adminUrl = embedded.url;
    cleanups.push(embedded.stop);
    say("no DATABASE_URL: using the embedded PostgreSQL under .data/");
  }
  let redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redis = new URL(redisUrl);
  if (!(await listening(redis.hostname, Number(redis.port || 6379)))) {
    if (!hasRedisServer()) throw new Error(`nothing answers at ${redisUrl}; start Redis or set REDIS_URL`);
    const server = await startRedisServer(await freePort(), join(process.env.ECHOES_DATA_DIR ?? ".data", "test-redis"), { appendonly: false });
    redisUrl = server.url;
    cleanups.push(server.stop);
    say(`started a private redis-server at ${redisUrl}`);
  }

  const template = templateName();
  await prepareTemplate(adminUrl, template);
  // The API under test serves the web client from its build; build it from the current source.
  execFileSync(process.execPath, [join(import.meta.dirname, "build-web.mjs")], { stdio: "inherit" });

  const concurrency = process.env.TEST_CONCURRENCY ?? "3";
  say(`running ${files.length} test files (${concurrency} at a time)`);
  // The reporter's counts (tests.json) and, from every test process, the answers checked against
  // the OpenAPI document (responses-*.ndjson).
  const tallyDir = mkdtempSync(join(tmpdir(), "echoes-test-tally-"));
  const tallyFile = join(tallyDir, "tests.json");
  const code = await new Promise<number>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        `--test-concurrency=${concurrency}`,
        `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 600_000}`,
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        `--test-reporter=${join(import.meta.dirname, "test-reporter.mjs")}`,
        `--test-reporter-destination=${devNull}`,
        ...files.map((f) => relative(process.cwd(), f)),
      ],
      {
        stdio: "inherit",
        env: {
          ...process.env,
          TEST_ADMIN_DATABASE_URL: adminUrl,
          TEST_TEMPLATE_DATABASE: template,
          TEST_REDIS_URL: redisUrl,
          TEST_TALLY_FILE: tallyFile,
          TEST_TALLY_DIR: tallyDir,
        },
      },
    );
    child.once("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  if (files.some((f) => f.includes(join("test", "faults")))) {
    const rows = renderReliability();
    if (rows > 0) say(`wrote docs/RELIABILITY.md (${rows} rows)`);
  }
  const summary = summarize(files, tallyFile);
  const answers = checkedAnswers(tallyDir);
  rmSync(tallyDir, { recursive: true, force: true });
  for (const problem of summary.problems) console.log(`[test] ${problem}`);
  for (const mismatch of answers.mismatches.slice(0, 20)) console.log(`[test] contract mismatch: ${mismatch}`);
  say(`${answers.checked} responses validated against the OpenAPI document, ${answers.mismatches.length} mismatches`);
  // A mismatch fails the test that got it; one swallowed by a test's own error handling still fails the run.
  if (answers.mismatches.length > 0) summary.failed++;
  // The run's last line, for whoever reads only that. A cancelled test (a file that timed out or
  // never finished) and a file that ran no test at all are failures.
  console.log(`${summary.skipped} skipped, ${summary.passed} passed, ${summary.failed} failed`);
  process.exit(summary.failed > 0 ? code || 1 : code);
}

/** The answers that test processes checked against the OpenAPI document, and the mismatches among them. */
function checkedAnswers(dir: string): { checked: number; mismatches: string[] } {
  let checked = 0;
  const mismatches: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.startsWith("responses-"))) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (!line) continue;
      checked++;
      const answer = JSON.parse(line) as { problem?: string };
      if (answer.problem) mismatches.push(answer.problem);
    }
  }
  return { checked, mismatches };
}

/** Totals over every test file, from the reporter's tally; a file that ran no test counts as one failure. */
function summarize(files: string[], tallyFile: string): { passed: number; failed: number; skipped: number; problems: string[] } {
  const tally: Record<string, { passed: number; failed: number; skipped: number; todo: number }> = existsSync(tallyFile)
    ? JSON.parse(readFileSync(tallyFile, "utf8"))
    : {};
  rmSync(tallyFile, { force: true });
  const totals = { passed: 0, failed: 0, skipped: 0, problems: [] as string[] };
  for (const file of files) {
    const counts = tally[resolve(file)];
    if (!counts || counts.passed + counts.failed + counts.skipped + counts.todo === 0) {
      totals.failed++;
      totals.problems.push(`${file} ran no test: it ended before its tests started`);
      continue;
    }
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped + counts.todo;
  }
  return totals;
}

main().catch((err: Error) => {
  console.error(`[test] ${err.message}`);
  process.exit(1);
});
