import { type Logger, type PlayerEvent, type RedisClient, playerEventsChannel } from "@echoes/shared";

/** Hears a player's event, parsed, and as it came (JSON on one line), to pass on without writing it again. */
type Listener = (event: PlayerEvent, json: string) => void;

/**
 * Delivers players' job results to their open event streams. One Redis subscription per API
 * process: a player's channel is subscribed while at least one of their streams is open here.
 */
export class EventHub {
  private readonly listeners = new Map<number, Set<Listener>>();
  private readonly closers = new Set<() => void>();

  constructor(
    private readonly subscriber: RedisClient,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    subscriber.on("message", (channel: string, message: string) => this.dispatch(channel, message));
  }

  private playerOf(channel: string): number | null {
    const id = Number(channel.slice(channel.lastIndexOf(":") + 1));
    return Number.isSafeInteger(id) ? id : null;
  }

  private dispatch(channel: string, message: string): void {
    const playerId = this.playerOf(channel);
    const listeners = playerId === null ? undefined : this.listeners.get(playerId);
    if (!listeners) return;
    let event: PlayerEvent;
    try {
      event = JSON.parse(message) as PlayerEvent;
    } catch {
      this.logger.warn({ channel }, "dropped an event that is not JSON");
      return;
    }
    for (const listener of listeners) listener(event, message);
  }

  /** Starts delivering a player's events to `listener`; returns the function that stops it. */
  async subscribe(playerId: number, listener: Listener): Promise<() => Promise<void>> {
    let set = this.listeners.get(playerId);
    if (!set) {
      set = new Set();
      this.listeners.set(playerId, set);
      await this.subscriber.subscribe(playerEventsChannel(this.prefix, playerId));
    }
    set.add(listener);
    return async () => {
      const current = this.listeners.get(playerId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(playerId);
        await this.subscriber.unsubscribe(playerEventsChannel(this.prefix, playerId)).catch(() => undefined);
      }
    };
  }

  /** Registers what ends one open stream; `closeAll` calls it at shutdown. Returns the unregister function. */
  onClose(close: () => void): () => void {
    this.closers.add(close);
    return () => this.closers.delete(close);
  }

  /** Ends every open stream (the process is shutting down). */
  closeAll(): void {
    for (const close of this.closers) close();
  }

  /** Open streams in this process. */
  get streams(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
