// String dictionaries kept as UTF-8 bytes: the strings they give, made on first read, and their way
// through Arrow files without becoming strings.
import { describe, expect, it } from 'vitest';
import { keyAt, keyStrings, stringColumn, type Utf8Keys } from '../src/engine/data/utf8-keys.js';
import { decodeBatch, encodeBatch } from '../src/engine/data/arrow-io.js';
import { concatBatches } from '../src/engine/data/batch-ops.js';
import type { ColumnBatch, FieldSpec } from '../src/engine/data/types.js';

function keysOf(strings: string[]): Utf8Keys {
  const parts = strings.map((s) => Buffer.from(s, 'utf8'));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => { offsets[i + 1] = offsets[i]! + p.length; });
  return { data: new Uint8Array(Buffer.concat(parts)), offsets };
}

const MIXED = ['u1', 'café', '東京', 'emoji 😀 ok', '', 'x'.repeat(40), 'ñ|ü'];

describe('UTF-8 dictionary keys', () => {
  it('give back the strings they were made from, ASCII or not', () => {
    const ascii = ['u1', 'u22', 'item-333', ''];
    expect(keyStrings(keysOf(ascii))).toEqual(ascii);
    expect(keyStrings(keysOf(MIXED))).toEqual(MIXED);
    expect(keyStrings(keysOf(MIXED), 3)).toEqual(MIXED.slice(3));
    expect(MIXED.map((_, i) => keyAt(keysOf(MIXED), i))).toEqual(MIXED);
  });

  it('read offsets as absolute positions in the bytes', () => {
    const k = keysOf(['zz', 'a', 'bc']);
    const shifted: Utf8Keys = { data: k.data, offsets: k.offsets.subarray(1) }; // keys 1.. of the same bytes
    expect(keyStrings(shifted)).toEqual(['a', 'bc']);
  });

  it('make a column whose dictionary appears on first read and stays the same array', () => {
    const col = stringColumn(Int32Array.of(0, 1, 0, -1), keysOf(['b', 'a']));
    expect(Object.getOwnPropertyDescriptor(col, 'dictionary')?.get).toBeTypeOf('function');
    const first = col.dictionary;
    expect(first).toEqual(['b', 'a']);
    expect(col.dictionary).toBe(first);
    expect(col).toEqual({ type: 'string', dictionary: ['b', 'a'], codes: Int32Array.of(0, 1, 0, -1) });
  });

  it('go to an Arrow file and come back as bytes, with nulls and every kind of character', () => {
    const fields: FieldSpec[] = [{ name: 'NAME', type: 'string', nullable: true, categorical: false, textual: false }];
    const codes = Int32Array.from({ length: 20 }, (_, r) => (r % 5 === 4 ? -1 : r % MIXED.length));
    const batch: ColumnBatch = { rowCount: codes.length, columns: { NAME: stringColumn(codes, keysOf(MIXED)) } };
    const back = decodeBatch(encodeBatch(batch, fields)).columns.NAME!;
    if (back.type !== 'string') throw new Error('not a string column');
    expect(back.utf8).toBeDefined();
    expect(back.codes).toEqual(codes);
    expect(back.dictionary).toEqual(MIXED);
    // A plain column (strings only) writes the same file contents.
    const plain: ColumnBatch = { rowCount: codes.length, columns: { NAME: { type: 'string', dictionary: MIXED, codes } } };
    expect(decodeBatch(encodeBatch(plain, fields))).toEqual(decodeBatch(encodeBatch(batch, fields)));
  });
});

describe('concatenating string columns', () => {
  it('gives the same dictionary and codes from bytes as from strings, nulls and new keys included', () => {
    const a = stringColumn(Int32Array.of(0, 1, -1, 2, 0), keysOf(['b', 'café', 'a']));
    const b = { type: 'string' as const, dictionary: ['a', 'z', '東京'], codes: Int32Array.of(2, -1, 1, 0) };
    const c = stringColumn(Int32Array.of(1, 0), keysOf(['zz', 'café']));
    const fields: FieldSpec[] = [{ name: 'S', type: 'string', nullable: true, categorical: false, textual: false }];
    const batches = [a, b, c].map((col): ColumnBatch => ({ rowCount: col.codes.length, columns: { S: col } }));
    const merged = concatBatches(batches, fields).columns.S!;
    const plain = concatBatches(batches.map((x) => ({ rowCount: x.rowCount, columns: { S: { ...x.columns.S! } } })), fields).columns.S!;
    if (merged.type !== 'string' || plain.type !== 'string') throw new Error('not strings');
    expect(merged.utf8).toBeDefined(); // merged by bytes
    expect(plain.utf8).toBeUndefined(); // copies drop the bytes: merged by strings
    expect(merged).toEqual(plain);
    expect(merged.dictionary).toEqual(['b', 'café', 'a', 'z', '東京', 'zz']);
    expect(Array.from(merged.codes)).toEqual([0, 1, -1, 2, 0, 4, -1, 3, 2, 1, 5]);
  });
});
