// Co-occurrence counting on blocks of items, the same code on every thread of a training's team
// (lib/threads/team.ts) and on the calling thread alone: each block counts its items' pairs into its
// thread's own rows (heaps, or the WebAssembly count's row buffers, made heaps when merged), then the rows of all
// threads are merged row by row.
import type { ProgramHandler } from '../lib/threads/team.js';
import { coocKernel, coocScratch, type CoocKernel, type CoocLayout } from './cooc-kernel.js';
import { NeighbourHeaps, type HeapArrays } from './neighbour-heaps.js';

export const COUNT = 0, MERGE = 1;

/**
 * What every thread reads (SharedArrayBuffers when a team shares it): the incidence with each user's
 * items sorted, itemPos[q] = the position of entry q's item in its user's list, pop^a per item, the
 * blocks' item bounds (COUNT) and one set of heap arrays per thread.
 */
export interface CoocData {
  userPtr: Int32Array; userItems: Int32Array;
  itemPtr: Int32Array; itemUsers: Int32Array; itemPos: Int32Array;
  popPow: Float64Array;
  countBounds: Int32Array;
  /** Rows per MERGE block. */
  mergeRows: number;
  minCo: number; K: number;
  heaps: HeapArrays[];
  /** The arrays above (the heaps too) live in this WebAssembly memory (at `layout`), and the count runs in cooc-kernel.ts. */
  wasm?: { memory: WebAssembly.Memory; maxPages: number; shared: boolean; layout: CoocLayout };
}

/**
 * The handler of thread `thread`: COUNT block b offers the pairs (i, j > i) of items i in
 * countBounds[b]..[b+1) to both rows of this thread's heaps (row buffers in WebAssembly); MERGE
 * block b turns each thread's row buffers of the block into heaps, offers every other thread's rows
 * into heaps 0 and sorts them best first. Each pair is counted once, by whichever thread holds i's
 * block, and the heaps' order is total, so the merged rows are the same bytes for any number of
 * threads and any claiming order.
 */
export function coocHandler(d: CoocData, thread: number): ProgramHandler {
  const nItems = d.popPow.length;
  const heaps = d.heaps.map((h) => new NeighbourHeaps(nItems, d.K, { over: h, stride: d.wasm?.layout.rowSlots }));
  let cooc: Int32Array | null = null, touched: Int32Array | null = null, kernel: CoocKernel | null = null;
  return (task, block) => {
    if (task === COUNT) {
      if (!cooc && d.wasm) {
        kernel = coocKernel(d.wasm.memory, d.wasm.maxPages, d.wasm.shared, d.wasm.layout, nItems, d.K, d.minCo, thread);
        const at = coocScratch(d.wasm.layout, nItems, thread);
        // The kernel's scratch: the memory may hold an earlier training's bytes, and the counts start at 0.
        cooc = new Int32Array(d.wasm.memory.buffer, at.cooc, nItems).fill(0);
        touched = new Int32Array(d.wasm.memory.buffer, at.touched, nItems);
      }
      cooc ??= new Int32Array(nItems);
      touched ??= new Int32Array(nItems);
      countItems(d, heaps[thread]!, cooc, touched, kernel, d.countBounds[block]!, d.countBounds[block + 1]!);
    } else if (task === MERGE) {
      const h0 = heaps[0]!, start = block * d.mergeRows, end = Math.min(nItems, start + d.mergeRows);
      // The count's row buffers become heaps first (each thread's, by whichever thread merges the row).
      if (d.wasm) kernel ??= coocKernel(d.wasm.memory, d.wasm.maxPages, d.wasm.shared, d.wasm.layout, nItems, d.K, d.minCo, thread);
      for (let i = start; i < end; i++) {
        // (A thread whose kernel failed to load counted into heaps; rebuilding a heap keeps its entries.)
        if (d.wasm) for (let t = 0; t < heaps.length; t++) if (kernel) kernel.finish(i, t); else heaps[t]!.rebuildRow(i);
        for (let t = 1; t < heaps.length; t++) h0.mergeRow(i, heaps[t]!);
        h0.sortRow(i);
      }
    }
  };
}

/** Team entry (see lib/threads/team.ts). */
export function program(data: CoocData, thread: number): ProgramHandler {
  return coocHandler(data, thread);
}

/**
 * Count co-occurrences of items start..end-1 with every later item (each user's sorted list walked
 * from i's position) and offer sim = cooc / (pop(i)^a * pop(j)^a) to rows i and j.
 */
function countItems(
  d: CoocData, heaps: NeighbourHeaps, cooc: Int32Array, touched: Int32Array, kernel: CoocKernel | null, start: number, end: number,
): void {
  const { userPtr, userItems, itemPtr, itemUsers, itemPos, popPow, minCo } = d;
  for (let i = start; i < end; i++) {
    // The same walk and offers in WebAssembly when the arrays (heaps included) live in its memory (cooc-kernel.ts), else here.
    if (kernel) {
      kernel.offer(i, kernel.count(itemPtr[i]!, itemPtr[i + 1]!));
      continue;
    }
    let nt = 0;
    for (let q = itemPtr[i]!; q < itemPtr[i + 1]!; q++) {
      const u = itemUsers[q]!;
      const e = userPtr[u + 1]!;
      for (let p = itemPos[q]! + 1; p < e; p++) {
        const j = userItems[p]!;
        const c = cooc[j]!;
        cooc[j] = c + 1;
        // Branch-free "first touch": first touches are unpredictable, a branch here costs ~2x.
        touched[nt] = j;
        nt += (c - 1) >>> 31;
      }
    }
    const pi = popPow[i]!;
    for (let t = 0; t < nt; t++) {
      const j = touched[t]!;
      const c = cooc[j]!;
      cooc[j] = 0;
      if (c < minCo) continue;
      const s = c / (pi * popPow[j]!);
      heaps.offer(i, j, s);
      heaps.offer(j, i, s);
    }
  }
}
