import { hash, verify } from "@node-rs/argon2";

/** argon2id with OWASP's recommended minimum: 19 MiB of memory, 2 passes, 1 lane. */
const PARAMS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A PHC-format argon2id hash of the password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

/**
 * Checks a password against a stored hash. With no stored hash (an unknown user) it still
 * spends the time of one verification, so response times do not reveal which usernames exist.
 */
export async function checkPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

const dummyHash = hash("no such player; this hash only burns time", PARAMS);
