// Small statistics for comparing recommenders: Student's t distribution (CDF and quantile, through the
// regularized incomplete beta function), t-intervals of a mean and a paired t-test with its two-sided p-value.

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~15 significant digits). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast on this side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) on the other.
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(|T| >= |t|) for Student's t with `df` degrees of freedom: the two-sided p-value of t. */
export function tTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The t such that P(T <= t) = p, for 0.5 < p < 1 (bisection on the CDF: 60 halvings reach double precision). */
export function tQuantile(p: number, df: number): number {
  let lo = 0, hi = 1;
  while (1 - tTwoSided(hi, df) / 2 < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (1 - tTwoSided(mid, df) / 2 < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Interval { mean: number; low: number; high: number; n: number }

/** Mean of the finite values with a 95% Student-t interval (n - 1 degrees of freedom); low = high = mean when n < 2. */
export function meanInterval(values: ArrayLike<number>): Interval {
  let n = 0, sum = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) { n++; sum += values[i]!; }
  if (n === 0) return { mean: NaN, low: NaN, high: NaN, n: 0 };
  const mean = sum / n;
  if (n < 2) return { mean, low: mean, high: mean, n };
  let ss = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) ss += (values[i]! - mean) ** 2;
  const half = tQuantile(0.975, n - 1) * Math.sqrt(ss / (n - 1) / n);
  return { mean, low: mean - half, high: mean + half, n };
}

export interface PairedTest extends Interval { t: number; pValue: number }

/**
 * A paired t-test on per-unit differences (config minus baseline): the mean difference, its 95% interval and
 * the two-sided p-value of "no difference". All-equal differences give p = 1 when they are 0, else p = 0.
 */
export function pairedTTest(differences: ArrayLike<number>): PairedTest {
  const iv = meanInterval(differences);
  if (iv.n < 2) return { ...iv, t: NaN, pValue: NaN };
  let ss = 0;
  for (let i = 0; i < differences.length; i++) if (Number.isFinite(differences[i]!)) ss += (differences[i]! - iv.mean) ** 2;
  const se = Math.sqrt(ss / (iv.n - 1) / iv.n);
  if (se === 0) return { ...iv, t: iv.mean === 0 ? 0 : Math.sign(iv.mean) * Infinity, pValue: iv.mean === 0 ? 1 : 0 };
  const t = iv.mean / se;
  return { ...iv, t, pValue: tTwoSided(t, iv.n - 1) };
}
