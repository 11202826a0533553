/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/** 32-bit FNV-1a hash of a string: turns `seed|ticker|date` into a PRNG seed. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * mulberry32: a tiny, fast 32-bit PRNG, plenty for synthetic market data.
 * Same seed, same sequence, on every platform.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG seeded from the parts of a name, e.g. `seededRandom("hdp", "AAPL", "2024-03-05")`. */
export function seededRandom(...parts: readonly string[]): Random {
  return mulberry32(hashSeed(parts.join("|")));
}

/** A standard normal sample (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) is not a number
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A uniformly chosen element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}
