import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

/** Clock ticks per second in /proc's CPU fields. */
const TICKS_PER_S = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): [0] is the state. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, every thread) a process has used since it started, in µs, read from
 * /proc/<pid>/stat: what `process.cpuUsage()` would report inside it. 0 once the process is gone.
 */
export function processCpuMicros(pid: number): number {
  const fields = statFields(pid);
  if (!fields) return 0;
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / TICKS_PER_S;
}

/**
 * Write system calls (write, writev and their kin) a process has made since it started, from
 * /proc/<pid>/io: on loopback each socket write also runs the receiving side's TCP path, so the
 * count says how many messages a process sent. Null once the process is gone or when /proc does
 * not let us read it.
 */
export function processWrites(pid: number): number | null {
  try {
    const found = /^syscw: (\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
    return found ? Number(found[1]) : null;
  } catch {
    return null;
  }
}

/** The live members of the process tree under `root`, itself included, with their /proc stat fields. */
function processTree(root: number): Map<number, string[]> {
  const fieldsOf = new Map<number, string[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const fields = statFields(pid);
    if (fields) fieldsOf.set(pid, fields);
  }
  const tree = new Map<number, string[]>();
  if (fieldsOf.has(root)) tree.set(root, fieldsOf.get(root)!);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, fields] of fieldsOf) {
      if (!tree.has(pid) && tree.has(Number(fields[1]))) {
        tree.set(pid, fields);
        grew = true;
      }
    }
  }
  return tree;
}

/**
 * CPU time of a process tree (PostgreSQL's postmaster and its backends), in µs: every live
 * member's own time, plus the time of members that exited and were reaped, which the kernel adds
 * to their parent's "children" fields.
 */
function treeCpuMicros(tree: Map<number, string[]>): number {
  let ticks = 0;
  for (const f of tree.values()) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  return (ticks * 1e6) / TICKS_PER_S;
}

/** Write system calls of each of `pids` whose count can be read, by pid. */
function writesOf(pids: Iterable<number>): Map<number, number> {
  const writes = new Map<number, number>();
  for (const pid of pids) {
    const n = processWrites(pid);
    if (n !== null) writes.set(pid, n);
  }
  return writes;
}

/** Busy and total CPU time of the whole machine (all cores) so far, in µs, from /proc/stat. */
function machineCpuMicros(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: ((total - idle) * 1e6) / TICKS_PER_S, total: (total * 1e6) / TICKS_PER_S };
}

/** Who is measured: one process by pid, or a process and everything it started. */
export type CpuSubject = number | { tree: number };

/** CPU used by each named subject, and by the whole machine, over a window of wall time. */
export interface CpuWindow {
  seconds: number;
  /** µs of CPU each subject used in the window. */
  micros: Record<string, number>;
  /** Share of one core each subject used, in %. */
  corePercent: Record<string, number>;
  /**
   * Write system calls each subject made in the window (see `processWrites`), counted process by
   * process: a member of a tree that started in the window counts whole, and one that exited in
   * it is left out. A subject whose counts cannot be read is absent.
   */
  writes: Record<string, number>;
  /** Share of the whole machine that was busy, in %. */
  machineBusyPercent: number;
}

interface Counters {
  micros: Record<string, number>;
  writes: Record<string, Map<number, number>>;
}

/**
 * Measures CPU over a window: `start()` reads every subject's counters, `stop()` reads them
 * again and returns the differences.
 */
export class CpuMeter {
  private before: Counters = { micros: {}, writes: {} };
  private machine = { busy: 0, total: 0 };
  private started = 0;

  constructor(private readonly subjects: Record<string, CpuSubject>) {}

  private read(): Counters {
    const counters: Counters = { micros: {}, writes: {} };
    for (const [name, subject] of Object.entries(this.subjects)) {
      if (typeof subject === "number") {
        counters.micros[name] = processCpuMicros(subject);
        counters.writes[name] = writesOf([subject]);
      } else {
        // One walk of /proc gives the tree for both counts.
        const tree = processTree(subject.tree);
        counters.micros[name] = treeCpuMicros(tree);
        counters.writes[name] = writesOf(tree.keys());
      }
    }
    return counters;
  }

  start(): void {
    this.started = performance.now();
    this.machine = machineCpuMicros();
    this.before = this.read();
  }

  stop(): CpuWindow {
    const after = this.read();
    const machine = machineCpuMicros();
    const seconds = (performance.now() - this.started) / 1000;
    const micros = Object.fromEntries(Object.entries(after.micros).map(([name, value]) => [name, Math.max(0, value - (this.before.micros[name] ?? 0))]));
    const writes: Record<string, number> = {};
    for (const [name, counts] of Object.entries(after.writes)) {
      if (counts.size === 0) continue;
      const before = this.before.writes[name];
      writes[name] = [...counts].reduce((sum, [pid, n]) => sum + n - (before?.get(pid) ?? 0), 0);
    }
    const corePercent = Object.fromEntries(Object.entries(micros).map(([name, value]) => [name, Math.round(value / (seconds * 1e4))]));
    const total = machine.total - this.machine.total;
    return {
      seconds,
      micros,
      corePercent,
      writes,
      machineBusyPercent: total > 0 ? Math.round(((machine.busy - this.machine.busy) / total) * 100) : 0,
    };
  }
}
