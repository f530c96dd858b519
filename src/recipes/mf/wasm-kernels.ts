// A minimal WebAssembly assembler and the ALS kernels written with it (f32x4 SIMD): rowpass, matvec,
// gramAdd, cgrows, rotate; and the fold-in's f64 sums, foldAdd, written with lib/wasm/encoder.ts's Code.
// Bytes are built at load, so no build step or binary file is needed.
// Conventions: every pointer is a byte offset; rows are `kb` bytes, a multiple of 32.
import { Code } from '../../lib/wasm/encoder.js';

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
const add = [0x6a], mul = [0x6c], shl = [0x74], geU = [0x4f], and = [0x71];
const f32add = [0x92], f32sub = [0x93], f32mul = [0x94], select = [0x1b];
const i32load = [0x28, 2, 0], f32load = [0x2a, 2, 0], f32store = [0x38, 2, 0];
const vload = (off: number) => [0xfd, 0x00, 4, ...u32(off)];
const vstore = (off: number) => [0xfd, 0x0b, 4, ...u32(off)];
const vzero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const splat = [0xfd, 0x13], lane = (l: number) => [0xfd, 0x1f, l];
const f4add = [0xfd, 0xe4, 0x01], f4sub = [0xfd, 0xe5, 0x01], f4mul = [0xfd, 0xe6, 0x01], f4div = [0xfd, 0xe7, 0x01], f4neg = [0xfd, 0xe1, 0x01];
const f32div = [0x95], f32gt = [0x5e], f32le = [0x5f], shrU = [0x76], eqz = [0x45], gtU = [0x4b];
const F64 = 0x7c;
const call = (f: number) => [0x10, ...u32(f)];
const block = (body: number[]) => [0x02, 0x40, ...body, 0x0b];
const loop = (body: number[]) => [0x03, 0x40, ...body, 0x0b];
const ifElse = (then: number[], otherwise: number[]) => [0x04, 0x40, ...then, 0x05, ...otherwise, 0x0b];

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

/** `for (a = 0; a < kb; a += 16) body`: one f32x4 lane group per step (body addresses via at()). */
const vloop = (a: number, kb: number, body: number[]): number[] => [...i32c(0), ...set(a), ...loopWhileLess(a, get(kb), 16, body)];
const at = (base: number, a: number) => [...get(base), ...get(a), ...add];

/**
 * cgrows(ptrP0 idxP1 valP2 nRows3 X4 F5 G6 diag7 kb8 steps9 r10 p11 Ap12)
 * locals: row13 start14 end15 xb16 it17 a18 | rsold19 rsnew20 alpha21 pAp22 beta23 | acc24 acc25 tmp26 s27
 */
