// Byte-keyed dictionary of one string column: maps field bytes to codes in first-appearance order without
// making a JS string per row; its keys stay UTF-8 bytes in Arrow's layout (strings are made when read).
import { isUtf8 } from 'node:buffer';
import { keyStrings } from './utf8-keys.js';

/** The transferable state of a dictionary (what a worker sends back). */
export interface DictData {
  count: number;
  /** Keys back to back: key i is arena[offs[i] .. offs[i+1]) (Arrow's Utf8 layout). */
  arena: Uint8Array;
  offs: Int32Array;
  /** keyHash of each key. */
  hashes: Int32Array;
}

/** Keys up to this many bytes live inside their table slot (two words), so a hit reads no key bytes. */
export const SHORT_KEY = 8;
const LONG_TAG = 15;

/** Final mixing of a tagged hash: the low 4 bits hold the key length (or LONG_TAG), the rest index the table. */
function finish(h: number, tag: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h & ~15) | tag;
}

/** Hash of a short key from its packed bytes (bytes 0-3 little-endian in w0, bytes 4-7 in w1). */
export function shortHash(w0: number, w1: number, len: number): number {
  return finish(w0 ^ Math.imul(w1 ^ len, 0x9e3779b1), len);
}

/** Bytes 0-3 (lo) or 4-7 of a short key packed little-endian. */
export function packWord(src: Uint8Array, from: number, to: number): number {
  let w = 0;
  for (let i = from; i < to; i++) w |= src[i] << ((i - from) << 3);
  return w;
}

// Masks keeping the first `len` bytes of the two packed words of a short key.
export const LO_MASK = Int32Array.from({ length: SHORT_KEY + 1 }, (_, n) => (n >= 4 ? -1 : (1 << (n * 8)) - 1));
export const HI_MASK = Int32Array.from({ length: SHORT_KEY + 1 }, (_, n) => (n <= 4 ? 0 : n === 8 ? -1 : (1 << ((n - 4) * 8)) - 1));

/** Hash of a key longer than SHORT_KEY: four bytes at a time, then the tail byte by byte. */
export function longHash(view: DataView, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s), i = s;
  for (; i + 4 <= e; i += 4) h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64 + Math.imul(view.getInt32(i, true), 0xcc9e2d51) | 0;
  for (; i < e; i++) h = Math.imul(h ^ view.getUint8(i), 16777619);
  return finish(h, LONG_TAG);
}

/** The hash every path uses for a key (the parse loop inlines the same computation). */
export function keyHash(src: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len <= SHORT_KEY) {
    const m = len < 4 ? e : s + 4;
    return shortHash(packWord(src, s, m), packWord(src, m, e), len);
  }
  return longHash(new DataView(src.buffer, src.byteOffset, src.byteLength), s, e);
}

export class ByteDict {
  // Fields get their type in the constructor ("declare": no undefined first), which keeps V8's loads fast.
  declare arena: Uint8Array;
  declare offs: Int32Array;
  declare hashes: Int32Array;
  // Open addressing, 4 ints per slot: hash, code+1 (0 = empty), then the key's two packed words (short
  // keys) or its arena offset and length (long keys). A probe touches one cache line.
  private declare table: Int32Array;
  private declare mask: number;
  count = 0;
  used = 0;
  /** Code of the last inserted key whose bytes are not valid UTF-8; the caller resets it to -1. */
  lastInvalid = -1;

  constructor(expectedKeys = 256) {
    // Sized for a load of at most 0.6 (not the 0.5 that triggers a rehash): an estimate a little high must not
    // double a table that is already big, and one a little low costs at most one rehash at the end.
    let cap = 1024;
    while (cap * 0.6 < expectedKeys) cap *= 2;
    this.table = new Int32Array(cap * 4);
    this.mask = cap - 1;
    this.arena = new Uint8Array(Math.max(4096, expectedKeys * 8));
    this.offs = new Int32Array(Math.max(256, expectedKeys + 1));
    this.hashes = new Int32Array(Math.max(256, expectedKeys));
  }

  /**
   * Reads the slots where hashes hs[0..n) start probing. Doing this for a block of keys before looking any
   * of them up lets the CPU overlap the cache misses (lookups depend on each other through inserts).
   */
  touchAll(hs: Int32Array, n: number): number {
    const t = this.table, mask = this.mask;
    let sink = 0;
    for (let k = 0; k < n; k++) sink ^= t[(((hs[k] >>> 4) & mask) << 2) + 1];
    return sink;
  }

