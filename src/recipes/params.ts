// Reading hyperparameters: Personalize passes every value as a string (algorithmHyperParameters and
// featureTransformationParameters arrive merged in one record), so recipes parse them here, uniformly.

/** A number parameter; absent or empty -> `fallback`. Out-of-range or non-numeric values throw, naming the parameter. */
export function numParam(params: Record<string, string>, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`Hyperparameter ${name}=${JSON.stringify(raw)} must be a number in [${min}, ${max}].`);
  }
  return v;
}

/** An integer parameter, same rules as numParam. */
export function intParam(params: Record<string, string>, name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = numParam(params, name, fallback, min, max);
  if (!Number.isInteger(v)) throw new RangeError(`Hyperparameter ${name}=${JSON.stringify(params[name])} must be an integer.`);
  return v;
}

/** A boolean parameter: Personalize writes `true`/`false` (the docs also show `True`). */
export function boolParam(params: Record<string, string>, name: string, fallback: boolean): boolean {
  const raw = params[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const s = raw.trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new RangeError(`Hyperparameter ${name}=${JSON.stringify(raw)} must be true or false.`);
}

/**
 * The value at quantile `q` (0..1) of `values` by the nearest-rank rule on the sorted values
 * (q=0 -> the minimum, q=1 -> the maximum), so a percentile filter keeps whole count levels.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1));
  return sorted[rank]!;
}
