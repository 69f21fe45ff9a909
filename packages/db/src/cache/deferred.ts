import type { Logger } from "@echoes/shared";
import type { Group } from "./keys";

/**
 * Invalidations that Redis did not take (it was unreachable, or a command timed out), kept to be
 * sent again until it does. While a group's invalidation waits here, what Redis holds for it may
 * be stale, so readers of this process go to the database for it.
 */
export class DeferredInvalidations {
  private readonly pending = new Map<string, Group>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly send: (groups: Group[]) => Promise<void>,
    private readonly ready: () => boolean,
    private readonly logger: Logger,
  ) {
    // A timed-out command leaves the connection up, so "ready" may never come again: retry on a timer.
    this.timer = setInterval(() => void this.replay(), 1_000);
    this.timer.unref();
  }

  has(group: Group): boolean {
    return this.pending.has(group.id);
  }

  defer(groups: Group[], err: Error): void {
    for (const g of groups) this.pending.set(g.id, g);
    this.logger.warn({ err: err.message, pending: this.pending.size }, "cache invalidation deferred until Redis is back");
  }

  /** Sends what waits; the groups Redis takes stop waiting. */
  async replay(): Promise<void> {
    if (this.pending.size === 0 || !this.ready()) return;
    const groups = [...this.pending.values()];
    this.logger.info({ count: groups.length }, "replaying deferred cache invalidations");
    try {
      await this.send(groups);
      for (const g of groups) this.pending.delete(g.id);
    } catch {
      // Still unreachable: the next tick tries again.
    }
  }

  get size(): number {
    return this.pending.size;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
