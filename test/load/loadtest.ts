// `npm run loadtest -- [--url http://localhost:3000] [--players 500] [--duration 30] [--out file]`
// Signs up N virtual players, then has each play the game's request mix as fast as the server
// answers, over keep-alive connections, for D seconds. Prints throughput, success rate, latency
// per route and errors; writes the same as JSON; exits 1 if any request failed.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { LoadClient, formatReport, showProgress } from "./engine";
import { PREDICTED, play, signUp } from "./game-scenario";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: process.env.LOADTEST_URL ?? "http://localhost:3000" },
    players: { type: "string", default: "500" },
    duration: { type: "string", default: "30" },
    connections: { type: "string" },
    out: { type: "string", default: "loadtest-report.json" },
  },
});

async function main(): Promise<void> {
  const players = Number(values.players);
  const durationS = Number(values.duration);
  if (!Number.isInteger(players) || players < 1 || !(durationS > 0))
    throw new Error("--players takes a positive integer and --duration a positive number of seconds");
  const connections = Number(values.connections ?? Math.min(players, 256));
  const client = new LoadClient(values.url!, connections, { predicted: PREDICTED });
  console.log(`signing up ${players} players at ${values.url} ...`);
  const roster = await signUp(client, players);
  console.log(`playing for ${durationS} s over ${connections} connections`);
  client.startMeasuring();
  const stop = showProgress(client, durationS);
  await play(client, roster, durationS);
  client.stopMeasuring();
  stop();
  await client.close();
  const report = client.report(players);
  writeFileSync(values.out!, JSON.stringify(report, null, 2));
  console.log(formatReport(report));
  console.log(`\nreport written to ${values.out}`);
  process.exitCode = report.failed > 0 ? 1 : 0;
}

main().catch((err: Error) => {
  console.error(`loadtest: ${err.message}`);
  process.exit(1);
});
