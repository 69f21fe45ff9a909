import pg from "pg";
import type { Logger } from "@echoes/shared";

export type PoolRole = "primary" | "replica";

/**
 * Pool settings in the performance review's terms. node-postgres has no separate overflow:
 * `max` is size + overflow and connections above `size` close after `idleTimeoutMs`;
 * `timeoutMs` is how long a caller waits for a connection (`connectionTimeoutMillis`);
 * `recycleS` retires connections after that age (`maxLifetimeSeconds`); pre-ping runs
 * `SELECT 1` on a connection that sat idle for `prePingIdleMs` or more before handing it out
 * (a ping on every checkout would double the round trips of short queries).
 */
export interface PoolSettings {
  url: string;
  size: number;
  maxOverflow: number;
  timeoutMs: number;
  recycleS: number;
  prePing: boolean;
  prePingIdleMs: number;
  slowQueryMs: number;
  idleTimeoutMs?: number;
  applicationName?: string;
}

export interface QueryObserver {
  /** Called after every statement with its duration; `failed` when the server or socket refused it. */
  onQuery?(role: PoolRole, durationMs: number, failed: boolean): void;
}

const LAST_RELEASED = Symbol("lastReleased");
type TrackedClient = pg.PoolClient & { [LAST_RELEASED]?: number };

function statementText(args: unknown[]): string {
  const first = args[0];
  if (typeof first === "string") return first;
  if (first && typeof first === "object" && "text" in first) return String((first as { text: unknown }).text);
  return "<unknown>";
}

/** A pg client that times each statement, reports it and logs the slow ones. */
function timedClientClass(role: PoolRole, slowQueryMs: number, logger: Logger, observer: QueryObserver): typeof pg.Client {
  return class TimedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // A connection can die while checked out and between statements (a database restart).
      // The pool only listens on idle clients; without this the 'error' event would crash the
      // process. The next statement on this client fails instead, and the client is discarded.
      this.on("error", () => undefined);
    }

    override query(...args: unknown[]): never {
      const started = performance.now();
      const done = (failed: boolean) => {
        const durationMs = performance.now() - started;
        observer.onQuery?.(role, durationMs, failed);
        if (durationMs >= slowQueryMs) {
          logger.warn({ pool: role, durationMs: Math.round(durationMs * 10) / 10, sql: statementText(args).replace(/\s+/g, " ").trim() }, "slow query");
        }
      };
      const last = args[args.length - 1];
      if (typeof last === "function") {
        const callback = last as (err: Error | null, res: unknown) => void;
        args[args.length - 1] = (err: Error | null, res: unknown) => {
          done(Boolean(err));
          callback(err, res);
        };
        return (super.query as (...a: unknown[]) => never)(...args);
      }
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (result && typeof (result as Promise<unknown>).then === "function") {
        (result as Promise<unknown>).then(
          () => done(false),
          () => done(true),
        );
      }
      return result as never;
    }

    /** A liveness check that is not counted as a statement. */
    ping(): Promise<unknown> {
      return super.query("select 1");
    }
  };
}

/**
 * A node-postgres pool that pings connections that have been idle a while before handing
 * them out, so a connection the server or a proxy dropped is replaced instead of failing a
 * request.
 */
export class CheckedPool extends pg.Pool {
  constructor(
    readonly role: PoolRole,
    private readonly settings: PoolSettings,
    logger: Logger,
    observer: QueryObserver = {},
  ) {
    super({
      connectionString: settings.url,
      max: settings.size + settings.maxOverflow,
      min: 0,
      idleTimeoutMillis: settings.idleTimeoutMs ?? 30_000,
      connectionTimeoutMillis: settings.timeoutMs,
      maxLifetimeSeconds: settings.recycleS,
      keepAlive: true,
      application_name: settings.applicationName ?? `echoes-${role}`,
      Client: timedClientClass(role, settings.slowQueryMs, logger, observer),
    });
    this.on("release", (_err: Error | undefined, client: TrackedClient) => {
      client[LAST_RELEASED] = Date.now();
    });
    // An idle connection that dies (server restart, proxy timeout) must not crash the process.
    this.on("error", (err) => logger.warn({ pool: role, err: err.message }, "idle database connection lost"));
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: Error | boolean) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: Error | boolean) => void) => void,
  ): Promise<pg.PoolClient> | undefined {
    const checked = this.checkedConnect();
    if (!callback) return checked;
    checked.then(
      (client) => callback(undefined, client, client.release),
      (err: Error) => callback(err, undefined, () => undefined),
    );
    return undefined;
  }

  private async checkedConnect(attempt = 1): Promise<pg.PoolClient> {
    const client = (await super.connect()) as TrackedClient;
    const released = client[LAST_RELEASED];
    if (!this.settings.prePing || released === undefined || Date.now() - released < this.settings.prePingIdleMs) return client;
    try {
      await (client as unknown as { ping(): Promise<unknown> }).ping();
      return client;
    } catch (err) {
      client.release(err as Error);
      if (attempt >= 3) throw err;
      return this.checkedConnect(attempt + 1);
    }
  }
}
