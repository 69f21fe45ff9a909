import { ApiError } from "./api";

const seconds = (err: ApiError, fallback: string) => (err.retryAfterS ? `${err.retryAfterS} s` : fallback);

/** A refusal or failure in words a player can act on. The page keeps everything as it was, so trying again is always safe. */
export function explain(err: unknown): string {
  if (!(err instanceof ApiError)) return "Something went wrong in this page. Nothing was sent; try again.";
  switch (true) {
    case err.status === 0:
      return err.message;
    case err.status === 409:
      return `Someone was quicker: ${err.message}`;
    case err.status === 422:
      return `You can't do that right now: ${err.message}`;
    case err.status === 429:
      return `Too many actions at once. Wait ${seconds(err, "a few seconds")} and try again.`;
    case err.status === 503:
      return `The game is briefly unavailable (${err.message.replace(/\.$/, "")}). Nothing was lost; try again in ${seconds(err, "a moment")}.`;
    case err.status === 401 && err.code === "unauthorized":
      return "Your session has ended. Sign in again.";
    default:
      return err.message;
  }
}

export const DANGER_NAMES = ["Safe", "Low", "Guarded", "Dangerous", "Deadly", "Lethal"];

/** Kilograms with at most two decimals. */
export const kg = (value: number) => `${Math.round(value * 100) / 100} kg`;
