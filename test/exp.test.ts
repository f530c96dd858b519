// The softmax's exponential: e^x for x <= 0 as accurate as Math.exp to 1e-13, over arrays too.
import { describe, expect, it } from 'vitest';
import { cumulativeExp, expAll, expNeg, EXP_RANGE, sumExp } from '../src/lib/exp.js';
import { Rng } from '../src/lib/random.js';

const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-13 * Math.abs(b));

describe('expNeg', () => {
  it('matches Math.exp across its range, including the table boundaries', () => {
    for (let i = 0; i <= 200_000; i++) {
      const x = (-EXP_RANGE * i) / 200_000;
      close(expNeg(x), Math.exp(x));
    }
    expect(expNeg(0)).toBe(1);
    expect(expNeg(-EXP_RANGE - 1)).toBe(0);
    close(expNeg(0.5), Math.exp(0.5));
  });

  it('sums, fills and accumulates arrays as the scalar does, leaving out terms below the floor', () => {
    const rng = new Rng(3);
    const values = Float32Array.from({ length: 5000 }, () => rng.next() * 50 - 45);
    let max = -Infinity;
    for (const v of values) max = Math.max(max, v);
    let expected = 0;
    for (const v of values) if (v > max - 30) expected += Math.exp(v - max);
    close(sumExp(values, max, 30), expected);
    const each = new Float64Array(values.length);
    close(expAll(values, max, 30, each), expected);
    for (let i = 0; i < values.length; i++) {
      if (values[i]! > max - 30) close(each[i]!, Math.exp(values[i]! - max));
      else expect(each[i]).toBe(0);
    }
    const shifts = Float64Array.from(values, (v) => (v > max - 30 ? v - max : -Infinity));
    close(cumulativeExp(shifts, shifts.length), expected);
    for (let i = 1; i < shifts.length; i++) expect(shifts[i]).toBeGreaterThanOrEqual(shifts[i - 1]!);
  });
});
