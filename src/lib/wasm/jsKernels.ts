// Plain-JS versions of the exact kernels, on the same memory layout and in the same f32 summation
// order (Math.fround after every operation), so the fallback returns bit-identical scores.

const fr = Math.fround;

/** The subset of KernelExports the fallback provides (no int8 pass: it could not be faster here). */
export interface ExactKernels {
  rowDot(row: number, q: number): number;
  dotAll(f: number, n: number, q: number, bias: number, infl: number, w: number, out: number): void;
  dotAllOffsets(f: number, n: number, q: number, bias: number, infl: number, w: number, out: number): void;
  scanF32(f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
  scanF32Offsets(f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
  heapOffer(hs: number, hi: number, k: number, sizePtr: number, s: number, idx: number): number;
  sumAll(p: number, nbytes: number): number;
}

/** Kernels over `buffer` for rows of dp floats (pointers are byte offsets, 4-aligned). */
export function jsKernels(buffer: ArrayBufferLike, dp: number): ExactKernels {
  const f32 = new Float32Array(buffer), i32 = new Int32Array(buffer), u8 = new Uint8Array(buffer);
  const quads = dp >> 4, rest = (dp >> 2) & 3;

  // Accumulator t (0..3) holds lanes a{t}{l}; chunk j of 4 floats goes to accumulator j % 4.
  const rowDot = (row: number, q: number): number => {
    let r = row >> 2, s = q >> 2;
    let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0;
    let a20 = 0, a21 = 0, a22 = 0, a23 = 0, a30 = 0, a31 = 0, a32 = 0, a33 = 0;
    const chunk = (t: number): void => {
      const p0 = fr(f32[r]! * f32[s]!), p1 = fr(f32[r + 1]! * f32[s + 1]!), p2 = fr(f32[r + 2]! * f32[s + 2]!), p3 = fr(f32[r + 3]! * f32[s + 3]!);
      if (t === 0) { a00 = fr(a00 + p0); a01 = fr(a01 + p1); a02 = fr(a02 + p2); a03 = fr(a03 + p3); }
      else if (t === 1) { a10 = fr(a10 + p0); a11 = fr(a11 + p1); a12 = fr(a12 + p2); a13 = fr(a13 + p3); }
      else if (t === 2) { a20 = fr(a20 + p0); a21 = fr(a21 + p1); a22 = fr(a22 + p2); a23 = fr(a23 + p3); }
      else { a30 = fr(a30 + p0); a31 = fr(a31 + p1); a32 = fr(a32 + p2); a33 = fr(a33 + p3); }
      r += 4; s += 4;
    };
    for (let m = 0; m < quads; m++) { chunk(0); chunk(1); chunk(2); chunk(3); }
    for (let t = 0; t < rest; t++) chunk(t);
    const v0 = fr(fr(a00 + a10) + fr(a20 + a30)), v1 = fr(fr(a01 + a11) + fr(a21 + a31));
    const v2 = fr(fr(a02 + a12) + fr(a22 + a32)), v3 = fr(fr(a03 + a13) + fr(a23 + a33));
    return fr(fr(v0 + v2) + fr(v1 + v3));
  };

  const score = (i: number, f: number, q: number, bias: number, infl: number, w: number, offsets: boolean): number => {
    const s = rowDot(f + i * dp * 4, q);
    return offsets ? fr(fr(s + f32[(bias >> 2) + i]!) + fr(w * f32[(infl >> 2) + i]!)) : s;
  };

  const dotAllWith = (offsets: boolean) => (f: number, n: number, q: number, bias: number, infl: number, w: number, out: number): void => {
    const o = out >> 2;
    w = fr(w);
    for (let i = 0; i < n; i++) f32[o + i] = score(i, f, q, bias, infl, w, offsets);
  };

  // a ranks below b: lower score, or the same score at a higher index
  const worse = (sa: number, ia: number, sb: number, ib: number): boolean => sa < sb || (sa === sb && ia > ib);
  const heapOffer = (hs: number, hi: number, k: number, sizePtr: number, s: number, idx: number): number => {
    const S = hs >> 2, I = hi >> 2;
    let size = i32[sizePtr >> 2]!, j: number;
    if (size < k) {
      j = size++;
      i32[sizePtr >> 2] = size;
      while (j > 0) {
        const p = (j - 1) >> 1;
        if (!worse(s, idx, f32[S + p]!, i32[I + p]!)) break;
        f32[S + j] = f32[S + p]!; i32[I + j] = i32[I + p]!;
        j = p;
      }
      f32[S + j] = s; i32[I + j] = idx;
    } else if (worse(f32[S]!, i32[I]!, s, idx)) {
      j = 0;
      for (;;) {
        let m = 2 * j + 1;
        if (m >= size) break;
        if (m + 1 < size && worse(f32[S + m + 1]!, i32[I + m + 1]!, f32[S + m]!, i32[I + m]!)) m++;
        if (!worse(f32[S + m]!, i32[I + m]!, s, idx)) break;
        f32[S + j] = f32[S + m]!; i32[I + j] = i32[I + m]!;
        j = m;
      }
      f32[S + j] = s; i32[I + j] = idx;
    }
    return size >= k ? f32[S]! : NaN;
  };

  const scanWith = (offsets: boolean) => (f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void => {
    w = fr(w);
    let thr = i32[sizePtr >> 2]! >= k ? f32[hs >> 2]! : NaN;
    for (let i = start; i < end; i++) {
      const s = score(i, f, q, bias, infl, w, offsets);
      if (!(s <= thr) && s === s && (useMask === 0 || u8[mask + i] !== 0)) thr = heapOffer(hs, hi, k, sizePtr, s, i);
    }
  };

  return {
    rowDot,
    heapOffer,
    dotAll: dotAllWith(false),
    dotAllOffsets: dotAllWith(true),
    scanF32: scanWith(false),
    scanF32Offsets: scanWith(true),
    sumAll(p: number, nbytes: number): number {
      let s = 0;
      for (let k = p >> 2, e = (p + nbytes) >> 2; k < e; k++) s += f32[k]!;
      return s;
    },
  };
}
