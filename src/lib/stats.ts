// Small statistics for comparing recommenders: Student's t distribution (CDF and quantile, through the
// regularized incomplete beta function), t-intervals of a mean and a paired t-test with its two-sided p-value.

/** Godfrey's Lanczos coefficients (g = 607/128, 15 terms): ln Γ to about 15 significant digits. */
const LANCZOS_G = 607 / 128;
const LANCZOS = [0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4, -0.98374475304879564677e-4,
  0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.21743961811521264320e-3, -0.16431810653676389022e-3,
  0.84418223983852743293e-4, -0.26190838401581408670e-4, 0.36899182659531622704e-5];

/** ln Γ(z) for z > 0. */
function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let a = LANCZOS[0]!;
  for (let k = 1; k < LANCZOS.length; k++) a += LANCZOS[k]! / (x + k);
  const t = x + LANCZOS_G + 0.5;
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
