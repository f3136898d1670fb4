/**
 * Seeded random streams. One root seed; every component forks a named child stream so that
 * a new draw in one model never shifts the draws of another.
 */
import seedrandom from "seedrandom";

/** FNV-1a over a string, 32 bits; used to derive child seeds from names. */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export class Rng {
  readonly seed: string;
  private readonly prng: seedrandom.PRNG;

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.prng = seedrandom.xor4096(this.seed);
  }

  /** A child stream whose draws depend only on this stream's seed and the name. */
  fork(name: string): Rng {
    return new Rng(`${this.seed}/${name}#${fnv1a32(name).toString(16)}`);
  }

  /** Uniform double in [0, 1) with 53 bits. */
  next(): number {
    return this.prng.double();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.prng.double() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  intBetween(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** A string of `length` characters drawn uniformly from `alphabet`. */
  string(length: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}
