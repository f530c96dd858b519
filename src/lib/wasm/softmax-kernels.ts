// The serving kernels of factor models: a pass that scores every item and keeps the max, one that computes the softmax
// terms e^(s - max) with lib/exp.ts's formula in f64x2 lanes (the same bits as the JS loop), and a top-k scan over
// a score buffer. Same-bits rules: scores sum as the ALS matvec does (recipes/mf/wasm-kernels.ts), terms are added
// to the denominator one at a time in item order, no fused multiply-add anywhere.
import { assemble, Code, F32, F64, I32, V128 } from './encoder.js';
import { heapOffer } from './kernels.js';
import { EXP_FORMULA } from '../exp.js';

const ZERO = new Array<number>(16).fill(0);
const HEAP_OFFER = 0; // function index of heapOffer in the top-k module

export interface SoftmaxKernelExports {
  /** out[i] = row i of F (rows of kb bytes) · q for i < n, f32, summed as the ALS matvec sums; returns their max (NaN ignored). */
  scoreMax(F: number, n: number, q: number, out: number): number;
  /**
   * exps[i] (f64) = e^(out[i] - shift) for out[i] > shift - floor, else 0, over the 4-aligned groups covering n (entries
   * past n must hold -Infinity); returns their sum, added in item order. `table`: lib/exp.ts's table in this memory.
   */
  softmaxTerms(out: number, n: number, exps: number, table: number, floor: number, shift: number): number;
}

export interface TopScanExports {
  /** Offers every item i < n (n a multiple of 4) with mask[i] != 0 (all when useMask is 0) and a score (not NaN) to the heap. */
  topScan(scores: number, n: number, mask: number, useMask: number, hs: number, hi: number, k: number, sizePtr: number): void;
}

/** Pushes the f32 score of the row at local p with the query at local q, in the ALS matvec's order (one row). */
function emitAlsRowDot(c: Code, p: number, q: number, kb: number, L: { acc0: number; acc1: number; t: number }): void {
  const { acc0, acc1, t } = L;
  c.v128Const(ZERO).set(acc0).v128Const(ZERO).set(acc1);
  for (let a = 0; a < kb; a += 32) {
    c.get(acc0).get(p).v128Load(a).get(q).v128Load(a).f32x4Mul().f32x4Add().set(acc0);
    c.get(acc1).get(p).v128Load(a + 16).get(q).v128Load(a + 16).f32x4Mul().f32x4Add().set(acc1);
  }
  emitLaneSum(c, acc0, acc1, t);
}

/** Pushes the score from the two accumulators: (acc0 + acc1), then its lanes ((l0 + l1) + l2) + l3. */
function emitLaneSum(c: Code, acc0: number, acc1: number, t: number): void {
  c.get(acc0).get(acc1).f32x4Add().tee(t).f32x4ExtractLane(0).get(t).f32x4ExtractLane(1).f32Add();
  c.get(t).f32x4ExtractLane(2).f32Add().get(t).f32x4ExtractLane(3).f32Add();
}

/**
 * Scores and their max. `rows` rows per iteration, each summed in the ALS matvec's order (32 bytes per step into two
 * accumulators), so each query chunk is loaded once for all of them. 10k x 64 here: 42-44 us with 2 or 3 rows, 54 with
 * 4 (spills), 55 for the ALS matvec; the whole matrix read alone takes 28.
 */
