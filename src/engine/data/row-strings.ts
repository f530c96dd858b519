// A string column kept as its rows' UTF-8 bytes (Arrow's plain Utf8 layout), dictionary-encoded on first
// read: for id columns whose values rarely repeat (USER_ID), hashing every value at import costs more than
// the rest of the import, and the dictionary is only needed by whoever reads the column later.
import { ByteDict, HI_MASK, keyHash, LO_MASK, shortHash, SHORT_KEY } from './byte-dict.js';
import { keyStrings } from './utf8-keys.js';
import type { Column, RowValues, Utf8Keys } from './types.js';

type StringColumn = Extract<Column, { type: 'string' }>;

const BLOCK = 1024;
/** Where the slot touches go, so that the compiler keeps them. */
let touched = 0;

/**
 * Codes in first-appearance order and the distinct keys of per-row values (row r = data[offsets[r] ..
 * offsets[r+1]); nulls[r] = 1 marks a null row, code -1).
 */
export function indexRows(rows: Utf8Keys, nulls: Uint8Array | null): { codes: Int32Array; keys: Utf8Keys } {
  const { data, offsets } = rows, n = offsets.length - 1;
  // Sized for half the rows distinct (such columns are kept as bytes because few values repeat).
  const dict = new ByteDict(Math.max(256, n >> 1)), codes = new Int32Array(n);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength), safeEnd = data.length - 8;
  const hs = new Int32Array(BLOCK), w0s = new Int32Array(BLOCK), w1s = new Int32Array(BLOCK), slow = new Uint8Array(BLOCK);
  let sink = 0;
  for (let b = 0; b < n; b += BLOCK) {
    const m = Math.min(BLOCK, n - b);
    // As the import's dictionary builder: hash the block, touch its table slots (the cache misses overlap),
    // then resolve hits in a tight loop; rows it stops at (new keys, long keys, nulls) are handled in order.
    for (let k = 0; k < m; k++) {
      const r = b + k, s = offsets[r], len = offsets[r + 1] - s;
      if ((nulls !== null && nulls[r] === 1) || len > SHORT_KEY || s > safeEnd) { slow[k] = 1; hs[k] = 0; continue; }
      const w0 = view.getInt32(s, true) & LO_MASK[len], w1 = view.getInt32(s + 4, true) & HI_MASK[len];
      w0s[k] = w0; w1s[k] = w1; hs[k] = shortHash(w0, w1, len);
    }
    sink ^= dict.touchAll(hs, m);
    for (let k = dict.resolveShort(hs, w0s, w1s, slow, 0, m, codes, b); k < m; k = dict.resolveShort(hs, w0s, w1s, slow, k + 1, m, codes, b)) {
      const r = b + k, s = offsets[r], e = offsets[r + 1];
      if (slow[k] === 0) { codes[r] = dict.insert(data, s, e, hs[k], dict.emptySlot(hs[k]), w0s[k], w1s[k]); continue; }
      slow[k] = 0;
      codes[r] = nulls !== null && nulls[r] === 1 ? -1 : dict.lookup(data, s, e, keyHash(data, s, e));
    }
  }
  touched = sink;
  dict.lastInvalid = -1; // values were checked when they were stored
  const d = dict.data();
  return { codes, keys: { data: d.arena, offsets: d.offs } };
}

/**
 * A string column over per-row UTF-8 values: `codes`, `dictionary` (and `utf8`, its keys) are made together
 * on first read of any of them, then kept. `rowValues` stays for readers that want the values as they are
 * (the Arrow writer).
 */
export function rowStringColumn(values: RowValues): StringColumn {
  const col = { type: 'string' } as StringColumn;
  // Not enumerable: a representation of the same data (copies and comparisons skip it).
  Object.defineProperty(col, 'rowValues', { value: values, enumerable: false });
  const index = () => {
    const { codes, keys } = indexRows(values.utf8, values.nulls);
    let dictionary: string[] | null = null;
    Object.defineProperty(col, 'codes', { value: codes, writable: true, enumerable: true, configurable: true });
    Object.defineProperty(col, 'utf8', { value: keys, enumerable: false, configurable: true });
    Object.defineProperty(col, 'dictionary', {
      enumerable: true, configurable: true,
      get: () => {
        dictionary ??= keyStrings(keys);
        Object.defineProperty(col, 'dictionary', { value: dictionary, writable: true, enumerable: true, configurable: true });
        return dictionary;
      },
    });
  };
  for (const key of ['dictionary', 'codes', 'utf8'] as const) {
    Object.defineProperty(col, key, {
      enumerable: key !== 'utf8', configurable: true,
      get: () => { index(); return col[key]; },
    });
  }
  return col;
}