function cgrowsBody(): number[] {
  const dotv = (x: number, y: number) => dot(x, y, 8, 18, 24, 25, 26);
  const baseProduct = (v: number, out: number) => [ // out = G v
    ...get(7),
    ...ifElse(
      vloop(18, 8, [...at(out, 18), ...at(6, 18), ...vload(0), ...at(v, 18), ...vload(0), ...f4mul, ...vstore(0)]),
      [...get(6), ...get(8), ...i32c(2), ...shrU, ...get(v), ...get(out), ...get(8), ...call(1)],
    ),
  ];
  const step = [
    ...get(17), ...get(9), ...geU, 0x0d, 1,
    ...get(19), ...f32c(1e-20), ...f32le, 0x0d, 1,
    ...baseProduct(11, 12),
    ...get(1), ...get(2), ...get(14), ...get(15), ...get(5), ...get(11), ...get(12), ...get(8), ...i32c(1), ...call(0),
    ...dotv(11, 12), ...set(22),
    ...get(22), ...f32c(0), ...f32gt, ...eqz, 0x0d, 1,
    ...get(19), ...get(22), ...f32div, ...set(21),
    ...get(21), ...splat, ...set(27),
    ...vloop(18, 8, [
      ...at(16, 18), ...at(16, 18), ...vload(0), ...get(27), ...at(11, 18), ...vload(0), ...f4mul, ...f4add, ...vstore(0),
      ...at(10, 18), ...at(10, 18), ...vload(0), ...get(27), ...at(12, 18), ...vload(0), ...f4mul, ...f4sub, ...vstore(0),
    ]),
    // z (in Ap) = λ⁻¹ r (diag) or r; rsnew = r·z; p = z + β p
    ...get(7),
    ...ifElse(
      vloop(18, 8, [...at(12, 18), ...at(10, 18), ...vload(0), ...at(6, 18), ...vload(0), ...f4div, ...vstore(0)]),
      vloop(18, 8, [...at(12, 18), ...at(10, 18), ...vload(0), ...vstore(0)]),
    ),
    ...dotv(10, 12), ...set(20),
    ...get(20), ...get(19), ...f32div, ...set(23),
    ...get(23), ...splat, ...set(27),
    ...vloop(18, 8, [...at(11, 18), ...at(12, 18), ...vload(0), ...get(27), ...at(11, 18), ...vload(0), ...f4mul, ...f4add, ...vstore(0)]),
    ...get(20), ...set(19),
    ...get(17), ...i32c(1), ...add, ...set(17),
    0x0c, 0,
  ];
  return [
    ...vec([[6, I32], [5, F32], [4, V128]]),
    ...loopWhileLess(13, get(3), 1, [
      ...get(0), ...get(13), ...i32c(2), ...shl, ...add, ...tee(18), ...i32load, ...set(14),
      ...get(18), ...i32c(4), ...add, ...i32load, ...set(15),
      ...get(4), ...get(13), ...get(8), ...mul, ...add, ...set(16),
      // r = -(G x) + Σ (c - (c-1) f·x) f; p = z = λ⁻¹ r (diag) or r
      ...baseProduct(16, 10),
      ...vloop(18, 8, [...at(10, 18), ...at(10, 18), ...vload(0), ...f4neg, ...vstore(0)]),
      ...get(1), ...get(2), ...get(14), ...get(15), ...get(5), ...get(16), ...get(10), ...get(8), ...i32c(0), ...call(0),
      ...get(7),
      ...ifElse(
        vloop(18, 8, [...at(11, 18), ...at(10, 18), ...vload(0), ...at(6, 18), ...vload(0), ...f4div, ...vstore(0)]),
        vloop(18, 8, [...at(11, 18), ...at(10, 18), ...vload(0), ...vstore(0)]),
      ),
      ...dotv(10, 11), ...set(19),
      ...i32c(0), ...set(17),
      ...block(loop(step)),
    ]),
    0x0b,
  ];
}

/**
 * foldAdd(A0 b1 Y2 items3 cs4 nd5 k6 kb7): the fold-in's sums in f64 (model.ts), for t < nd with y = the f32 row
 * items[t] of Y (rows kb bytes) and c = cs[t] (f64): b[a] += c y[a]; A[a][c2] += ((c - 1) y[a]) y[c2] for c2 <= a.
 * Each entry of A is summed over t in order, as the scalar loop does, so the bytes are the same; the loops are
 * turned inside out: a block of entries (two rows x up to eight columns) stays in registers while t runs, where
 * the loop over t outside loaded and stored every entry once per t (64 x 64, 139 items: 70 -> 43 us). Rows go in
 * pairs and columns in pairs up to the row pair's diagonal, so A[a][a + 1] of even rows a also gets a sum
 * (upper-triangle garbage the caller overwrites); with k odd the last row's last pair reaches one f64 past A, the
 * slack it needs.
 */
function foldAddCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [A, b, Y, items, cs, nd, k, kb] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const t = c.local(I32), yo = c.local(I32), a0 = c.local(I32), row0 = c.local(I32), cc = c.local(I32), cols = c.local(I32), p = c.local(I32);
  const at0 = c.local(I32), at1 = c.local(I32); // a block's first entry in its first and second row
  const cm1 = c.local(F64), cv = c.local(V128), f0 = c.local(V128), f1 = c.local(V128), yp = c.local(V128);
  const acc = Array.from({ length: 8 }, () => c.local(V128));
  const rowBytes = () => c.get(k).i32Const(3).i32Shl(); // a row of A: k f64
  // yo = Y + items[t] * kb
  const rowOfT = () => { c.get(Y).get(items).get(t).i32Const(2).i32Shl().i32Add().i32Load().get(kb).i32Mul().i32Add().set(yo); };
  // for (counter = from(); counter < limit() (unsigned); counter += step) body()
  const forUp = (counter: number, from: () => void, limit: () => void, step: number, body: () => void) => {
    from(); c.set(counter);
    c.block().loop();
    c.get(counter); limit(); c.i32GeU().brIf(1);
    body();
    c.get(counter).i32Const(step).i32Add().set(counter);
    c.br(0).end().end();
  };
  const zero = () => { c.i32Const(0); };
  // splat((c - 1) * y[row]) for the row at byte offset at() of y
  const factor = (into: number, at: () => void) => { c.get(cm1).get(yo); at(); c.i32Add().f32Load().f64PromoteF32().f64Mul().f64x2Splat().set(into); };

  // b[a] += c y[a], two a at a time, then the last a when k is odd.
  forUp(t, zero, () => c.get(nd), 1, () => {
    rowOfT();
    c.get(cs).get(t).i32Const(3).i32Shl().i32Add().f64Load().f64x2Splat().set(cv);
    forUp(a0, zero, () => c.get(k).i32Const(1).i32Sub(), 2, () => {
      c.get(b).get(a0).i32Const(3).i32Shl().i32Add().tee(p);
      c.get(p).v128Load().get(cv).get(yo).get(a0).i32Const(2).i32Shl().i32Add().v128Load64Zero().f64x2PromoteLowF32x4().f64x2Mul().f64x2Add().v128Store();
    });
    c.get(a0).get(k).i32LtU().if_();
    c.get(b).get(a0).i32Const(3).i32Shl().i32Add().tee(p);
    c.get(p).f64Load().get(cv).f64x2ExtractLane(0).get(yo).get(a0).i32Const(2).i32Shl().i32Add().f32Load().f64PromoteF32().f64Mul().f64Add().f64Store();
    c.end();
  });

  // One block: `pairs` column pairs from column cc of row row0 (and of the next row when `twoRows`), with the
  // factors of rows a0 (and a0 + 1) per t. Accumulators: acc[2 j] the first row's pair j, acc[2 j + 1] the second's.
  const blockPass = (pairs: number, twoRows: boolean) => {
    c.get(row0).get(cc).i32Const(3).i32Shl().i32Add().tee(at0);
    rowBytes(); c.i32Add().set(at1);
    for (let j = 0; j < pairs; j++) {
      c.get(at0).v128Load(16 * j).set(acc[2 * j]!);
      if (twoRows) c.get(at1).v128Load(16 * j).set(acc[2 * j + 1]!);
    }
    forUp(t, zero, () => c.get(nd), 1, () => {
      rowOfT();
      c.get(cs).get(t).i32Const(3).i32Shl().i32Add().f64Load().f64Const(1).f64Sub().set(cm1);
      factor(f0, () => c.get(a0).i32Const(2).i32Shl());
      if (twoRows) factor(f1, () => c.get(a0).i32Const(2).i32Shl().i32Const(4).i32Add());
      for (let j = 0; j < pairs; j++) {
        c.get(yo).get(cc).i32Const(2).i32Shl().i32Add().v128Load64Zero(8 * j).f64x2PromoteLowF32x4().set(yp);
        c.get(acc[2 * j]!).get(f0).get(yp).f64x2Mul().f64x2Add().set(acc[2 * j]!);
        if (twoRows) c.get(acc[2 * j + 1]!).get(f1).get(yp).f64x2Mul().f64x2Add().set(acc[2 * j + 1]!);
      }
    });
    for (let j = 0; j < pairs; j++) {
      c.get(at0).get(acc[2 * j]!).v128Store(16 * j);
      if (twoRows) c.get(at1).get(acc[2 * j + 1]!).v128Store(16 * j);
    }
  };
  // The columns 0..a0 + 1 of row a0 (and a0 + 1): by 8 while 8 remain, then by 2.
  const rowsPass = (twoRows: boolean) => {
    c.get(A).get(a0); rowBytes(); c.i32Mul().i32Add().set(row0);
    c.get(a0).i32Const(2).i32Add().set(cols);
    c.i32Const(0).set(cc);
    c.block().loop();
    c.get(cc).i32Const(8).i32Add().get(cols).i32GtS().brIf(1);
    blockPass(4, twoRows);
    c.get(cc).i32Const(8).i32Add().set(cc);
    c.br(0).end().end();
    c.block().loop();
    c.get(cc).get(cols).i32GeS().brIf(1);
    blockPass(1, twoRows);
    c.get(cc).i32Const(2).i32Add().set(cc);
    c.br(0).end().end();
  };
  forUp(a0, zero, () => c.get(k).i32Const(1).i32Sub(), 2, () => rowsPass(true));
  // k odd: the last row alone (its last pair reaches the slack f64 after A).
  c.get(a0).get(k).i32LtU().if_();
  rowsPass(false);
  c.end();
  return c;
}