function scoreMax(kb: number, rows = 2): Code {
  const c = new Code([I32, I32, I32, I32], [F32]);
  const [F, n, q, out] = [0, 1, 2, 3] as const;
  const acc = Array.from({ length: rows }, () => [c.local(V128), c.local(V128)] as const);
  const t = c.local(V128), qv = c.local(V128);
  const a = c.local(I32), pa = c.local(I32), o = c.local(I32), end = c.local(I32), endR = c.local(I32), s = c.local(F32), max = c.local(F32);
  const keep = () => {
    c.set(s);
    c.get(o).get(s).f32Store();
    c.get(s).get(max).get(s).get(max).f32Gt().select().set(max); // NaN is never greater
    c.get(o).i32Const(4).i32Add().set(o);
  };
  c.f32Const(-Infinity).set(max);
  c.get(out).set(o);
  c.get(out).get(n).i32Const(2).i32Shl().i32Add().set(end);
  c.get(n).get(n).i32Const(rows).i32RemU().i32Sub().i32Const(2).i32Shl().get(out).i32Add().set(endR);
  c.block().loop();
  c.get(o).get(endR).i32GeU().brIf(1);
  for (const [x, y] of acc) c.v128Const(ZERO).set(x).v128Const(ZERO).set(y);
  c.get(F).set(pa).get(q).set(a);
  c.loop();
  for (const h of [0, 1]) {
    c.get(a).v128Load(16 * h).set(qv);
    acc.forEach((pair, r) => { const x = pair[h]; c.get(x).get(pa).v128Load(r * kb + 16 * h).get(qv).f32x4Mul().f32x4Add().set(x); });
  }
  c.get(pa).i32Const(32).i32Add().set(pa);
  c.get(a).i32Const(32).i32Add().tee(a).get(q).i32Const(kb).i32Add().i32LtU().brIf(0);
  c.end();
  for (const [x, y] of acc) { emitLaneSum(c, x, y, t); keep(); }
  c.get(F).i32Const(rows * kb).i32Add().set(F);
  c.br(0).end().end();
  c.block().loop(); // the last n % rows rows, one at a time
  c.get(o).get(end).i32GeU().brIf(1);
  emitAlsRowDot(c, F, q, kb, { acc0: acc[0]![0], acc1: acc[0]![1], t });
  keep();
  c.get(F).i32Const(kb).i32Add().set(F);
  c.br(0).end().end();
  c.get(max);
  return c;
}

/**
 * e^(v - max) two lanes at a time, lib/exp.ts's expAll operation by operation. k = trunc(-x·INV_STEP + 0.5) is
 * taken as floor (the same for these positive values), its integer read off the low bits of floor + 2^52.
 */
function softmaxTerms(): Code {
  const c = new Code([I32, I32, I32, I32, F64, F64], [F64]);
  const [out, n, exps, table, floor, shift] = [0, 1, 2, 3, 4, 5] as const;
  const o = c.local(I32), end = c.local(I32), sum = c.local(F64), v4 = c.local(V128), vd = c.local(V128), m = c.local(V128);
  const x = c.local(V128), kd = c.local(V128), ki = c.local(V128), r = c.local(V128), e = c.local(V128), ep = c.local(I32);
  const shift2 = c.local(V128), lo2 = c.local(V128);
  c.get(shift).f64x2Splat().set(shift2);
  c.get(shift).get(floor).f64Sub().f64x2Splat().set(lo2);
  c.f64Const(0).set(sum);
  c.get(out).set(o);
  c.get(exps).set(ep);
  c.get(out).get(n).i32Const(3).i32Add().i32Const(-4).i32And().i32Const(2).i32Shl().i32Add().set(end);
  const splat = (v: number) => { c.f64Const(v).f64x2Splat(); };
  c.block().loop();
  c.get(o).get(end).i32GeU().brIf(1);
  c.get(o).v128Load().set(v4);
  for (let h = 0; h < 2; h++) {
    c.get(v4);
    if (h === 1) c.get(v4).shuffle32(2, 3, 0, 1);
    c.f64x2PromoteLowF32x4().tee(vd).get(lo2).f64x2Gt().set(m); // v > lo (false for NaN)
    c.get(vd).get(shift2).f64x2Sub().get(m).v128And().set(x); // lanes left out compute e^0, then are zeroed
    c.get(x).f64x2Neg(); splat(EXP_FORMULA.invStep); c.f64x2Mul(); splat(0.5); c.f64x2Add().f64x2Floor().tee(kd);
    splat(2 ** 52); c.f64x2Add().set(ki); // i32 lanes 0 and 2: k
    c.get(x).get(kd); splat(EXP_FORMULA.step); c.f64x2Mul().f64x2Add().set(r);
    // 1 + r * (1 + r * (0.5 + r * (1/6 + r * (1/24 + r * (1/120)))))
    c.get(r); splat(1 / 120); c.f64x2Mul();
    for (const k of [1 / 24, 1 / 6, 0.5, 1]) { splat(k); c.f64x2Add().get(r).f64x2Mul(); }
    splat(1); c.f64x2Add();
    c.get(table).get(ki).i32x4ExtractLane(0).i32Const(3).i32Shl().i32Add().f64Load().f64x2Splat();
    c.get(table).get(ki).i32x4ExtractLane(2).i32Const(3).i32Shl().i32Add().f64Load().f64x2ReplaceLane(1);
    c.f64x2Mul().get(m).v128And().tee(e);
    c.get(ep).get(e).v128Store(16 * h);
    c.get(sum).get(e).f64x2ExtractLane(0).f64Add().get(e).f64x2ExtractLane(1).f64Add().set(sum);
  }
  c.get(o).i32Const(16).i32Add().set(o);
  c.get(ep).i32Const(32).i32Add().set(ep);
  c.br(0).end().end();
  c.get(sum);
  return c;
}

