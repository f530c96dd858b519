// Streamed rows grow without copying: snapshots taken earlier still show exactly their rows, and the
// grown batch equals concatenating the appended batches.
import { describe, expect, it } from 'vitest';
import { concatBatches } from '../src/engine/data/batch-ops.js';
import { GrowingBatch } from '../src/engine/data/growing-batch.js';
import type { ColumnBatch, FieldSpec } from '../src/engine/data/types.js';

const field = (name: string, type: FieldSpec['type']): FieldSpec => ({ name, type, nullable: true, categorical: false, textual: false });
const FIELDS = [field('USER_ID', 'string'), field('TIMESTAMP', 'long'), field('EVENT_VALUE', 'float')];

function batch(users: (string | null)[], ts: number[], values?: (number | null)[]): ColumnBatch {
  const dictionary = [...new Set(users.filter((u): u is string => u !== null))].reverse(); // not in row order on purpose
  const columns: ColumnBatch['columns'] = {
    USER_ID: { type: 'string', dictionary, codes: Int32Array.from(users, (u) => (u === null ? -1 : dictionary.indexOf(u))) },
    TIMESTAMP: { type: 'long', values: Float64Array.from(ts) },
  };
  if (values) columns.EVENT_VALUE = { type: 'float', values: Float32Array.from(values, (v) => v ?? 0), nulls: Uint8Array.from(values, (v) => (v === null ? 1 : 0)) };
  return { rowCount: users.length, columns };
}

const users = (b: ColumnBatch) => {
  const c = b.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
};
const nullsOf = (b: ColumnBatch) => {
  const c = b.columns.EVENT_VALUE as { nulls?: Uint8Array };
  return Array.from({ length: b.rowCount }, (_, i) => (c.nulls?.[i] ? 1 : 0));
};

describe('GrowingBatch', () => {
  it('equals the concatenation of what was appended, nulls and missing columns included', () => {
    const parts = [batch(['a', 'b'], [1, 2]), batch(['b', null, 'c'], [3, 4, 5], [0.5, null, 2]), batch(['a'], [6], [null])];
    const g = new GrowingBatch(FIELDS, parts[0]);
    for (const p of parts.slice(1)) g.append(p);
    for (let n = 0; n < 200; n++) g.append(batch([`u${n}`], [n])); // past several regrowths
    const all = [...parts, ...Array.from({ length: 200 }, (_, n) => batch([`u${n}`], [n]))];
    const expected = concatBatches(all, FIELDS);
    const got = g.snapshot();
    expect(got.rowCount).toBe(expected.rowCount);
    expect(users(got)).toEqual(users(expected));
    expect(Array.from((got.columns.TIMESTAMP as { values: Float64Array }).values)).toEqual(Array.from((expected.columns.TIMESTAMP as { values: Float64Array }).values));
    expect(nullsOf(got)).toEqual(nullsOf(expected));
  });

  it('leaves earlier snapshots as they were', () => {
    const g = new GrowingBatch(FIELDS, batch(['a'], [1], [1]));
    const before = g.snapshot();
    for (let n = 0; n < 100; n++) g.append(batch([`x${n}`], [n], [null]));
    expect(before.rowCount).toBe(1);
    expect(users(before)).toEqual(['a']);
    expect(nullsOf(before)).toEqual([0]);
    expect(g.snapshot().rowCount).toBe(101);
  });
});
