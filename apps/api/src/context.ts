import type { HttpBindings } from "@hono/node-server";
import type { LogFn } from "pino";
import type { Logger } from "@echoes/shared";

/**
 * A request's logger: the process logger with the request id bound, created only when the
 * request actually logs something (most do not, and a child logger per request adds up).
 */
export class RequestLog {
  private child: Logger | undefined;

  constructor(
    private readonly base: Logger,
    private readonly requestId: string,
  ) {}

  private get logger(): Logger {
    return (this.child ??= this.base.child({ requestId: this.requestId }));
  }

  readonly debug: LogFn = (...args: Parameters<LogFn>) => this.base.isLevelEnabled("debug") && this.logger.debug(...args);
  readonly info: LogFn = (...args: Parameters<LogFn>) => this.base.isLevelEnabled("info") && this.logger.info(...args);
  readonly warn: LogFn = (...args: Parameters<LogFn>) => this.base.isLevelEnabled("warn") && this.logger.warn(...args);
  readonly error: LogFn = (...args: Parameters<LogFn>) => this.base.isLevelEnabled("error") && this.logger.error(...args);
}

/** Who is calling: set by the auth middleware from a verified bearer token. */
export interface Caller {
  playerId: number;
  /** Filled by `knownPlayer` for routes that need to know where the player stands. */
  locationId?: string;
}

export interface AppEnv {
  /** What @hono/node-server passes each request: Node's own request and response (absent when the app is called without a server). */
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    log: RequestLog;
    caller: Caller;
    /** Set for a hot read: `sendJson` puts every header of its answer on in one piece. */
    sentWhole?: boolean;
  };
}