function topScan(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [scores, n, mask, useMask, hs, hi, k, sizePtr] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const i = c.local(I32), cm = c.local(I32), thr = c.local(F32), thr4 = c.local(V128), s = c.local(F32);
  c.f32Const(NaN).set(thr);
  c.get(sizePtr).i32Load().get(k).i32GeU().if_().get(hs).f32Load().set(thr).end();
  c.get(thr).f32x4Splat().set(thr4);
  c.i32Const(0).set(i);
  c.block().loop();
  c.get(i).get(n).i32GeU().brIf(1);
  // Lanes whose score is not <= the worst kept one (all lanes while the heap fills: thr is NaN).
  c.get(scores).get(i).i32Const(2).i32Shl().i32Add().v128Load().get(thr4).f32x4Le().i32x4Bitmask().i32Const(15).i32Xor().tee(cm).if_();
  for (let r = 0; r < 4; r++) {
    c.get(cm).i32Const(1 << r).i32And().if_();
    c.get(mask).get(i).i32Add().i32Load8u(r).get(useMask).i32Eqz().i32Or().if_();
    c.get(scores).get(i).i32Const(2).i32Shl().i32Add().f32Load(4 * r).set(s);
    c.get(s).get(thr).f32Le().i32Eqz().get(s).get(s).f32Eq().i32And().if_(); // NaN is never kept
    c.get(hs).get(hi).get(k).get(sizePtr).get(s).get(i).i32Const(r).i32Add().call(HEAP_OFFER).tee(thr).f32x4Splat().set(thr4);
    c.end().end().end();
  }
  c.end();
  c.get(i).i32Const(4).i32Add().set(i);
  c.br(0).end().end();
  return c;
}

/** The scoring module for rows of kb bytes (a multiple of 32), on an imported memory. */
export function softmaxModule(kb: number, pages: number): Uint8Array<ArrayBuffer> {
  if (kb % 32 !== 0 || kb <= 0) throw new Error(`row width must be a positive multiple of 32 bytes, got ${kb}`);
  return assemble({ module: 'env', field: 'memory', minPages: pages, maxPages: pages, shared: false }, [
    { name: 'scoreMax', code: scoreMax(kb) },
    { name: 'softmaxTerms', code: softmaxTerms() },
  ]);
}

/** The top-k scan module, on an imported memory. */
export function topScanModule(pages: number): Uint8Array<ArrayBuffer> {
  return assemble({ module: 'env', field: 'memory', minPages: pages, maxPages: pages, shared: false }, [
    { name: null, code: heapOffer() },
    { name: 'topScan', code: topScan() },
  ]);
}
