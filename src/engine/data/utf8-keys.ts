// A string dictionary kept as UTF-8 bytes in Arrow's layout, turned into JS strings only when read:
// an import writes it to Arrow as is, and a dataset nobody reads strings of never pays for 500k of them.
import { isAscii } from 'node:buffer';
import type { Column, Utf8Keys } from './types.js';

export type { Utf8Keys };

export function keyCount(k: Utf8Keys): number {
  return k.offsets.length - 1;
}

function bytesOf(a: Uint8Array): Buffer {
  return Buffer.isBuffer(a) ? a : Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Key i as a string. */
export function keyAt(k: Utf8Keys, i: number): string {
  return bytesOf(k.data).toString('utf8', k.offsets[i], k.offsets[i + 1]);
}

/**
 * Keys from..count-1 as strings, in order: one decode of the whole range, then a slice per key (a
 * string per key from the bytes costs three times as much). Slice bounds are UTF-16 offsets, counted
 * from the bytes when some key is not ASCII.
 */
export function keyStrings(k: Utf8Keys, from = 0): string[] {
  const { offsets } = k, n = offsets.length - 1 - from;
  if (n <= 0) return [];
  const bytes = bytesOf(k.data), base = offsets[from], end = offsets[from + n];
  const out = new Array<string>(n);
  if (isAscii(bytes.subarray(base, end))) {
    const s = bytes.toString('latin1', base, end);
    for (let i = 0; i < n; i++) out[i] = s.slice(offsets[from + i] - base, offsets[from + i + 1] - base);
    return out;
  }
  const s = end - base < 1 << 28 ? bytes.toString('utf8', base, end) : '';
  // UTF-16 units before each byte: one per lead byte, two for a 4-byte sequence (a surrogate pair).
  let units = 0, p = base;
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    starts[i] = units;
    for (const e = offsets[from + i + 1]; p < e; p++) {
      const b = bytes[p];
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
  }
  starts[n] = units;
  if (units === s.length) {
    for (let i = 0; i < n; i++) out[i] = s.slice(starts[i], starts[i + 1]);
  } else { // bytes that are not valid UTF-8 decode to replacement characters: count no longer matches
    for (let i = 0; i < n; i++) out[i] = bytes.toString('utf8', offsets[from + i], offsets[from + i + 1]);
  }
  return out;
}

/**
 * A string column whose `dictionary` is made from `keys` on first read (then kept). `utf8` stays on the
 * column for readers that want the bytes (the Arrow writer); the dictionary must not be changed in place.
 */
export function stringColumn(codes: Int32Array, keys: Utf8Keys): Extract<Column, { type: 'string' }> {
  const col = { type: 'string', codes } as Extract<Column, { type: 'string' }>;
  // Not enumerable: a representation of the dictionary, not more data (copies and comparisons skip it).
  Object.defineProperty(col, 'utf8', { value: keys, enumerable: false });
  Object.defineProperty(col, 'dictionary', {
    configurable: true, enumerable: true,
    get(): string[] {
      const dictionary = keyStrings(keys);
      Object.defineProperty(col, 'dictionary', { value: dictionary, writable: true, enumerable: true, configurable: true });
      return dictionary;
    },
  });
  return col;
}
