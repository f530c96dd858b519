import { describe, expect, it } from 'vitest';
import { NeighbourHeaps } from '../src/recipes/neighbour-heaps.js';

describe('NeighbourHeaps', () => {
  it('keeps the best K of a row, best first, ties to the lower index', () => {
    const h = new NeighbourHeaps(2, 3);
    for (const [j, s] of [[5, 0.1], [2, 0.9], [7, 0.5], [1, 0.5], [9, 0.2]] as const) h.offer(1, j, s);
    const nb = h.toCsr();
    expect([...nb.ptr]).toEqual([0, 0, 3]);
    expect([...nb.idx]).toEqual([2, 1, 7]);
    expect([...nb.sim]).toEqual([Math.fround(0.9), 0.5, 0.5]);
  });

  it('takes offers below its former threshold once a row is cleared', () => {
    const h = new NeighbourHeaps(1, 2);
    h.offer(0, 1, 0.8); h.offer(0, 2, 0.9); // full: the threshold is 0.8
    h.offer(0, 3, 0.1);
    expect(h.size[0]).toBe(2);
    h.clearRow(0);
    h.offer(0, 4, 0.1);
    expect([h.size[0], h.slotIdx(0, 0), h.slotScore(0, 0)]).toEqual([1, 4, 0.1]);
  });

  it('makes a heap of a row written in any order past K (a count row buffer), keeping its best K', () => {
    // Rows of 6 slots for K = 3, written as the WebAssembly count leaves them: unordered, size up to the stride.
    const slots = new ArrayBuffer(2 * 6 * 16);
    const over = { score: new Float64Array(slots), idx: new Int32Array(slots), size: Int32Array.of(0, 5), threshold: new Float64Array(2).fill(-Infinity) };
    [[5, 0.1], [2, 0.9], [7, 0.5], [1, 0.5], [9, 0.2]].forEach(([j, s], t) => { over.score[2 * (6 + t)] = s!; over.idx[4 * (6 + t) + 2] = j!; });
    const h = new NeighbourHeaps(2, 3, { over, stride: 6 });
    h.rebuildRow(1);
    expect([h.size[1], h.threshold[1]]).toEqual([3, 0.5]);
    const nb = h.toCsr();
    expect([...nb.idx]).toEqual([2, 1, 7]);
  });
});
