// WASM SIMD kernels for the dense inner loops of ALS (f32x4 dot/axpy), assembled from bytes at load
// and compiled synchronously, so train() stays synchronous. Scalar JS twins run where SIMD is missing.
//
// Why hand-assembled: scalar JS reaches ~0.5 GMAC/s on these loops (measured), 4-8x short of what
// the sparse CG passes need; TF.js's wasm backend has the speed but only behind async init and
// per-op tensor copies. All pointers are byte offsets into the kernels' own memory; every row is
// `kb` bytes (k padded to a multiple of 8 floats so the loops run two f32x4 lanes per step).

export interface Kernels {
  readonly simd: boolean;
  /** Views over the memory; refreshed by reserve(), so re-read after it. */
  f32: Float32Array;
  i32: Int32Array;
  /** Make the memory at least `bytes` long (invalidates earlier views). */
  reserve(bytes: number): void;
  /**
   * For rows q in [start, end) of a CSR (idx i32 / val f32 at byte offsets idxP / valP): with y = Y row idx[q],
   * c = val[q], d = y·v: out += f y, f = (c-1) d (mode 1: a CG product) or c - (c-1) d (mode 0: a residual).
   */
  rowpass(idxP: number, valP: number, start: number, end: number, Y: number, v: number, out: number, kb: number, mode: number): void;
  /** out[r] = M_r · v for rows r < rows (f32 results at out + 4r). */
  matvec(M: number, rows: number, v: number, out: number, kb: number): void;
  /** G += Σ_r f_r f_rᵀ over rows r < n of F (G is k x k with row stride kb). */
  gramAdd(F: number, n: number, G: number, kb: number): void;
}

// ---- a minimal assembler --------------------------------------------------------------------
const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const u32 = (n: number): number[] => {
  const out: number[] = [];
  do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n);
  return out;
};
const s32 = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f; n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...u32(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...u32(body.length), ...body];
const name = (s: string): number[] => [...u32(s.length), ...new TextEncoder().encode(s)];

const get = (i: number) => [0x20, ...u32(i)], set = (i: number) => [0x21, ...u32(i)], tee = (i: number) => [0x22, ...u32(i)];
const i32c = (n: number) => [0x41, ...s32(n)];
const f32c = (x: number) => [0x43, ...new Uint8Array(Float32Array.of(x).buffer)];
const add = [0x6a], mul = [0x6c], shl = [0x74], geU = [0x4f];
const f32add = [0x92], f32sub = [0x93], f32mul = [0x94], select = [0x1b];
const i32load = [0x28, 2, 0], f32load = [0x2a, 2, 0], f32store = [0x38, 2, 0];
const vload = (off: number) => [0xfd, 0x00, 4, ...u32(off)];
const vstore = (off: number) => [0xfd, 0x0b, 4, ...u32(off)];
const vzero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const splat = [0xfd, 0x13], lane = (l: number) => [0xfd, 0x1f, l];
const f4add = [0xfd, 0xe4, 0x01], f4mul = [0xfd, 0xe6, 0x01];

/** `for (; counter < limit; counter += step) body` where limit is an expression. */
const loopWhileLess = (counter: number, limit: number[], step: number, body: number[]): number[] => [
  0x02, 0x40, 0x03, 0x40,
  ...get(counter), ...limit, ...geU, 0x0d, 1,
  ...body,
  ...get(counter), ...i32c(step), ...add, ...set(counter),
  0x0c, 0, 0x0b, 0x0b,
];

/** acc0/acc1 = 0, then over a in [0, kb) by 32 bytes: acc += M[base+a..] * v[a..]; leaves the lane sum on the stack. */
const dot = (base: number, v: number, kb: number, a: number, acc0: number, acc1: number, tmp: number): number[] => [
  ...vzero, ...set(acc0), ...vzero, ...set(acc1), ...i32c(0), ...set(a),
  ...loopWhileLess(a, get(kb), 32, [
    ...get(acc0), ...get(base), ...get(a), ...add, ...vload(0), ...get(v), ...get(a), ...add, ...vload(0), ...f4mul, ...f4add, ...set(acc0),
    ...get(acc1), ...get(base), ...get(a), ...add, ...vload(16), ...get(v), ...get(a), ...add, ...vload(16), ...f4mul, ...f4add, ...set(acc1),
  ]),
  ...get(acc0), ...get(acc1), ...f4add, ...tee(tmp), ...lane(0), ...get(tmp), ...lane(1), ...f32add,
  ...get(tmp), ...lane(2), ...f32add, ...get(tmp), ...lane(3), ...f32add,
];

/** out[a..] += s * y[a..] over a in [0, kb), 32 bytes per step. */
const axpy = (out: number, y: number, s: number, kb: number, a: number): number[] => [
  ...i32c(0), ...set(a),
  ...loopWhileLess(a, get(kb), 32, [
    ...get(out), ...get(a), ...add, ...get(out), ...get(a), ...add, ...vload(0), ...get(s), ...get(y), ...get(a), ...add, ...vload(0), ...f4mul, ...f4add, ...vstore(0),
    ...get(out), ...get(a), ...add, ...get(out), ...get(a), ...add, ...vload(16), ...get(s), ...get(y), ...get(a), ...add, ...vload(16), ...f4mul, ...f4add, ...vstore(16),
  ]),
];

