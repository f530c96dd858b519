// Training numbers users by their ids in sorted order; the ASCII fast path must sort exactly as JS
// compares strings.
import { describe, expect, it } from 'vitest';
import { sortedUsedIds } from '../src/engine/training/sorted-ids.js';
import { stringColumn } from '../src/engine/data/utf8-keys.js';
import { Rng } from '../src/lib/random.js';

function column(strings: string[]) {
  const parts = strings.map((s) => Buffer.from(s, 'utf8'));
  const offsets = new Int32Array(parts.length + 1);
  parts.forEach((p, i) => { offsets[i + 1] = offsets[i]! + p.length; });
  return stringColumn(new Int32Array(0), { data: new Uint8Array(Buffer.concat(parts)), offsets });
}

function expectSorted(strings: string[], used: Uint8Array) {
  const { ids, rankOf } = sortedUsedIds(column(strings), used);
  const expected = strings.filter((_, i) => used[i]).sort();
  expect(ids).toEqual(expected);
  strings.forEach((s, i) => expect(rankOf[i]).toBe(used[i] ? expected.indexOf(s) : -1));
}

describe('sorted ids', () => {
  it('sort ASCII ids as strings compare: common prefixes, prefixes of each other, NUL bytes', () => {
    const rng = new Rng(7);
    const strings = new Set<string>(['u1', 'u10', 'u100', 'u1000000', 'u1000001', 'user-000123', 'user-000124', 'user-00012', 'ab', 'ab\u0000', 'ab\u0001', 'a', '']);
    while (strings.size < 3000) strings.add(`${['u', 'user-', 'U', 'item_'][rng.int(4)]}${rng.int(100_000)}${rng.int(3) === 0 ? '-x' : ''}`);
    const list = [...strings];
    expectSorted(list, new Uint8Array(list.length).fill(1));
    expectSorted(list, Uint8Array.from(list, (_, i) => (i % 3 === 0 ? 0 : 1)));
  });

  it('fall back to comparing strings when some id is not ASCII', () => {
    const list = ['zoë', 'zoe', 'Zoë', '東京', 'émile', 'emile', '😀', '\uffff', 'u1'];
    expectSorted(list, new Uint8Array(list.length).fill(1));
  });
});
