import { hash, verify } from "@node-rs/argon2";

/** argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane. */
const PARAMS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most this many hashes at once: each holds 19 MiB while it runs, and a burst of sign-ups or
 * login attempts should queue here rather than take the process's memory and every core.
 */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** A PHC-format argon2id hash of the password. */
export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password, PARAMS));
}

/**
 * Checks a password against a stored hash. With no stored hash (an unknown user) it still
 * spends the time of one verification, so response times do not reveal which usernames exist.
 */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    const dummy = await dummyHash;
    await limited(() => verify(dummy, password)).catch(() => false);
    return false;
  }
  try {
    return await limited(() => verify(stored, password));
  } catch {
    return false;
  }
}

const dummyHash = hash("no such player; this hash only burns time", PARAMS);
