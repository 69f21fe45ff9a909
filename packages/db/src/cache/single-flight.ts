/** How long a finished load still answers callers that ask for the same key. */
const SETTLED_MS = 250;

/**
 * One load per key at a time: callers that ask for a key while its load runs get that load's
 * result. Keys name what the callers observed (a cache key and its version), so a finished load
 * stays reusable for a moment by callers that saw the same version; a write changes the version,
 * and with it the key.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const inFlight = this.flights.get(key);
    if (inFlight) return inFlight;
    const flight = load();
    this.flights.set(key, flight);
    const forget = () => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.then(
      () => setTimeout(forget, SETTLED_MS).unref(),
      () => forget(),
    );
    return flight;
  }
}