function assemble(): Uint8Array<ArrayBuffer> {
  // rowpass(idxP0 valP1 start2 end3 Y4 v5 out6 kb7 mode8) locals: q9 yo10 a11 | c12 d13 | acc14 acc15 fs16 tmp17
  const rowpass = [
    ...vec([[3, I32], [2, F32], [4, V128]]),
    ...get(2), ...set(9),
    ...loopWhileLess(9, get(3), 1, [
      ...get(4), ...get(0), ...get(9), ...i32c(2), ...shl, ...add, ...i32load, ...get(7), ...mul, ...add, ...set(10),
      ...get(1), ...get(9), ...i32c(2), ...shl, ...add, ...f32load, ...set(12),
      ...dot(10, 5, 7, 11, 14, 15, 17),
      ...get(12), ...f32c(1), ...f32sub, ...f32mul, ...set(13), // d := (c-1) d
      ...get(13), ...get(12), ...get(13), ...f32sub, ...get(8), ...select, ...splat, ...set(16),
      ...axpy(6, 10, 16, 7, 11),
    ]),
    0x0b,
  ];
  // matvec(M0 rows1 v2 out3 kb4) locals: r5 mo6 a7 | acc8 acc9 tmp10 ; r counts bytes of out (4 per row)
  const matvec = [
    ...vec([[3, I32], [3, V128]]),
    ...get(0), ...set(6),
    ...loopWhileLess(5, [...get(1), ...i32c(2), ...shl], 4, [
      ...get(3), ...get(5), ...add,
      ...dot(6, 2, 4, 7, 8, 9, 10),
      ...f32store,
      ...get(6), ...get(4), ...add, ...set(6),
    ]),
    0x0b,
  ];
  // gramAdd(F0 n1 G2 kb3) locals: r4 fo5 a6 ga7 b8 | fa9
  const gramAdd = [
    ...vec([[5, I32], [1, V128]]),
    ...get(0), ...set(5),
    ...loopWhileLess(4, get(1), 1, [
      ...get(2), ...set(7),
      ...i32c(0), ...set(6),
      ...loopWhileLess(6, get(3), 4, [
        ...get(5), ...get(6), ...add, ...f32load, ...splat, ...set(9),
        ...axpy(7, 5, 9, 3, 8),
        ...get(7), ...get(3), ...add, ...set(7),
      ]),
      ...get(5), ...get(3), ...add, ...set(5),
    ]),
    0x0b,
  ];
  const types = vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0],
    [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0],
  ]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(3, vec([[0], [1], [2]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([
      [...name('memory'), 0x02, 0], [...name('rowpass'), 0x00, 0], [...name('matvec'), 0x00, 1], [...name('gramAdd'), 0x00, 2],
    ])),
    ...section(10, vec([rowpass, matvec, gramAdd].map((b) => [...u32(b.length), ...b]))),
  ];
  return new Uint8Array(bytes);
}

let compiled: WebAssembly.Module | null | undefined;
function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = assemble();
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Fresh kernels with their own memory: WASM SIMD when the runtime has it, scalar JS otherwise. */
export function createKernels(forceJs = false): Kernels {
  const mod = forceJs ? null : simdModule();
  if (mod) {
    const inst = new WebAssembly.Instance(mod, {});
    const ex = inst.exports as unknown as {
      memory: WebAssembly.Memory; rowpass: Kernels['rowpass']; matvec: Kernels['matvec']; gramAdd: Kernels['gramAdd'];
    };
    const k: Kernels = {
      simd: true,
      f32: new Float32Array(ex.memory.buffer),
      i32: new Int32Array(ex.memory.buffer),
      reserve(bytes) {
        const have = ex.memory.buffer.byteLength;
        if (bytes > have) ex.memory.grow(Math.ceil((bytes - have) / 65536));
        k.f32 = new Float32Array(ex.memory.buffer);
        k.i32 = new Int32Array(ex.memory.buffer);
      },
      rowpass: ex.rowpass, matvec: ex.matvec, gramAdd: ex.gramAdd,
    };
    return k;
  }
  return jsKernels();
}

/** The same kernels in scalar JS over a growable ArrayBuffer. */
function jsKernels(): Kernels {
  const k: Kernels = {
    simd: false,
    f32: new Float32Array(0),
    i32: new Int32Array(0),
    reserve(bytes) {
      if (bytes <= k.f32.byteLength) return;
      const buf = new ArrayBuffer(Math.ceil(bytes / 65536) * 65536);
      new Uint8Array(buf).set(new Uint8Array(k.f32.buffer));
      k.f32 = new Float32Array(buf);
      k.i32 = new Int32Array(buf);
    },
    rowpass(idxP, valP, start, end, Y, v, out, kb, mode) {
      const f = k.f32, ii = k.i32, n = kb >> 2, vo = v >> 2, oo = out >> 2;
      for (let q = start; q < end; q++) {
        const yo = (Y + ii[(idxP >> 2) + q]! * kb) >> 2, c = f[(valP >> 2) + q]!;
        let d = 0;
        for (let a = 0; a < n; a++) d += f[yo + a]! * f[vo + a]!;
        const t = (c - 1) * d, s = mode ? t : c - t;
        for (let a = 0; a < n; a++) f[oo + a]! += s * f[yo + a]!;
      }
    },
    matvec(M, rows, v, out, kb) {
      const f = k.f32, n = kb >> 2, vo = v >> 2;
      for (let r = 0; r < rows; r++) {
        const mo = (M >> 2) + r * n;
        let d = 0;
        for (let a = 0; a < n; a++) d += f[mo + a]! * f[vo + a]!;
        f[(out >> 2) + r] = d;
      }
    },
    gramAdd(F, n, G, kb) {
      const f = k.f32, w = kb >> 2;
      for (let r = 0; r < n; r++) {
        const fo = (F >> 2) + r * w;
        for (let a = 0; a < w; a++) {
          const fa = f[fo + a]!, go = (G >> 2) + a * w;
          if (fa !== 0) for (let b = 0; b < w; b++) f[go + b]! += fa * f[fo + b]!;
        }
      }
    },
  };
  return k;
}