  /** Code of the short key (hash h, packed words w0, w1), or -1 when absent. */
  findShort(h: number, w0: number, w1: number): number {
    const t = this.table, mask = this.mask;
    let slot = (h >>> 4) & mask;
    for (;;) {
      const i = slot << 2, c1 = t[i + 1];
      if (c1 === 0) return -1;
      if (t[i] === h && t[i + 2] === w0 && t[i + 3] === w1) return c1 - 1;
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Resolves rows from..n-1 of a block of short keys (hash, packed words) while they are in the dictionary
   * and not flagged, writing codes to out[outOff + r]; returns the first row that is not (or n). Keeping
   * this loop free of calls keeps it fast; inserts and odd rows are handled by the caller, in row order.
   */
  resolveShort(hs: Int32Array, w0s: Int32Array, w1s: Int32Array, flags: Uint8Array, from: number, n: number,
    out: Int32Array, outOff: number): number {
    const t = this.table, mask = this.mask;
    for (let r = from; r < n; r++) {
      if (flags[r] !== 0) return r;
      const h = hs[r], w0 = w0s[r], w1 = w1s[r];
      for (let slot = (h >>> 4) & mask; ; slot = (slot + 1) & mask) {
        const i = slot << 2, c1 = t[i + 1];
        if (c1 === 0) return r;
        if (t[i] === h && t[i + 2] === w0 && t[i + 3] === w1) { out[outOff + r] = c1 - 1; break; }
      }
    }
    return n;
  }

  /** Code of the key src[s..e) with hash h = keyHash(src, s, e), inserting it if new. */
  lookup(src: Uint8Array, s: number, e: number, h: number): number {
    const t = this.table, mask = this.mask, len = e - s;
    let slot = (h >>> 4) & mask;
    if ((h & 15) !== LONG_TAG) {
      const m = len < 4 ? e : s + 4, w0 = packWord(src, s, m), w1 = packWord(src, m, e);
      for (;;) {
        const i = slot << 2, c1 = t[i + 1];
        if (c1 === 0) return this.insert(src, s, e, h, slot, w0, w1);
        if (t[i] === h && t[i + 2] === w0 && t[i + 3] === w1) return c1 - 1;
        slot = (slot + 1) & mask;
      }
    }
    for (;;) {
      const i = slot << 2, c1 = t[i + 1];
      if (c1 === 0) return this.insert(src, s, e, h, slot, 0, len);
      if (t[i] === h && t[i + 3] === len) {
        const arena = this.arena, o = t[i + 2];
        let k = 0;
        while (k < len && arena[o + k] === src[s + k]) k++;
        if (k === len) return c1 - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Adds a key known to be absent, at the empty slot where its probe ended. */
  insert(src: Uint8Array, s: number, e: number, h: number, slot: number, w0: number, w1: number): number {
    const code = this.count++, len = e - s;
    if (this.count >= this.offs.length) this.growIndex();
    if (this.used + len > this.arena.length) this.growArena(len);
    const arena = this.arena, o = this.used;
    let high = 0;
    for (let k = 0; k < len; k++) { const b = src[s + k]; arena[o + k] = b; high |= b; }
    this.used = o + len;
    this.offs[code] = o;
    this.offs[code + 1] = this.used;
    this.hashes[code] = h;
    const i = slot << 2, t = this.table;
    t[i] = h; t[i + 1] = code + 1;
    if ((h & 15) === LONG_TAG) { t[i + 2] = o; t[i + 3] = len; } else { t[i + 2] = w0; t[i + 3] = w1; }
    if (high & 0x80 && !isUtf8(arena.subarray(o, o + len))) this.lastInvalid = code;
    if (this.count * 2 > this.mask + 1) this.rehash();
    return code;
  }

  /** Empty slot where a probe for a short key ended (valid right after findShort returned -1). */
  emptySlot(h: number): number {
    const t = this.table, mask = this.mask;
    let slot = (h >>> 4) & mask;
    while (t[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
    return slot;
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
    // Walking the old table in slot order (not code order) sends each entry to one of two nearby
    // regions of the new table, which keeps the writes cache-friendly.
    const cap = (this.mask + 1) * (this.count > 1 << 17 ? 4 : 2), mask = cap - 1, t = new Int32Array(cap * 4), old = this.table;
    for (let i = 0; i < old.length; i += 4) {
      if (old[i + 1] === 0) continue;
      let slot = (old[i] >>> 4) & mask;
      while (t[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      const j = slot << 2;
      t[j] = old[i]; t[j + 1] = old[i + 1]; t[j + 2] = old[i + 2]; t[j + 3] = old[i + 3];
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
    const dict = new ByteDict(Math.max(Math.ceil(d.count * 1.25), 256)); // room to merge more keys in
    dict.arena = new Uint8Array(Math.max(d.arena.length * 2, 4096));
    dict.arena.set(d.arena);
    dict.used = d.arena.length;
    dict.offs.set(d.offs);
    dict.hashes.set(d.hashes);
    dict.count = d.count;
    const t = dict.table, mask = dict.mask, arena = dict.arena;
    for (let c = 0; c < d.count; c++) {
      const h = d.hashes[c], o = d.offs[c], e = d.offs[c + 1];
      let slot = (h >>> 4) & mask;
      while (t[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      const i = slot << 2, m = e - o < 4 ? e : o + 4;
      t[i] = h; t[i + 1] = c + 1;
      if ((h & 15) === LONG_TAG) { t[i + 2] = o; t[i + 3] = e - o; } else { t[i + 2] = packWord(arena, o, m); t[i + 3] = packWord(arena, m, e); }
    }
    return dict;
  }

  /** Adds the keys of `d` (another chunk's dictionary, in its order) and returns their codes here. */
  mergeFrom(d: DictData): Int32Array {
    const remap = new Int32Array(d.count), { arena, offs, hashes } = d;
    const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength), safeEnd = arena.length - 8;
    let sink = 0;
    for (let b = 0; b < d.count; b += 1024) {
      const end = Math.min(d.count, b + 1024);
      sink ^= this.touchAll(hashes.subarray(b, end), end - b);
      for (let i = b; i < end; i++) {
        const o = offs[i], e = offs[i + 1], len = e - o, h = hashes[i];
        if (len > SHORT_KEY || o > safeEnd) { remap[i] = this.lookup(arena, o, e, h); continue; }
        const w0 = view.getInt32(o, true) & LO_MASK[len], w1 = view.getInt32(o + 4, true) & HI_MASK[len];
        const code = this.findShort(h, w0, w1);
        remap[i] = code >= 0 ? code : this.insert(arena, o, e, h, this.emptySlot(h), w0, w1);
      }
    }
    this.lastInvalid = -1 + (sink & 0); // chunks already reported their invalid keys
    return remap;
  }

  /** The keys from code `from` on, as strings in code order. */
  strings(from = 0): string[] {
    return keyStrings({ data: this.arena.subarray(0, this.used), offsets: this.offs.subarray(0, this.count + 1) }, from);
  }
}
