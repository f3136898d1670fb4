/**
 * Seeded random streams. One root seed; every component forks a named child stream so that
 * a new draw in one model never shifts the draws of another.
 */

/** FNV-1a over a string, 32 bits; used to derive child seeds from names. */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The xor4096 generator's state: 128 words, the Weyl value and the index. */
interface XorState {
  readonly x: Int32Array;
  w: number;
  i: number;
}

/**
 * Brent's xor4096 seeded from a string, draw for draw the same as seedrandom 3.0.5's
 * `seedrandom.xor4096(seed)` (its `init`, transcribed), but its 128 words live in one Int32Array:
 * seedrandom keeps them as a plain array of boxed numbers behind four closures, ~1.6 KiB a stream
 * against ~0.6 KiB here, and the cluster forks a stream per pod. The algorithm is Richard P.
 * Brent's; the seeding follows seedrandom's xor4096.js (MIT License, Copyright 2014 David Bau).
 */
function seedXor4096(seedText: string): XorState {
  const x = new Int32Array(128);
  const seed = `${seedText}\0`;
  const limit = Math.max(128, seed.length);
  let v = 0;
  let w = 0;
  let zeros = 0;
  for (let j = -32; j < limit; ++j) {
    v ^= seed.charCodeAt((j + 32) % seed.length);
    if (j === 0) w = v;
    v ^= v << 10;
    v ^= v >>> 15;
    v ^= v << 4;
    v ^= v >>> 13;
    if (j >= 0) {
      w = (w + 0x61c88647) | 0;
      const t = (x[j & 127]! ^= v + w);
      zeros = t === 0 ? zeros + 1 : 0;
    }
  }
  if (zeros >= 128) x[seed.length & 127] = -1;
  // Warm-up: 512 steps of the xor generator alone (the Weyl value does not advance).
  let i = 127;
  for (let j = 4 * 128; j > 0; --j) {
    let s = x[(i + 34) & 127]!;
    i = (i + 1) & 127;
    let t = x[i]!;
    s ^= s << 13;
    t ^= t << 17;
    s ^= s >>> 15;
    t ^= t >>> 12;
    x[i] = s ^ t;
  }
  return { x, w, i };
}

/** One step of xor4096: a signed 32-bit word. */
function nextInt32(st: XorState): number {
  const x = st.x;
  const w = (st.w = (st.w + 0x61c88647) | 0);
  let v = x[(st.i + 34) & 127]!;
  const i = (st.i = (st.i + 1) & 127);
  let t = x[i]!;
  v ^= v << 13;
  t ^= t << 17;
  v ^= v >>> 15;
  t ^= t >>> 12;
  v = x[i] = v ^ t;
  return (v + (w ^ (w >>> 16))) | 0;
}

export class Rng {
  readonly seed: string;
  /** Seeded on the first draw: many forked streams (one per pod) draw late or never. */
  private state: XorState | undefined;

  constructor(seed: string | number) {
    this.seed = String(seed);
  }

  /** A child stream whose draws depend only on this stream's seed and the name. */
  fork(name: string): Rng {
    // Joined, not a template: V8 keeps a template's pieces, and a stream keeps its seed.
    return new Rng([this.seed, "/", name, "#", fnv1a32(name).toString(16)].join(""));
  }

  /** Uniform double in [0, 1) with 53 bits (seedrandom's `prng.double()`). */
  next(): number {
    const st = (this.state ??= seedXor4096(this.seed));
    let result: number;
    do {
      const top = nextInt32(st) >>> 11;
      const bot = (nextInt32(st) >>> 0) / 0x100000000;
      result = (top + bot) / (1 << 21);
    } while (result === 0);
    return result;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  intBetween(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** A string of `length` characters drawn uniformly from `alphabet`. */
  string(length: number, alphabet: string): string {
    // Joined once, not appended char by char: V8 keeps an appended string as a chain of pieces
    // (a 64-character container id took ~1.7 KiB instead of ~90 bytes).
    const chars = new Array<string>(length);
    for (let i = 0; i < length; i++) chars[i] = alphabet[this.int(alphabet.length)]!;
    return chars.join("");
  }
}
