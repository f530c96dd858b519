// The used entries of a string column's dictionary in sorted order (UTF-16 code units, as JS compares
// strings), and each code's rank: from the UTF-8 keys when they are ASCII (a number compare per pair
// decides almost every comparison), else by sorting the strings.
import { isAscii } from 'node:buffer';
import type { Column } from '../data/types.js';

type StringColumn = Extract<Column, { type: 'string' }>;

/**
 * `ids`: the dictionary entries whose `used[code]` is 1, sorted; `rankOf[code]`: the entry's index in ids
 * (-1 when not used). Dictionary entries are distinct, so ids are too.
 */
export function sortedUsedIds(col: StringColumn, used: Uint8Array): { ids: string[]; rankOf: Int32Array } {
  const dictionary = col.dictionary, n = dictionary.length;
  const codes: number[] = [];
  for (let c = 0; c < n; c++) if (used[c]) codes.push(c);
  const keys = col.utf8;
  if (keys && isAscii(keys.data.subarray(keys.offsets[0], keys.offsets[n]))) {
    // ASCII: byte order is code unit order. The first six bytes, big-endian (shorter keys padded with 0,
    // which keeps the order: a prefix sorts first), make an exact double; ties compare the rest.
    const { data, offsets } = keys, head = new Float64Array(n);
    for (const c of codes) {
      let v = 0;
      for (let i = 0, p = offsets[c]!, e = offsets[c + 1]!; i < 6; i++, p++) v = v * 256 + (p < e ? data[p]! : 0);
      head[c] = v;
    }
    const rest = (a: number, b: number): number => {
      const ea = offsets[a + 1]!, eb = offsets[b + 1]!;
      let pa = offsets[a]! + 6, pb = offsets[b]! + 6;
      for (; pa < ea && pb < eb; pa++, pb++) if (data[pa] !== data[pb]) return data[pa]! - data[pb]!;
      return (ea - pa) - (eb - pb);
    };
    codes.sort((a, b) => head[a]! - head[b]! || rest(a, b));
  } else {
    codes.sort((a, b) => (dictionary[a]! < dictionary[b]! ? -1 : dictionary[a]! > dictionary[b]! ? 1 : 0));
  }
  const rankOf = new Int32Array(n).fill(-1), ids = new Array<string>(codes.length);
  for (let r = 0; r < codes.length; r++) { rankOf[codes[r]!] = r; ids[r] = dictionary[codes[r]!]!; }
  return { ids, rankOf };
}
