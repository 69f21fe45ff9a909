import type { Logger } from "@echoes/shared";

/** Who is calling: set by the auth middleware from a verified bearer token. */
export interface Caller {
  playerId: number;
  /** Filled by `knownPlayer` for routes that need to know where the player stands. */
  locationId?: string;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    caller: Caller;
  };
}
