// Byte-keyed dictionary of one string column: maps field bytes to codes in first-appearance order without
// making a JS string per row; the strings are made once at the end, from the key arena, with one split().
import { isUtf8 } from 'node:buffer';

/** The transferable state of a dictionary (what a worker sends back). */
export interface DictData {
  count: number;
  /** Keys, each followed by a '\n'; key i is arena[offs[i] .. offs[i+1]-1). */
  arena: Uint8Array;
  offs: Int32Array;
  hashes: Int32Array;
}

const SEP = 10;

/** FNV-1a over the bytes, with the high bits folded in (the table is indexed by the low bits). */
export function hashBytes(src: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = s; i < e; i++) h = Math.imul(h ^ src[i], 16777619);
  return h ^ (h >>> 15);
}

export class ByteDict {
  count = 0;
  arena: Uint8Array;
  used = 0;
  offs: Int32Array;
  hashes: Int32Array;
  /** Code of the last inserted key whose bytes are not valid UTF-8; the caller resets it to -1. */
  lastInvalid = -1;
  // Open addressing, 4 ints per slot: hash, code+1 (0 = empty), arena offset, length. Keeping the offset
  // and length in the slot saves a dependent cache miss per probe on big dictionaries.
  private table: Int32Array;
  private mask: number;

  constructor(expectedKeys = 256) {
    let cap = 1024;
    while (cap < expectedKeys * 2) cap *= 2;
    this.table = new Int32Array(cap * 4);
    this.mask = cap - 1;
    this.arena = new Uint8Array(Math.max(4096, expectedKeys * 8));
    this.offs = new Int32Array(Math.max(256, expectedKeys + 1));
    this.hashes = new Int32Array(Math.max(256, expectedKeys));
  }

  /**
   * Reads the slot a hash starts probing at. Issuing these for a batch of keys before looking any of them
   * up lets the CPU overlap the cache misses (the lookups themselves depend on each other through inserts).
   */
  touch(h: number): number {
    return this.table[((h & this.mask) << 2) + 2];
  }

  /** Code of the key src[s..e) with hash h (from hashBytes), inserting it if new. */
  lookup(src: Uint8Array, s: number, e: number, h: number): number {
    const t = this.table, mask = this.mask, len = e - s;
    let slot = h & mask;
    for (;;) {
      const i = slot << 2, c1 = t[i + 1];
      if (c1 === 0) return this.insert(src, s, e, h, slot);
      if (t[i] === h && t[i + 3] === len) {
        const arena = this.arena, o = t[i + 2];
        let k = 0;
        while (k < len && arena[o + k] === src[s + k]) k++;
        if (k === len) return c1 - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private insert(src: Uint8Array, s: number, e: number, h: number, slot: number): number {
    const code = this.count++, len = e - s;
    if (this.count >= this.offs.length) this.growIndex();
    if (this.used + len + 1 > this.arena.length) this.growArena(len + 1);
    const arena = this.arena, o = this.used;
    let high = 0;
    for (let k = 0; k < len; k++) { const b = src[s + k]; arena[o + k] = b; high |= b; }
    arena[o + len] = SEP;
    this.used = o + len + 1;
    this.offs[code] = o;
    this.offs[code + 1] = this.used;
    this.hashes[code] = h;
    const i = slot << 2, t = this.table;
    t[i] = h; t[i + 1] = code + 1; t[i + 2] = o; t[i + 3] = len;
    if (high & 0x80 && !isUtf8(arena.subarray(o, o + len))) this.lastInvalid = code;
    if (this.count * 2 > this.mask + 1) this.rehash();
    return code;
  }

  private growIndex(): void {
    const n = this.offs.length * 2;
    const offs = new Int32Array(n); offs.set(this.offs); this.offs = offs;
    const hashes = new Int32Array(n); hashes.set(this.hashes); this.hashes = hashes;
  }

  private growArena(need: number): void {
    const arena = new Uint8Array(Math.max(this.arena.length * 2, this.used + need));
    arena.set(this.arena.subarray(0, this.used));
    this.arena = arena;
  }

  private rehash(): void {
    const cap = (this.mask + 1) * 2, mask = cap - 1, t = new Int32Array(cap * 4);
    const offs = this.offs, hashes = this.hashes;
    for (let c = 0; c < this.count; c++) {
      let slot = hashes[c] & mask;
      while (t[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      const i = slot << 2;
      t[i] = hashes[c]; t[i + 1] = c + 1; t[i + 2] = offs[c]; t[i + 3] = offs[c + 1] - offs[c] - 1;
    }
    this.table = t;
    this.mask = mask;
  }

  /** The state to send to another thread (views trimmed to the used length). */
  data(): DictData {
    return {
      count: this.count,
      arena: this.arena.subarray(0, this.used),
      offs: this.offs.subarray(0, this.count + 1),
      hashes: this.hashes.subarray(0, this.count),
    };
  }

  /** A dictionary holding the keys of `d` with the same codes (keys of one DictData are distinct). */
  static fromData(d: DictData): ByteDict {
    const dict = new ByteDict(Math.max(d.count * 2, 256));
    dict.arena = new Uint8Array(Math.max(d.arena.length * 2, 4096));
    dict.arena.set(d.arena);
    dict.used = d.arena.length;
    dict.offs.set(d.offs);
    dict.hashes.set(d.hashes);
    dict.count = d.count;
    dict.rehash();
    return dict;
  }

  /** Adds the keys of `d` (another chunk's dictionary, in its order) and returns their codes here. */
  mergeFrom(d: DictData): Int32Array {
    const remap = new Int32Array(d.count), { arena, offs, hashes } = d;
    let sink = 0;
    for (let b = 0; b < d.count; b += 64) {
      const end = Math.min(d.count, b + 64);
      for (let i = b; i < end; i++) sink ^= this.touch(hashes[i]);
      for (let i = b; i < end; i++) remap[i] = this.lookup(arena, offs[i], offs[i + 1] - 1, hashes[i]);
    }
    this.lastInvalid = -1 + (sink & 0); // chunks already reported their invalid keys
    return remap;
  }

  /** The keys as strings, in code order. */
  strings(): string[] {
    if (this.count === 0) return [];
    const bytes = Buffer.from(this.arena.buffer, this.arena.byteOffset, this.used);
    const parts = this.used < 1 << 28 ? bytes.toString('utf8').split('\n') : [];
    if (parts.length === this.count + 1) {
      parts.pop();
      return parts;
    }
    // Some key holds a newline (a quoted multi-line value), or the text is too long for one string.
    const out = new Array<string>(this.count);
    for (let c = 0; c < this.count; c++) out[c] = bytes.toString('utf8', this.offs[c], this.offs[c + 1] - 1);
    return out;
  }
}
