interface Waiting<In, Out> {
  item: In;
  resolve(outcome: Out): void;
  reject(err: unknown): void;
}

export interface BatchPolicy {
  /** Most items in one batch. */
  size: number;
  /**
   * Longest the first item of a batch waits for others to join it. With 0 the batch goes at the
   * end of this turn of the event loop, with whatever else arrived in it: no time is added.
   */
  waitMs: number;
  /** Most batches applied at once (default: no limit); items beyond wait for one to finish, and go together then. */
  inFlight?: number;
}

/**
 * Gathers the items that arrive together and applies them as one batch: a batch goes when it is
 * full, or when its first item has waited `waitMs`, and while fewer than `inFlight` batches are
 * being applied. `apply` gives one outcome per item, in their order, and each caller gets its
 * own. When `apply` fails for something in the batch (`splittable` says so), the batch is tried
 * again item by item, so only the item at fault fails; otherwise (a dependency is down) every
 * item of the batch fails with that error.
 */
export class Batcher<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private readonly running = new Set<Waiting<In, Out>[]>();
  private readonly limit: number;

  constructor(
    private readonly apply: (items: In[]) => Promise<Out[]>,
    private readonly policy: BatchPolicy,
    private readonly splittable: (err: unknown) => boolean,
    private readonly observe: (size: number, seconds: number) => void = () => undefined,
  ) {
    this.limit = policy.inFlight ?? Number.POSITIVE_INFINITY;
  }

  /** Applies one item with whatever others arrive with it; resolves with its outcome. */
  submit(item: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.policy.size) this.flush();
      else this.timer ??= this.policy.waitMs > 0 ? setTimeout(() => this.due(), this.policy.waitMs) : setImmediate(() => this.due());
    });
  }

  /** Batches being applied now, and the items in them. */
  get inFlight(): { batches: number; items: number } {
    let items = 0;
    for (const batch of this.running) items += batch.length;
    return { batches: this.running.size, items };
  }

  private due(): void {
    this.timer = null;
    this.flush();
  }

  /** Starts batches of what is waiting while there is room; what is left goes when a batch finishes. */
  private flush(): void {
    this.cancelTimer();
    while (this.waiting.length > 0 && this.running.size < this.limit) {
      const batch = this.waiting.slice(0, this.policy.size);
      this.waiting = this.waiting.slice(batch.length);
      this.running.add(batch);
      void this.run(batch);
    }
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  /** Applies a batch and resolves its callers; throws when it failed (no caller is told then). */
  private async applied(batch: Waiting<In, Out>[]): Promise<void> {
    const started = performance.now();
    const outcomes = await this.apply(batch.map((w) => w.item));
    this.observe(batch.length, (performance.now() - started) / 1000);
    for (const [i, w] of batch.entries()) w.resolve(outcomes[i]!);
  }

  private async run(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      await this.applied(batch);
    } catch (err) {
      if (batch.length === 1 || !this.splittable(err)) for (const w of batch) w.reject(err);
      else await Promise.all(batch.map((w) => this.applied([w]).catch(w.reject)));
    } finally {
      this.running.delete(batch);
      // Items that arrived while every slot was taken have waited long enough.
      if (this.waiting.length > 0 && this.running.size < this.limit) this.flush();
    }
  }
}
