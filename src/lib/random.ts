// Seeded randomness: every random choice in the engine and recipes flows from one of these.

/** SplitMix32-style generator: fast, 32-bit state, good enough for sampling and ids. */
export class Rng {
  private s: number;
  constructor(seed: number) { this.s = (seed >>> 0) ^ 0x9e3779b9; }
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    let z = (this.s = (this.s + 0x9e3779b9) >>> 0);
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number { return this.nextU32() / 4294967296; }
  /** Uniform integer in [0, n). */
  int(n: number): number { return Math.floor(this.next() * n); }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** `chars` hex digits: each 32-bit draw as 8 digits, most significant first; the last draw's tail is dropped. */
  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += hex8(this.nextU32());
    return out.length === chars ? out : out.slice(0, chars);
  }
  /**
   * RFC 4122 version-4 shaped UUID drawn from this generator: hex(32) with digit 12 set to 4 and digit 16's top
   * two bits to 10, written from the four draws directly (one per GetRecommendations reply, so it is kept cheap).
   */
  uuid(): string {
    const a = this.nextU32(), b = this.nextU32(), c = this.nextU32(), d = this.nextU32();
    return hex8(a) + '-' + BYTE_HEX[b >>> 24]! + BYTE_HEX[(b >>> 16) & 255]! + '-4' + DIGIT[(b >>> 8) & 15]! + BYTE_HEX[b & 255]! +
      '-' + DIGIT[8 | ((c >>> 28) & 3)]! + DIGIT[(c >>> 24) & 15]! + BYTE_HEX[(c >>> 16) & 255]! +
      '-' + BYTE_HEX[(c >>> 8) & 255]! + BYTE_HEX[c & 255]! + hex8(d);
  }
}

const DIGIT = '0123456789abcdef';
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => DIGIT[i >>> 4]! + DIGIT[i & 15]!);

/** A 32-bit unsigned integer as 8 lowercase hex digits. */
function hex8(v: number): string {
  return BYTE_HEX[v >>> 24]! + BYTE_HEX[(v >>> 16) & 255]! + BYTE_HEX[(v >>> 8) & 255]! + BYTE_HEX[v & 255]!;
}

/** Stable 32-bit hash of a string (FNV-1a), for deriving seeds from names. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
