import { createHmac } from "node:crypto";

/** A deterministic source of randomness: the same key and label always yield the same sequence. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T;
}

/**
 * A generator keyed by a secret (sfc32 seeded with HMAC-SHA256(key, label)). The key is a fight's
 * seed or the deployment's secret, which no client ever sees; the label names what is rolled
 * (`turn:3`, `loot`, `spawn:<slot>:<place>`), so a retried job rolls exactly what the first try
 * rolled and nobody can compute a roll from public numbers.
 *
 * @example
 * const rng = keyedRng(fight.seed, `turn:${turn}`);
 * if (rng.chance(0.25)) drops.push("bandage");
 */
export function keyedRng(key: Uint8Array, label: string): Rng {
  const digest = createHmac("sha256", key).update(label).digest();
  let a = digest.readUInt32LE(0);
  let b = digest.readUInt32LE(4);
  let c = digest.readUInt32LE(8);
  let d = digest.readUInt32LE(12);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => {
      if (list.length === 0) throw new RangeError("pick from an empty list");
      return list[Math.floor(next() * list.length)]!;
    },
  };
}

/** Bytes of a fight seed or a deployment secret. */
export const SECRET_BYTES = 32;
