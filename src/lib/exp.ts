// e^x for x <= 0, the softmax's exponential, over whole arrays: about 3x faster than Math.exp (15-19 ns
// here, which made the softmax the most expensive step of a request), within 1e-14 relative, and the
// same bits on every machine (plain double arithmetic; Math.exp's rounding varies between engines).
//
// x = -k·ln2/64 + r with |r| <= ln2/128, so e^x = 2^(-k/64)·e^r: a table lookup times a degree-5 Taylor
// polynomial (error < r^6/720 ~ 4e-17). The table is built from exact powers of two and 64 Math.exp
// values. The formula is written out in each loop: a call per element costs as much as the formula.

const STEPS = 64;
const INV_STEP = STEPS / Math.LN2;
const STEP = Math.LN2 / STEPS;
/** Exponents below -RANGE (weights under 5e-18 of the largest) count as 0. */
export const EXP_RANGE = 40;
const SIZE = Math.ceil(EXP_RANGE * INV_STEP) + 2;
const TABLE = new Float64Array(SIZE);
{
  const frac = new Float64Array(STEPS);
  for (let f = 0; f < STEPS; f++) frac[f] = Math.exp(-f * STEP);
  for (let j = 0; j < SIZE; j++) TABLE[j] = frac[j % STEPS]! * 2 ** -Math.floor(j / STEPS);
}

/** The table and steps of the formula, for kernels that must compute the same bits (wasm/softmax-kernels.ts). */
export const EXP_FORMULA = { table: TABLE, invStep: INV_STEP, step: STEP } as const;

/** e^x for x in [-EXP_RANGE, 0]; 0 below; Math.exp above 0. */
export function expNeg(x: number): number {
  if (x > 0) return Math.exp(x);
  if (!(x >= -EXP_RANGE)) return 0;
  const k = (-x * INV_STEP + 0.5) | 0;
  const r = x + k * STEP;
  return TABLE[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))))));
}

/** Σ e^(v - shift) over the values v > shift - floor (the others add under e^-floor each); needs v <= shift. */
export function sumExp(values: Float32Array, shift: number, floor: number): number {
  const lo = shift - Math.min(floor, EXP_RANGE);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > lo)) continue;
    const x = v - shift;
    const k = (-x * INV_STEP + 0.5) | 0;
    const r = x + k * STEP;
    sum += TABLE[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))))));
  }
  return sum;
}

/** out[i] = e^(v_i - shift) for v_i > shift - floor, else 0; returns their sum (as sumExp). Needs v <= shift. */
export function expAll(values: Float32Array, shift: number, floor: number, out: Float64Array): number {
  const lo = shift - Math.min(floor, EXP_RANGE);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > lo)) { out[i] = 0; continue; }
    const x = v - shift;
    const k = (-x * INV_STEP + 0.5) | 0;
    const r = x + k * STEP;
    const e = TABLE[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))))));
    out[i] = e;
    sum += e;
  }
  return sum;
}

/**
 * In place, x[c] (an exponent <= 0, or -Infinity for "no weight") becomes the running total of e^x[0..c]:
 * cumulative weights for sampling by binary search. Returns the total.
 */
export function cumulativeExp(x: Float64Array, n: number): number {
  let total = 0;
  for (let c = 0; c < n; c++) {
    const v = x[c]!;
    if (v >= -EXP_RANGE) {
      const k = (-v * INV_STEP + 0.5) | 0;
      const r = v + k * STEP;
      total += TABLE[k]! * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120))))));
    }
    x[c] = total;
  }
  return total;
}
