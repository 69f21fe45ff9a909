// The location view as the game serves it from its cache, beside the reference server (Hono and
// one Redis GET) measured alternately in the same run, and with the cache off.
import { Redis } from "ioredis";
import { CpuMeter } from "./cpu";
import { Game, type Infra, type Throughput, hammer, makePlayers, round, startReference } from "./bench-stack";

/** A throughput run, with the CPU the serving process used per request. */
export interface MeasuredRun extends Throughput {
  cpuUs: number;
}

async function measured(pid: number, run: () => Promise<Throughput>): Promise<MeasuredRun> {
  const cpu = new CpuMeter({ server: pid });
  cpu.start();
  const result = await run();
  const window = cpu.stop();
  return { ...result, cpuUs: Math.round(window.micros.server! / Math.max(1, result.requests)) };
}

/** Reference server and the cached location view, alternately, twice each; the median of each side. */
export async function cachedRead(base: Record<string, string>, infra: Infra, dbUrl: string, seconds: number) {
  const game = await Game.start(base);
  const players = await makePlayers(dbUrl, base.JWT_SECRET!, 100, "maple-row");
  const tokens = players.map((p) => p.token);
  for (const token of tokens) await fetch(`${game.url}/v1/location`, { headers: { authorization: `Bearer ${token}` } });
  const view = await (await fetch(`${game.url}/v1/location`, { headers: { authorization: `Bearer ${tokens[0]}` } })).text();
  const redis = new Redis(infra.redisUrl);
  await redis.set("bench:reference", view);
  redis.disconnect();
  const reference = await startReference(infra.redisUrl, "bench:reference");
  // Not counted: lets the JIT compile both paths before either is measured.
  await hammer(`${reference.url}/reference`, null, 1);
  await hammer(`${game.url}/v1/location`, tokens, 1);
  const refRuns: MeasuredRun[] = [];
  const gameRuns: MeasuredRun[] = [];
  for (let i = 0; i < 2; i++) {
    refRuns.push(await measured(reference.pid, () => hammer(`${reference.url}/reference`, null, seconds)));
    gameRuns.push(await measured(game.pids.api, () => hammer(`${game.url}/v1/location`, tokens, seconds)));
  }
  await reference.stop();
  await game.stop();
  const median = (runs: MeasuredRun[]) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
  const ref = median(refRuns);
  const cached = median(gameRuns);
  return {
    reference: ref,
    cached,
    ratio: round(cached.rps / ref.rps, 3),
    cpuRatio: round(cached.cpuUs / Math.max(1, ref.cpuUs), 1),
    viewBytes: Buffer.byteLength(view),
    runs: { reference: refRuns, cached: gameRuns },
  };
}

export async function uncachedRead(base: Record<string, string>, dbUrl: string, seconds: number): Promise<MeasuredRun> {
  const game = await Game.start(base, { CACHE_ENABLED: "false" });
  const players = await makePlayers(dbUrl, base.JWT_SECRET!, 100, "maple-row");
  const tokens = players.map((p) => p.token);
  const result = await measured(game.pids.api, () => hammer(`${game.url}/v1/location`, tokens, seconds));
  await game.stop();
  return result;
}
