// itemPopularity counts a TrainingData once and hands every caller copies: a caller that transfers or changes its
// arrays (into a model artifact, to another thread) leaves the next caller's counts intact.
import { describe, expect, it } from 'vitest';
import { trainingDataFromRows } from '../src/engine/evaluation/load-csv.js';
import { itemPopularity } from '../src/recipes/popularity-count.js';

const rows = [
  { user: 'u1', item: 'a', timestamp: 1 }, { user: 'u1', item: 'a', timestamp: 2 }, { user: 'u1', item: 'b', timestamp: 3 },
  { user: 'u2', item: 'a', timestamp: 4 }, { user: 'u3', item: 'c', timestamp: 5 },
];

describe('itemPopularity', () => {
  it('counts unique users and interactions per item', () => {
    const { uniqueUsers, total } = itemPopularity(trainingDataFromRows(rows));
    expect([...uniqueUsers]).toEqual([2, 1, 1]);
    expect([...total]).toEqual([3, 1, 1]);
  });

  it('gives each call arrays of its own: a transfer of one does not detach the next', () => {
    const data = trainingDataFromRows(rows);
    const first = itemPopularity(data);
    structuredClone(first, { transfer: [first.uniqueUsers.buffer, first.total.buffer] });
    expect(first.uniqueUsers.length).toBe(0); // detached by the transfer
    const again = itemPopularity(data);
    expect([...again.uniqueUsers]).toEqual([2, 1, 1]);
    expect([...again.total]).toEqual([3, 1, 1]);
  });

  it('gives each call arrays of its own: changing one leaves the next as counted', () => {
    const data = trainingDataFromRows(rows);
    itemPopularity(data).uniqueUsers.fill(9);
    expect([...itemPopularity(data).uniqueUsers]).toEqual([2, 1, 1]);
  });

  it('counts again when the same object is given other interactions', () => {
    const data = trainingDataFromRows(rows);
    expect([...itemPopularity(data).uniqueUsers]).toEqual([2, 1, 1]);
    const other = trainingDataFromRows([{ user: 'u1', item: 'a', timestamp: 1 }, { user: 'u1', item: 'b', timestamp: 2 }, { user: 'u1', item: 'c', timestamp: 3 }]);
    Object.assign(data, { userPtr: other.userPtr, itemIdx: other.itemIdx });
    expect([...itemPopularity(data).uniqueUsers]).toEqual([1, 1, 1]);
  });
});
