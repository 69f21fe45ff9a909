// How many players one machine serves: each virtual player plays the mixed load's request mix at
// a human pace (a request every 1–2 s, open loop), and the number of players rises in steps.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { ITEMS, WORLD } from "@echoes/shared";
import type { CpuWindow } from "./cpu";
import { Game, type Infra, makePlayers, say, sleep, sql } from "./bench-stack";
import { LoadClient, type LoadReport } from "./engine";
import { PREDICTED, newPlayer, playAtPace } from "./game-scenario";
import { gameCpu } from "./mixed";

/** The bar a step must clear. */
export const PACE_BAR = { p99Ms: 100, failed: 0 } as const;
/** Time between two requests of one player, ms (uniformly random). */
export const THINK_MS: [number, number] = [1000, 2000];

export interface PaceStep {
  players: number;
  /** Requests per second the players mean to send (players ÷ mean think time). */
  offeredRps: number;
  report: LoadReport;
  cpu: CpuWindow;
  /** The load generator's event-loop delay, p99 ms: how late its own timers ran. */
  generatorLagP99Ms: number;
  apiRssMb: number;
  passed: boolean;
}

/** Players as registration makes them: at the start, with the starter kit, weapon and armour worn. */
async function starterPlayers(dbUrl: string, secret: string, count: number) {
  const players = await makePlayers(dbUrl, secret, count, WORLD.startLocationId, WORLD.starterKit);
  const worn = (kind: string) => WORLD.starterKit.find((k) => ITEMS.get(k.itemId)?.kind === kind)?.itemId ?? null;
  await sql(dbUrl, "update players set weapon_item_id = $2, armour_item_id = $3 where id = any($1)", [
    players.map((p) => p.id),
    worn("weapon"),
    worn("armour"),
  ]);
  return players;
}

/**
 * Ramps players up in `steps`: each step's new players start at random moments over `rampS`,
 * then every player plays on while the step is measured for `holdS`. Stops after the first
 * step that misses the bar (p99 ≤ 100 ms, no failure); the figure is the largest step that met it.
 */
export async function playersPerMachine(base: Record<string, string>, infra: Infra, dbUrl: string, steps: number[], rampS: number, holdS: number) {
  const game = await Game.start(base);
  const most = Math.max(...steps);
  const made = performance.now();
  const roster = (await starterPlayers(dbUrl, base.JWT_SECRET!, most)).map((p) => newPlayer(p.token));
  const signUpS = Math.round((performance.now() - made) / 100) / 10;
  const connections = Math.min(most, 1024);
  const client = new LoadClient(game.url, connections, { predicted: PREDICTED });
  const stop = { stopped: false };
  const playing: Promise<void>[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const results: PaceStep[] = [];
  for (const players of steps) {
    const start = performance.now();
    for (const p of roster.slice(playing.length, players)) playing.push(playAtPace(client, p, start + Math.random() * rampS * 1000, stop, THINK_MS));
    await sleep(rampS * 1000);
    const cpu = gameCpu(game, infra);
    lag.reset();
    cpu.start();
    client.startMeasuring();
    await sleep(holdS * 1000);
    client.stopMeasuring();
    const window = cpu.stop();
    const report = client.report(players);
    const passed = report.p99Ms <= PACE_BAR.p99Ms && report.failed <= PACE_BAR.failed;
    const step: PaceStep = {
      players,
      offeredRps: Math.round(players / ((THINK_MS[0] + THINK_MS[1]) / 2000)),
      report,
      cpu: window,
      generatorLagP99Ms: Math.round(lag.percentile(99) / 1e4) / 100,
      apiRssMb: Game.rss(game.api),
      passed,
    };
    results.push(step);
    say(
      `${players} players at a human pace: ${report.throughput} req/s, p99 ${report.p99Ms} ms, ${report.failed} failed; CPU % of a core: API ${window.corePercent.api}, generator ${window.corePercent.generator}, machine busy ${window.machineBusyPercent} %`,
    );
    if (!passed) break;
  }
  stop.stopped = true;
  await Promise.all(playing);
  lag.disable();
  await client.close();
  await game.stop();
  const met = results.filter((s) => s.passed);
  return { steps: results, players: met.length > 0 ? Math.max(...met.map((s) => s.players)) : 0, rampS, holdS, connections, signUpS };
}
