import { type ResolvedTurn, type TurnRef, turnKey } from "@echoes/db";

interface Waiting {
  ref: TurnRef;
  resolve(outcome: ResolvedTurn | null): void;
  reject(err: unknown): void;
}

export interface BatchSettings {
  /** Most turns in one batch. */
  size: number;
  /** Longest a turn waits for others to join its batch. */
  waitMs: number;
}

/**
 * Gathers the combat turns that arrive together and applies them as one batch: a batch goes
 * when it is full or when its first turn has waited `waitMs`. Each caller gets its own turn's
 * outcome. When the database refuses a batch for something in it, the batch is tried again turn
 * by turn, so only the turn at fault fails; when a dependency is down, every turn of the batch
 * fails, to be retried by its job.
 */
export class TurnBatcher {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Set<Waiting[]>();

  constructor(
    private readonly apply: (refs: TurnRef[]) => Promise<Map<string, ResolvedTurn | null>>,
    private readonly settings: BatchSettings,
    private readonly splittable: (err: unknown) => boolean,
    private readonly observe: (size: number, seconds: number) => void = () => undefined,
  ) {}

  /** Applies one turn with whatever others arrive with it; resolves with its outcome (null: no such accepted action). */
  submit(ref: TurnRef): Promise<ResolvedTurn | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ref, resolve, reject });
      if (this.waiting.length >= this.settings.size) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.settings.waitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length > 0) void this.run(batch);
  }

  /** Batches being applied now, and the turns in them. */
  get inFlight(): { batches: number; turns: number } {
    let turns = 0;
    for (const batch of this.running) turns += batch.length;
    return { batches: this.running.size, turns };
  }

  private async run(batch: Waiting[]): Promise<void> {
    const started = performance.now();
    this.running.add(batch);
    let outcomes: Map<string, ResolvedTurn | null>;
    try {
      outcomes = await this.apply(batch.map((w) => w.ref));
    } catch (err) {
      this.running.delete(batch);
      if (batch.length === 1 || !this.splittable(err)) {
        for (const w of batch) w.reject(err);
        return;
      }
      await Promise.all(batch.map((w) => this.run([w])));
      return;
    }
    this.running.delete(batch);
    this.observe(batch.length, (performance.now() - started) / 1000);
    for (const w of batch) w.resolve(outcomes.get(turnKey(w.ref)) ?? null);
  }
}