/**
 * rowpass's first part: entries q, q+1, q+2, q+3 per pass while four remain. The four dot products share the loads
 * of v and the four updates one load and store of out, and the four rows' loads are in flight together. Every
 * float operation is the one the one-at-a-time loop does, in the same order (each dot keeps its two accumulators
 * and lane sum; out gets + s y per entry in entry order), so the results are the same bytes.
 */
function rowpass4(): number[] {
  const Q = 9, A = 11, y = (i: number) => 18 + i, c = (i: number) => 22 + i, acc = (i: number) => 26 + i, s = (i: number) => 34 + i;
  const body: number[] = [
    ...get(Q), ...i32c(4), ...add, ...get(3), ...gtU, 0x0d, 1,
  ];
  for (let i = 0; i < 4; i++) {
    body.push(
      ...get(4), ...get(0), ...get(Q), ...i32c(2), ...shl, ...add, 0x28, 2, ...u32(4 * i), ...get(7), ...mul, ...add, ...set(y(i)),
      ...get(1), ...get(Q), ...i32c(2), ...shl, ...add, 0x2a, 2, ...u32(4 * i), ...set(c(i)),
    );
  }
  for (let i = 0; i < 8; i++) body.push(...vzero, ...set(acc(i)));
  const dots: number[] = [...get(5), ...get(A), ...add, ...vload(0), ...set(38), ...get(5), ...get(A), ...add, ...vload(16), ...set(39)];
  for (let i = 0; i < 4; i++) {
    dots.push(
      ...get(acc(2 * i)), ...get(y(i)), ...get(A), ...add, ...vload(0), ...get(38), ...f4mul, ...f4add, ...set(acc(2 * i)),
      ...get(acc(2 * i + 1)), ...get(y(i)), ...get(A), ...add, ...vload(16), ...get(39), ...f4mul, ...f4add, ...set(acc(2 * i + 1)),
    );
  }
  body.push(...i32c(0), ...set(A), ...loopWhileLess(A, get(7), 32, dots));
  for (let i = 0; i < 4; i++) {
    body.push(
      ...get(acc(2 * i)), ...get(acc(2 * i + 1)), ...f4add, ...tee(17), ...lane(0), ...get(17), ...lane(1), ...f32add,
      ...get(17), ...lane(2), ...f32add, ...get(17), ...lane(3), ...f32add,
      ...get(c(i)), ...f32c(1), ...f32sub, ...f32mul, ...set(13),
      ...get(13), ...get(c(i)), ...get(13), ...f32sub, ...get(8), ...select, ...splat, ...set(s(i)),
    );
  }
  const update: number[] = [...at(6, A)];
  update.push(...at(6, A), ...vload(0));
  for (let i = 0; i < 4; i++) update.push(...get(s(i)), ...at(y(i), A), ...vload(0), ...f4mul, ...f4add);
  update.push(...vstore(0));
  body.push(...vloop(A, 7, update));
  body.push(...get(Q), ...i32c(4), ...add, ...set(Q), 0x0c, 0);
  return block(loop(body));
}

/**
 * The kernels module's bytes (see Kernels in simd.ts for what each function computes). With `shared` the module
 * imports its memory (env.memory: shared, at least `pages` 64 KiB pages, growable to `maxPages`) instead of
 * defining its own, so the threads of a training's team run the same kernels over one memory.
 */
