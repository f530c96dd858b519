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
});
