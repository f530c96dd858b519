// Generates the scoring module for one padded factor width: exact f32 dot products, a fused
// threshold scan, an int8 first pass with exact re-scoring, and a vectorized read (the floor).
import { assemble, Code, F32, I32, V128 } from './encoder.js';

/**
 * Summation order of every exact score (the JS fallback repeats it with Math.fround): the row
 * is cut into 4-float chunks; chunk j is added to accumulator j % 4 (all four start at +0);
 * they combine as (acc0 + acc1) + (acc2 + acc3) and the 4 lanes as (l0 + l2) + (l1 + l3).
 * With offsets the score is (dot + bias[i]) + w * influence[i].
 * Rows are walked one at a time with an inner loop over 16-float quads: TurboFan schedules all
 * loads of a basic block first, so a fully unrolled row would spill most of its registers.
 */
export interface KernelExports {
  /** out[i] = score(i) for rows [0, n). */
  dotAll(f: number, n: number, q: number, bias: number, infl: number, w: number, out: number): void;
  dotAllOffsets(f: number, n: number, q: number, bias: number, infl: number, w: number, out: number): void;
  /**
   * Exact scan of rows [start, end) into the bounded heap (hs scores, hi indices, k slots, its size
   * at sizePtr), which survives between calls: rows whose score beats the heap's worst are offered.
   */
  scanF32(f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
  scanF32Offsets(f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
  /** As scanF32, but rows are first bounded from above in int8 (start a multiple of 4) and re-scored exactly only if the bound beats the heap's worst. */
  scanQ8(q8: number, scale: number, qi16: number, b: number, kq: number, z: number, f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
  scanQ8Offsets(q8: number, scale: number, qi16: number, b: number, kq: number, z: number, f: number, start: number, end: number, q: number, bias: number, infl: number, w: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
  /** Offers (s, idx) to the heap; returns the new threshold (the worst kept score, NaN until k are kept). */
  heapOffer(hs: number, hi: number, k: number, sizePtr: number, s: number, idx: number): number;
  /** Exact dot product of one row (no offsets). */
  rowDot(row: number, q: number): number;
  /** Vectorized read of nbytes (a multiple of 128) from p: the memory-bandwidth floor. */
  sumAll(p: number, nbytes: number): number;
}

const ZERO = new Array<number>(16).fill(0);
const ROW_DOT = 0, HEAP_OFFER = 1; // function indices called from the scans' slow paths

interface RowLocals { acc: number[]; pp: number; qq: number; qend: number; v: number }
function rowLocals(c: Code): RowLocals {
  return { acc: [0, 1, 2, 3].map(() => c.local(V128)), pp: c.local(I32), qq: c.local(I32), qend: c.local(I32), v: c.local(V128) };
}

/** Pushes the exact dot product (f32) of the row at pointer local p with the query at local q. */
function emitRowDot(c: Code, p: number, q: number, dp: number, L: RowLocals): void {
  const chunks = dp / 4, quads = Math.floor(chunks / 4);
  for (const a of L.acc) c.v128Const(ZERO).set(a);
  if (quads > 0) {
    c.get(p).set(L.pp).get(q).set(L.qq).get(q).i32Const(64 * quads).i32Add().set(L.qend);
    c.loop();
    for (let t = 0; t < 4; t++) c.get(L.acc[t]!).get(L.pp).v128Load(16 * t).get(L.qq).v128Load(16 * t).f32x4Mul().f32x4Add().set(L.acc[t]!);
    c.get(L.pp).i32Const(64).i32Add().set(L.pp);
    c.get(L.qq).i32Const(64).i32Add().tee(L.qq).get(L.qend).i32LtU().brIf(0);
    c.end();
  }
  for (let j = quads * 4; j < chunks; j++) c.get(L.acc[j % 4]!).get(p).v128Load(16 * j).get(q).v128Load(16 * j).f32x4Mul().f32x4Add().set(L.acc[j % 4]!);
  c.get(L.acc[0]!).get(L.acc[1]!).f32x4Add().get(L.acc[2]!).get(L.acc[3]!).f32x4Add().f32x4Add().tee(L.v);
  c.get(L.v).get(L.v).shuffle32(2, 3, 0, 1).f32x4Add().tee(L.v);
  c.get(L.v).get(L.v).shuffle32(1, 0, 3, 2).f32x4Add().f32x4ExtractLane(0);
}

/** score -> (score + bias[i]) + w * infl[i], with bp/ip pointing at row i's entries. */
function emitOffsets(c: Code, bp: number, ip: number, w: number): void {
  c.get(bp).f32Load().f32Add().get(w).get(ip).f32Load().f32Mul().f32Add();
}

function rowDot(dp: number): Code {
  const c = new Code([I32, I32], [F32]);
  emitRowDot(c, 0, 1, dp, rowLocals(c));
  return c;
}

function dotAll(dp: number, offsets: boolean): Code {
  const c = new Code([I32, I32, I32, I32, I32, F32, I32], []);
  const [f, n, q, bias, infl, w, out] = [0, 1, 2, 3, 4, 5, 6] as const;
  const L = rowLocals(c), end = c.local(I32);
  c.get(out).get(n).i32Const(2).i32Shl().i32Add().set(end);
  c.block().loop();
  c.get(out).get(end).i32GeU().brIf(1);
  c.get(out);
  emitRowDot(c, f, q, dp, L);
  if (offsets) emitOffsets(c, bias, infl, w);
  c.f32Store();
  c.get(f).i32Const(4 * dp).i32Add().set(f);
  for (const ptr of [out, bias, infl]) c.get(ptr).i32Const(4).i32Add().set(ptr);
  c.br(0).end().end();
  return c;
}

/** Pushes worse(a, b): a ranks below b (lower score, or the same score at a higher index). */
function emitWorse(c: Code, sa: () => void, ia: () => void, sb: () => void, ib: () => void): void {
  sa(); sb(); c.f32Lt();
  sa(); sb(); c.f32Eq(); ia(); ib(); c.i32GtS(); c.i32And();
  c.i32Or();
}

/** The bounded min-heap of topk.ts (root = worst kept), in memory so one call covers a whole scan. */
export function heapOffer(): Code {
  const c = new Code([I32, I32, I32, I32, F32, I32], [F32]);
  const [hs, hi, k, sizePtr, s, idx] = [0, 1, 2, 3, 4, 5] as const;
  const size = c.local(I32), j = c.local(I32), p = c.local(I32), l = c.local(I32);
  const at = (base: number, x: number) => () => { c.get(base).get(x).i32Const(2).i32Shl().i32Add(); };
  const sAt = (x: number) => () => { at(hs, x)(); c.f32Load(); };
  const iAt = (x: number) => () => { at(hi, x)(); c.i32Load(); };
  const getS = () => { c.get(s); }, getIdx = () => { c.get(idx); };
  const move = (to: number, from: number) => {
    at(hs, to)(); sAt(from)(); c.f32Store();
    at(hi, to)(); iAt(from)(); c.i32Store();
  };
  c.get(sizePtr).i32Load().set(size);
  c.get(size).get(k).i32LtU().if_();
  c.get(size).set(j);
  c.get(size).i32Const(1).i32Add().set(size);
  c.get(sizePtr).get(size).i32Store();
  c.block().loop(); // sift up while the new entry ranks below its parent
  c.get(j).i32Eqz().brIf(1);
  c.get(j).i32Const(1).i32Sub().i32Const(1).i32ShrU().set(p);
  emitWorse(c, getS, getIdx, sAt(p), iAt(p)); c.i32Eqz().brIf(1);
  move(j, p);
  c.get(p).set(j);
  c.br(0).end().end();
  at(hs, j)(); c.get(s).f32Store();
  at(hi, j)(); c.get(idx).i32Store();
  c.else_();
  c.i32Const(0).set(j);
  emitWorse(c, sAt(j), iAt(j), getS, getIdx); // is the root worse than the new entry?
  c.if_();
  c.block().loop(); // sift down: the worse child rises while it ranks below the new entry
  c.get(j).i32Const(1).i32Shl().i32Const(1).i32Add().tee(l).get(size).i32GeU().brIf(1);
  c.get(l).set(p);
  c.get(l).i32Const(1).i32Add().get(size).i32LtU().if_();
  c.get(l).i32Const(1).i32Add().set(l);
  emitWorse(c, sAt(l), iAt(l), sAt(p), iAt(p)); c.if_(); c.get(l).set(p); c.end();
  c.end();
  emitWorse(c, sAt(p), iAt(p), getS, getIdx); c.i32Eqz().brIf(1);
  move(j, p);
  c.get(p).set(j);
  c.br(0).end().end();
  at(hs, j)(); c.get(s).f32Store();
  at(hi, j)(); c.get(idx).i32Store();
  c.end();
  c.end();
  c.get(size).get(k).i32GeU().if_().get(hs).f32Load().return_().end();
  c.f32Const(NaN);
  return c;
}

interface OfferLocals { i: number; mask: number; useMask: number; thr: number; hs: number; hi: number; k: number; sizePtr: number; score: number }

/** Offers row i + r if it passes the mask and its exact score (set into o.score by `exact`) beats thr; updates thr. */
function emitOffer(c: Code, o: OfferLocals, r: number, exact: () => void, onThr: () => void): void {
  c.get(o.mask).get(o.i).i32Add().i32Load8u(r).get(o.useMask).i32Eqz().i32Or().if_(); // no mask: every row passes
  exact();
  c.get(o.score).get(o.thr).f32Le().i32Eqz().get(o.score).get(o.score).f32Eq().i32And().if_(); // NaN is never kept
  c.get(o.hs).get(o.hi).get(o.k).get(o.sizePtr).get(o.score).get(o.i).i32Const(r).i32Add().call(HEAP_OFFER).set(o.thr);
  onThr();
  c.end().end();
}

/** thr = the heap's worst kept score if it is full, else NaN (every row is a candidate). */
function emitInitThr(c: Code, o: OfferLocals): void {
  c.f32Const(NaN).set(o.thr);
  c.get(o.sizePtr).i32Load().get(o.k).i32GeU().if_().get(o.hs).f32Load().set(o.thr).end();
}

function scanF32(dp: number, offsets: boolean): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, F32, I32, I32, I32, I32, I32, I32], []);
  const [f, start, end, q, bias, infl, w, mask, useMask, hs, hi, k, sizePtr] = Array.from({ length: 13 }, (_, x) => x) as number[];
  const L = rowLocals(c), i = c.local(I32), score = c.local(F32), thr = c.local(F32), p = c.local(I32), bp = c.local(I32), ip = c.local(I32);
  const o = { i, mask: mask!, useMask: useMask!, thr, hs: hs!, hi: hi!, k: k!, sizePtr: sizePtr!, score };
  emitInitThr(c, o);
  c.get(start!).set(i);
  c.get(f!).get(start!).i32Const(4 * dp).i32Mul().i32Add().set(p);
  c.get(bias!).get(start!).i32Const(2).i32Shl().i32Add().set(bp);
  c.get(infl!).get(start!).i32Const(2).i32Shl().i32Add().set(ip);
  c.block().loop();
  c.get(i).get(end!).i32GeU().brIf(1);
  emitRowDot(c, p, q!, dp, L);
  if (offsets) emitOffsets(c, bp, ip, w!);
  c.tee(score).get(thr).f32Le().i32Eqz().if_();
  emitOffer(c, o, 0, () => {}, () => {});
  c.end();
  c.get(i).i32Const(1).i32Add().set(i);
  c.get(p).i32Const(4 * dp).i32Add().set(p);
  for (const ptr of [bp, ip]) c.get(ptr).i32Const(4).i32Add().set(ptr);
  c.br(0).end().end();
  return c;
}

function scanQ8(dp: number, dp8: number, offsets: boolean): Code {
  const c = new Code([I32, I32, I32, F32, F32, F32, I32, I32, I32, I32, I32, I32, F32, I32, I32, I32, I32, I32, I32], []);
  const [q8, scale, qi16, b, kq, z, f, start, end, q, bias, infl, w, mask, useMask, hs, hi, k, sizePtr] = Array.from({ length: 19 }, (_, x) => x) as number[];
  const acc = [0, 1, 2, 3].map(() => c.local(V128)), t0 = c.local(V128), t1 = c.local(V128), qv = c.local(V128);
  const w4 = c.local(V128), thr4 = c.local(V128), b4 = c.local(V128), kq4 = c.local(V128), z4 = c.local(V128);
  const i = c.local(I32), cm = c.local(I32), score = c.local(F32), thr = c.local(F32), p8 = c.local(I32), pj = c.local(I32), qj = c.local(I32), qend = c.local(I32);
  const bp = c.local(I32), ip = c.local(I32), sp = c.local(I32);
  const o = { i, mask: mask!, useMask: useMask!, thr, hs: hs!, hi: hi!, k: k!, sizePtr: sizePtr!, score };
  emitInitThr(c, o);
  c.get(thr).f32x4Splat().set(thr4);
  for (const [x, x4] of [[w!, w4], [b!, b4], [kq!, kq4], [z!, z4]] as const) c.get(x).f32x4Splat().set(x4);
  c.get(start!).set(i);
  c.get(q8!).get(start!).i32Const(dp8).i32Mul().i32Add().set(p8);
  for (const [base, ptr] of [[scale!, sp], [bias!, bp], [infl!, ip]] as const) c.get(base).get(start!).i32Const(2).i32Shl().i32Add().set(ptr);
  c.get(qi16!).i32Const(2 * dp8).i32Add().set(qend);
  c.block().loop();
  c.get(i).get(end!).i32GeU().brIf(1);
  // S = sum_j Q_ij * R_j, exact in i32 lanes, for the 4 rows of the group.
  for (const a of acc) c.v128Const(ZERO).set(a);
  c.get(p8).set(pj).get(qi16!).set(qj);
  c.loop();
  c.get(qj).v128Load().set(qv);
  for (let r = 0; r < 4; r++) c.get(acc[r]!).get(pj).i16x8Load8x8s(r * dp8).get(qv).i32x4DotI16x8s().i32x4Add().set(acc[r]!);
  c.get(pj).i32Const(8).i32Add().set(pj);
  c.get(qj).i32Const(16).i32Add().tee(qj).get(qend).i32LtU().brIf(0);
  c.end();
  for (const [x, y, t] of [[acc[0]!, acc[1]!, t0], [acc[2]!, acc[3]!, t1]] as const) {
    c.get(x).get(y).shuffle32(0, 1, 4, 5).get(x).get(y).shuffle32(2, 3, 6, 7).i32x4Add().set(t);
  }
  c.get(t0).get(t1).shuffle32(0, 2, 4, 6).get(t0).get(t1).shuffle32(1, 3, 5, 7).i32x4Add();
  // hi = a_i * (S * b + kq) (+ offsets) + z bounds the exact score from above (see quantize.ts).
  c.f32x4ConvertI32x4s().get(b4).f32x4Mul().get(kq4).f32x4Add().get(sp).v128Load().f32x4Mul();
  if (offsets) c.get(bp).v128Load().f32x4Add().get(w4).get(ip).v128Load().f32x4Mul().f32x4Add();
  c.get(z4).f32x4Add().get(thr4).f32x4Le().i32x4Bitmask().i32Const(15).i32Xor().tee(cm).if_();
  for (let r = 0; r < 4; r++) {
    c.get(cm).i32Const(1 << r).i32And().if_();
    c.get(i).i32Const(r).i32Add().get(end!).i32LtU().if_();
    emitOffer(c, o, r, () => {
      c.get(f!).get(i).i32Const(r).i32Add().i32Const(4 * dp).i32Mul().i32Add().get(q!).call(ROW_DOT);
      if (offsets) c.get(bp).f32Load(4 * r).f32Add().get(w!).get(ip).f32Load(4 * r).f32Mul().f32Add();
      c.set(score);
    }, () => { c.get(thr).f32x4Splat().set(thr4); });
    c.end().end();
  }
  c.end();
  c.get(i).i32Const(4).i32Add().set(i);
  c.get(p8).i32Const(4 * dp8).i32Add().set(p8);
  for (const ptr of [bp, ip, sp]) c.get(ptr).i32Const(16).i32Add().set(ptr);
  c.br(0).end().end();
  return c;
}

function sumAll(): Code {
  const c = new Code([I32, I32], [F32]);
  const acc = Array.from({ length: 8 }, () => c.local(V128)), end = c.local(I32);
  c.get(0).get(1).i32Add().set(end);
  c.block().loop();
  c.get(0).get(end).i32GeU().brIf(1);
  for (let k = 0; k < 8; k++) c.get(acc[k]!).get(0).v128Load(16 * k).f32x4Add().set(acc[k]!);
  c.get(0).i32Const(128).i32Add().set(0);
  c.br(0).end().end();
  for (let k = 1; k < 8; k++) c.get(acc[0]!).get(acc[k]!).f32x4Add().set(acc[0]!);
  c.get(acc[0]!).f32x4ExtractLane(0);
  return c;
}

/** Module bytes for rows padded to dp floats (f32 pass) and dp8 bytes (int8 pass). */
export function kernelModule(dp: number, dp8: number, memory: { minPages: number; maxPages: number; shared: boolean }): Uint8Array<ArrayBuffer> {
  if (dp % 4 !== 0 || dp8 % 8 !== 0) throw new Error(`padded widths must be multiples of 4 and 8, got ${dp}, ${dp8}`);
  return assemble({ module: 'env', field: 'memory', ...memory }, [
    { name: 'rowDot', code: rowDot(dp) }, // index ROW_DOT
    { name: 'heapOffer', code: heapOffer() }, // index HEAP_OFFER
    { name: 'dotAll', code: dotAll(dp, false) },
    { name: 'dotAllOffsets', code: dotAll(dp, true) },
    { name: 'scanF32', code: scanF32(dp, false) },
    { name: 'scanF32Offsets', code: scanF32(dp, true) },
    { name: 'scanQ8', code: scanQ8(dp, dp8, false) },
    { name: 'scanQ8Offsets', code: scanQ8(dp, dp8, true) },
    { name: 'sumAll', code: sumAll() },
  ]);
}

/** Instantiates the module on `memory` synchronously (the module is a few KB). */
export function instantiateKernels(bytes: Uint8Array<ArrayBuffer>, memory: WebAssembly.Memory): KernelExports {
  const mod = new WebAssembly.Module(bytes);
  return new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as KernelExports;
}
