// The location view's query on a large synthetic world: its plan and its round-trip time.
import pg from "pg";
import { LOCATION_VIEW_SQL, runMigrations, seedSynthetic, seedWorld } from "@echoes/db";
import { createDatabase, percentile, round, sql } from "./bench-stack";

/** EXPLAIN and timing of the location query on `size` players and dropped items. */
export async function locationQuery(adminUrl: string, size: { players: number; droppedItems: number }) {
  const url = await createDatabase(adminUrl, "echoes_synthetic");
  await runMigrations(url);
  await seedWorld(url);
  const started = performance.now();
  const made = await seedSynthetic(url, size);
  const seedSeconds = round((performance.now() - started) / 1000, 1);
  await sql(url, "vacuum analyze");
  const [{ id: busiest }] = await sql(url, "select location_id as id from dropped_items group by 1 order by count(*) desc limit 1");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const plan = (await client.query(`explain (analyze, buffers, format json) ${LOCATION_VIEW_SQL}`, [busiest])).rows[0]["QUERY PLAN"][0];
  const text = (await client.query(`explain (analyze, buffers) ${LOCATION_VIEW_SQL}`, [busiest])).rows.map((r) => r["QUERY PLAN"]).join("\n");
  const scans: { node: string; relation: string }[] = [];
  const walk = (node: any) => {
    if (/Scan/.test(node["Node Type"])) scans.push({ node: node["Node Type"], relation: node["Relation Name"] ?? node["Index Name"] ?? "" });
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan.Plan);
  const sizes: Record<string, number> = Object.fromEntries(
    (
      await client.query(`select relname, n_live_tup::int as rows from pg_stat_user_tables where relname in ('players', 'dropped_items', 'wandering_enemies')`)
    ).rows.map((r) => [r.relname, r.rows]),
  );
  const timings = { unnamed: Number.NaN, named: Number.NaN, unnamedP99: Number.NaN, namedP99: Number.NaN };
  for (const named of [false, true]) {
    const samples: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await client.query(named ? { name: "bench_location_view", text: LOCATION_VIEW_SQL, values: [busiest] } : { text: LOCATION_VIEW_SQL, values: [busiest] });
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    if (named) {
      timings.named = round(percentile(samples, 50), 3);
      timings.namedP99 = round(percentile(samples, 99), 3);
    } else {
      timings.unnamed = round(percentile(samples, 50), 3);
      timings.unnamedP99 = round(percentile(samples, 99), 3);
    }
  }
  await client.end();
  return {
    made,
    seedSeconds,
    location: busiest,
    scans,
    sizes,
    executionMs: round(plan["Execution Time"], 3),
    planningMs: round(plan["Planning Time"], 3),
    timings,
    text,
  };
}
