// int8 row quantization and the per-query error bound that makes the int8 first pass exact:
// a row is skipped only when a proven upper bound of its exact f32 score cannot enter the top-k.
//
// Row i is stored as a_i * Q_i with Q_i in [-127, 127]^d, the query as b * R with R int16. For the
// real dot product, f.q - a b (Q.R) = delta.q + a Q.eps with |delta_j| <= RHO a and |eps_j| <= epsMax,
// so |f.q - a b S| <= a (RHO |q|_1 + 127 d epsMax). The exact kernel's f32 result differs from f.q by
// at most gamma_h * sum_j |f_j q_j| <= gamma_h * 127 a |q|_1 (h = rounding depth of its summation
// tree), and the first pass's own f32 arithmetic by a few ulps of its operands, which `kq` (per unit
// of a_i) and `z` (absolute) cover with margin. Hence hi_i = a_i (b S_i + kq) + offsets + z >= score_i.

const U = 2 ** -24; // unit roundoff of f32
export const RHO = 0.5 + 2 ** -40; // |f - a Q| / a after round-to-nearest in f64 (plus the division's error)
const F32_MAX = 3.4e38;

/** Smallest f32 >= x (x finite, non-negative). */
export function f32Up(x: number): number {
  const y = Math.fround(x);
  if (y >= x) return y;
  const b = new Float32Array([y]);
  new Uint32Array(b.buffer)[0]! += 1;
  return b[0]!;
}

export interface QuantizedRows {
  /** max_i a_i */
  amax: number;
  /** max_i of the part of a row's residual not covered by RHO * a_i (0 except for subnormal scales). */
  rowExcess: number;
}

/**
 * Quantizes rows [0, n) of `f` (row stride dp floats, first d used) into `q8` (stride dp8 bytes) and
 * `scale` (a_i). Returns null if any factor is not finite: the int8 pass is then never used.
 */
export function quantizeRows(f: Float32Array, n: number, d: number, dp: number, dp8: number, q8: Int8Array, scale: Float32Array): QuantizedRows | null {
  let amax = 0, rowExcess = 0;
  for (let i = 0; i < n; i++) {
    const o = i * dp;
    let m = 0;
    for (let j = 0; j < d; j++) {
      const v = f[o + j]!;
      if (!Number.isFinite(v)) return null;
      const av = Math.abs(v);
      if (av > m) m = av;
    }
    let a = Math.fround(m / 127);
    if (a === 0 && m > 0) a = 2 ** -149; // scale underflowed: residual is covered by rowExcess
    scale[i] = a;
    if (a > amax) amax = a;
    let resid = 0;
    for (let j = 0; j < d; j++) {
      const v = f[o + j]!;
      const qv = a === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(v / a)));
      q8[i * dp8 + j] = qv;
      const r = Math.abs(v - a * qv); // a * qv is exact in f64
      if (r > resid) resid = r;
    }
    const excess = resid - RHO * a;
    if (excess > rowExcess) rowExcess = excess;
  }
  return { amax, rowExcess };
}

/** Rounding depth of the exact kernel's summation tree for dp padded floats (see kernels.ts). */
function depth(dp: number): number {
  return 1 + Math.ceil(dp / 16) + 2 + 2; // product, adds into one accumulator, combine, lanes
}

/** Largest |R_j| such that the i32 lanes cannot overflow: 127 * qmax * dp8 < 2^31. */
export function queryScaleMax(dp8: number): number {
  return Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * dp8)));
}

/**
 * Quantizes the query (dp floats, first d used) into `qi16` (dp8 lanes, zero padded) and writes
 * [b, kq, z] into `out`. Returns false when the bound cannot be trusted (non-finite input or a
 * magnitude near f32 overflow): the caller must then use the exact scan.
 */
export function prepareQuery(q: Float32Array, d: number, dp: number, dp8: number, rows: QuantizedRows, maxAbsOffset: number, qi16: Int16Array, out: Float64Array): boolean {
  let qmax = 0, l1 = 0;
  for (let j = 0; j < d; j++) {
    const v = q[j]!;
    if (!Number.isFinite(v)) return false;
    const av = Math.abs(v);
    l1 += av;
    if (av > qmax) qmax = av;
  }
  const rmax = queryScaleMax(dp8);
  const b = Math.fround(qmax / rmax);
  let epsMax = 0;
  for (let j = 0; j < dp8; j++) {
    if (j >= d || b === 0) { qi16[j] = 0; if (j < d) epsMax = Math.max(epsMax, Math.abs(q[j]!)); continue; }
    const r = Math.max(-rmax, Math.min(rmax, Math.round(q[j]! / b)));
    qi16[j] = r;
    const e = Math.abs(q[j]! - b * r);
    if (e > epsMax) epsMax = e;
  }
  const slack = 1 + 2 ** -20; // covers the f64 rounding of l1, epsMax and the sums below
  l1 *= slack; epsMax *= slack;
  const h = depth(dp);
  const gamma = (h * U) / (1 - h * U);
  const sMag = 127 * (l1 + d * epsMax) * 1.01; // >= b |S_i| / a_i, and >= |f_i.q| / a_i
  const kqReal = RHO * l1 + 127 * d * epsMax + gamma * 127.01 * l1;
  const kq = (kqReal + 5 * U * (sMag + kqReal)) * slack;
  const aMag = rows.amax * (sMag + kq); // >= |a_i (b S_i + kq)| and >= |score_i - offsets|
  const z = (16 * U * (aMag + maxAbsOffset) + rows.rowExcess * l1 + 1e-30) * slack;
  if (!(aMag + maxAbsOffset + z < F32_MAX / 4)) return false;
  out[0] = b;
  out[1] = f32Up(kq);
  out[2] = f32Up(z);
  return true;
}
