// Touching fresh shared memory on a side thread (lib/threads/prefault.ts) never changes what the caller writes.
import { describe, expect, it } from 'vitest';
import { PREFAULT_MIN_BYTES, prefaultAside } from '../src/lib/threads/prefault.js';

const sharedOf = <T extends Int32Array | Float64Array>(C: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T =>
  new C(new SharedArrayBuffer(n * C.BYTES_PER_ELEMENT));

describe('prefaultAside', () => {
  it('keeps every value the caller wrote before and while the side thread touches the pages', async () => {
    const n = 4 << 20; // 16 MB of Int32 + 32 MB of Float64
    const ids = sharedOf(Int32Array, n), times = sharedOf(Float64Array, n);
    // Written before the thread starts: a thread that touched pages by writing to them would wipe these.
    for (let p = 0; p < n; p += 1024) { ids[p] = p + 1; times[p] = p + 0.5; }
    const done = prefaultAside([[ids], [times]]);
    expect(done).not.toBeNull();
    // Written while it runs, from the far end, where its touches begin: both threads write the same pages.
    for (let p = n - 1; p >= 0; p--) { if (p % 1024) { ids[p] = -p; times[p] = -p - 0.25; } }
    await done;
    let wrong = 0;
    for (let p = 0; p < n; p++) {
      const want = p % 1024 ? -p : p + 1, wantT = p % 1024 ? -p - 0.25 : p + 0.5;
      if (ids[p] !== want || times[p] !== wantT) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('starts no thread for small arrays, nor for arrays that are not shared', () => {
    expect(prefaultAside([[new Int32Array(new SharedArrayBuffer(1024))]])).toBeNull();
    expect(prefaultAside([[new Float64Array(PREFAULT_MIN_BYTES / 8)]])).toBeNull();
  });
});
