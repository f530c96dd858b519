// String columns of several batches as one, merged by their UTF-8 keys (an INCREMENTAL import onto a big
// dataset): no Map of strings, and the result keeps its keys as bytes for the Arrow writer.
import { ByteDict, keyHash, type DictData } from './byte-dict.js';
import { stringColumn } from './utf8-keys.js';
import type { Column, Utf8Keys } from './types.js';

type StringColumn = Extract<Column, { type: 'string' }>;

/** A dictionary's keys as bytes: its own when it has them, else its strings encoded. */
function keysOf(c: StringColumn): Utf8Keys {
  if (c.utf8) return c.utf8;
  const parts = c.dictionary.map((s) => Buffer.from(s, 'utf8'));
  const offsets = new Int32Array(parts.length + 1);
  for (let i = 0; i < parts.length; i++) offsets[i + 1] = offsets[i]! + parts[i]!.length;
  return { data: Buffer.concat(parts), offsets };
}

function dictData(k: Utf8Keys): DictData {
  const n = k.offsets.length - 1, base = k.offsets[0]!;
  const offs = base ? k.offsets.map((o) => o - base) : k.offsets, arena = k.data.subarray(base, k.offsets[n]);
  const hashes = new Int32Array(n);
  for (let i = 0; i < n; i++) hashes[i] = keyHash(arena, offs[i]!, offs[i + 1]!);
  return { count: n, arena, offs, hashes };
}

/** Rows of `parts` one after the other (a part's codes read up to its row count n). */
export function concatStringColumns(parts: { col: StringColumn; n: number }[], total: number): StringColumn {
  const codes = new Int32Array(total);
  let dict: ByteDict | null = null, off = 0;
  for (const { col, n } of parts) {
    const src = col.codes;
    if (!dict) { // the first part's codes stay as they are
      dict = ByteDict.fromData(dictData(keysOf(col)));
      codes.set(src.subarray(0, n));
    } else {
      const remap = dict.mergeFrom(dictData(keysOf(col)));
      for (let i = 0; i < n; i++) { const c = src[i]!; codes[off + i] = c < 0 ? -1 : remap[c]!; }
    }
    off += n;
  }
  if (!dict) return { type: 'string', dictionary: [], codes };
  const { arena, offs } = dict.data();
  return stringColumn(codes, { data: arena, offsets: offs });
}