export function assembleKernels(shared?: { pages: number; maxPages: number }): Uint8Array<ArrayBuffer> {
  // rowpass(idxP0 valP1 start2 end3 Y4 v5 out6 kb7 mode8) locals: q9 yo10 a11 | c12 d13 | acc14 acc15 fs16 tmp17
  // | y18-21 | c22-25 | acc26-33 s34-37 v38 v39. Four entries per pass first (rowpass4), then one at a time.
  const rowpass = [
    ...vec([[3, I32], [2, F32], [4, V128], [4, I32], [4, F32], [14, V128]]),
    ...get(2), ...set(9),
    ...rowpass4(),
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
  // gramAdd(F0 n1 G2 kb3) locals: r4 f1_5 f2_6 a7 ga8 b9 | m10 | s1_11 s2_12
  // Two rows per pass over G (half the G traffic) and only lane groups at or right of the diagonal
  // (the caller mirrors the lower triangle); an odd last row pairs with itself at weight 0.
  const gramAdd = [
    ...vec([[6, I32], [1, F32], [2, V128]]),
    ...get(0), ...set(5),
    ...loopWhileLess(4, get(1), 2, [
      ...get(5), ...get(3), ...add, ...set(6), ...f32c(1), ...set(10),
      ...get(4), ...i32c(1), ...add, ...get(1), ...geU,
      0x04, 0x40, ...get(5), ...set(6), ...f32c(0), ...set(10), 0x0b,
      ...get(2), ...set(8), ...i32c(0), ...set(7),
      ...loopWhileLess(7, get(3), 4, [
        ...get(5), ...get(7), ...add, ...f32load, ...splat, ...set(11),
        ...get(6), ...get(7), ...add, ...f32load, ...get(10), ...f32mul, ...splat, ...set(12),
        ...get(7), ...i32c(-16), ...and, ...set(9),
        ...loopWhileLess(9, get(3), 16, [
          ...at(8, 9), ...at(8, 9), ...vload(0),
          ...get(11), ...at(5, 9), ...vload(0), ...f4mul, ...f4add,
          ...get(12), ...at(6, 9), ...vload(0), ...f4mul, ...f4add, ...vstore(0),
        ]),
        ...get(8), ...get(3), ...add, ...set(8),
      ]),
      ...get(5), ...get(3), ...i32c(1), ...shl, ...add, ...set(5),
    ]),
    0x0b,
  ];
  // rotate(F0 n1 Q2 kb3 tmp4) locals: r5 fo6 a7 qa8 b9 | s10 acc11 acc12
  // Per row, 8 output floats at a time in two registers (tmp[b..b+8] = Σ_a f[a] Q[a][b..b+8], a ascending, as a
  // running sum in memory would add them), then the row is copied back from tmp.
  const rotate = [
    ...vec([[5, I32], [3, V128]]),
    ...get(0), ...set(6),
    ...loopWhileLess(5, get(1), 1, [
      ...i32c(0), ...set(9),
      ...loopWhileLess(9, get(3), 32, [
        ...vzero, ...set(11), ...vzero, ...set(12),
        ...get(2), ...get(9), ...add, ...set(8),
        ...i32c(0), ...set(7),
        ...loopWhileLess(7, get(3), 4, [
          ...get(6), ...get(7), ...add, ...f32load, ...splat, ...set(10),
          ...get(11), ...get(10), ...get(8), ...vload(0), ...f4mul, ...f4add, ...set(11),
          ...get(12), ...get(10), ...get(8), ...vload(16), ...f4mul, ...f4add, ...set(12),
          ...get(8), ...get(3), ...add, ...set(8),
        ]),
        ...at(4, 9), ...get(11), ...vstore(0), ...at(4, 9), ...get(12), ...vstore(16),
      ]),
      ...vloop(9, 3, [...at(6, 9), ...at(4, 9), ...vload(0), ...vstore(0)]),
      ...get(6), ...get(3), ...add, ...set(6),
    ]),
    0x0b,
  ];
  const params = (n: number) => vec(new Array<number[]>(n).fill([I32]));
  const types = vec([[0x60, ...params(9), 0], [0x60, ...params(5), 0], [0x60, ...params(4), 0], [0x60, ...params(13), 0], [0x60, ...params(8), 0]]);
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...(shared ? section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...u32(shared.pages), ...u32(shared.maxPages)]])) : []),
    ...section(3, vec([[0], [1], [2], [3], [1], [4]])),
    ...(shared ? [] : section(5, vec([[0x00, 1]]))),
    ...section(7, vec([
      [...name('memory'), 0x02, 0], [...name('rowpass'), 0x00, 0], [...name('matvec'), 0x00, 1], [...name('gramAdd'), 0x00, 2],
      [...name('cgrows'), 0x00, 3], [...name('rotate'), 0x00, 4], [...name('foldAdd'), 0x00, 5],
    ])),
    ...section(10, [...u32(6), ...[rowpass, matvec, gramAdd, cgrowsBody(), rotate].flatMap((b) => [...u32(b.length), ...b]), ...foldAddCode().body()]),
  ];
  return new Uint8Array(bytes);
}
