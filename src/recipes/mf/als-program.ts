// ALS's work on fixed blocks of rows, the same code on every thread of a training's team (lib/threads/team.ts)
// and on the calling thread alone: CG refinement, eigenbasis rotation and partial Gram matrices per block.
import type { ProgramHandler } from '../../lib/threads/team.js';
import { kernelsOn, type Kernels } from './simd.js';

export const CG = 0, ROTATE = 1, GRAM = 2;
/** Rows per partial Gram matrix: fixed, so the reduction (in block order) is the same for any thread count. */
export const GRAM_ROWS = 4096;
/** Per-thread scratch: r, p, Ap and the rotation's tmp row. */
export const SCRATCH_ROWS = 4;

/**
 * The handler of one thread over kernels K, with its scratch rows at `scratch` + thread x SCRATCH_ROWS rows.
 * Blocks' row bounds live in the kernels' memory (Int32 at boundsP), so every thread reads the same partition.
 *   CG     i32: ptrP idxP valP X F G diag kb steps boundsP      (rows bounds[b]..bounds[b+1])
 *   ROTATE i32: F Q kb boundsP
 *   GRAM   i32: F n kb partials   (rows b*GRAM_ROWS.., into the k x k partial matrix b)
 */
export function alsHandler(K: Kernels, scratch: number, kb: number, thread: number): ProgramHandler {
  const r = scratch + thread * SCRATCH_ROWS * kb, p = r + kb, Ap = p + kb, tmp = Ap + kb;
  return (task, block, a) => {
    if (task === CG) {
      const b = (a[9]! >> 2) + block, start = K.i32[b]!, end = K.i32[b + 1]!;
      K.cgrows(a[0]! + start * 4, a[1]!, a[2]!, end - start, a[3]! + start * kb, a[4]!, a[5]!, a[6]!, kb, a[8]!, r, p, Ap);
    } else if (task === ROTATE) {
      const b = (a[3]! >> 2) + block, start = K.i32[b]!, end = K.i32[b + 1]!;
      K.rotate(a[0]! + start * kb, end - start, a[1]!, kb, tmp);
    } else if (task === GRAM) {
      const start = block * GRAM_ROWS, end = Math.min(a[1]!, start + GRAM_ROWS), w = kb >> 2, at = a[3]! + block * w * kb;
      K.f32.fill(0, at >> 2, (at >> 2) + w * w);
      K.gramAdd(a[0]! + start * kb, end - start, at, kb);
    }
  };
}

/** Team entry (see lib/threads/team.ts): data = { memory, pages, maxPages, scratch, kb }. */
export function program(data: { memory: WebAssembly.Memory; pages: number; maxPages: number; scratch: number; kb: number }, thread: number): ProgramHandler {
  const K = kernelsOn(data.memory, data.pages, data.maxPages);
  if (!K) throw new Error('this runtime has no WebAssembly SIMD with shared memory');
  return alsHandler(K, data.scratch, data.kb, thread);
}
