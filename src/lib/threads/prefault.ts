// Fresh shared memory touched ahead on a short-lived thread, while the calling thread works on something else first:
// the first touch of a page is the slow part of filling a fresh array on this project's VM (~10.7 us per 4 KiB page,
// 2.6 ms per MB; the second pass over the same 100 MB takes 3.5 ms), and it can run on an idle core.
import { Worker } from 'node:worker_threads';

// CommonJS (eval): no file of ours to load, so the thread starts touching within a few ms of starting.
// Atomics.or(x, 0) is a write as far as the page tables go (the page gets its frame) that leaves the value as it is,
// so the caller may write the same arrays meanwhile: whichever thread comes first takes the fault, nothing is lost.
// Groups are touched one after the other, the buffers of a group in step (page k of each in turn), from their ends
// back: a caller filling a group's arrays together by position, from the start, meets this thread halfway instead of
// running into the pages it is touching, and each takes the faults of its own half.
const SOURCE = `
const { workerData } = require('node:worker_threads');
for (const group of workerData.groups) {
  const views = group.map(([b, at, bytes]) => new Int32Array(b, at, bytes >> 2));
  const pages = views.map((v) => Math.ceil(v.length / 1024));
  const most = Math.max(0, ...pages);
  for (let k = most - 1; k >= 0; k--) {
    for (let b = 0; b < views.length; b++) {
      const s = Math.floor((k * pages[b]) / most) * 1024;
      if (s < views[b].length) Atomics.or(views[b], s, 0);
    }
  }
}
`;

/** Bytes below which a thread of its own is not worth starting (it costs ~20-40 ms of CPU; 16 MB take ~40 ms to touch). */
export const PREFAULT_MIN_BYTES = 16 << 20;

/**
 * Touch every page of the arrays (views of SharedArrayBuffers; others are left out) on a thread of its own, group
 * after group. The caller does not wait for it: values are never changed, so the caller writes the arrays meanwhile
 * as it would have anyway, and finds most pages already there. Returns when the thread ends (for tests), or null
 * when nothing was started: less than PREFAULT_MIN_BYTES in all, or no thread could start (then the caller simply
 * takes the faults itself).
 */
export function prefaultAside(groups: ArrayBufferView[][]): Promise<void> | null {
  // Views of shared memory only (anything else would be copied to the thread), as buffer, byte offset (a multiple of
  // 4 for the thread's Int32Array) and length.
  const spans = groups.map((g) => g.filter((v) => v.buffer instanceof SharedArrayBuffer && v.byteOffset % 4 === 0)
    .map((v) => [v.buffer, v.byteOffset, v.byteLength] as const));
  const bytes = spans.flat().reduce((s, [, , n]) => s + n, 0);
  if (bytes < PREFAULT_MIN_BYTES) return null;
  try {
    const w = new Worker(SOURCE, { eval: true, workerData: { groups: spans } });
    w.unref(); // never keeps the process alive
    // An error only means the caller takes the faults itself.
    return new Promise((resolve) => { w.once('error', () => resolve()); w.once('exit', () => resolve()); });
  } catch {
    return null;
  }
}
