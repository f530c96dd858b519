// Ids drawn from the seeded generator: hex digits and v4-shaped UUIDs, the same text for the same seed as
// they were when written by toString(16) (ids in saved state directories and digests must not change).
import { describe, it, expect } from 'vitest';
import { Rng } from '../src/lib/random.js';

/** The digits as first written: each 32-bit draw by toString(16), padded; the UUID made from hex(32). */
function referenceHex(rng: Rng, chars: number): string {
  let out = '';
  while (out.length < chars) out += rng.nextU32().toString(16).padStart(8, '0');
  return out.slice(0, chars);
}
function referenceUuid(rng: Rng): string {
  const h = referenceHex(rng, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16]!, 16) & 3]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

describe('Rng ids', () => {
  it('draws a version-4 shaped UUID', () => {
    const id = new Rng(1).uuid();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives the same UUIDs and hex ids as the toString(16) formulation, draw for draw', () => {
    for (const seed of [0, 1, 7, 0xffffffff, 123456789]) {
      const a = new Rng(seed);
      const b = new Rng(seed);
      for (let i = 0; i < 2000; i++) {
        expect(a.uuid()).toBe(referenceUuid(b));
        const chars = [1, 7, 8, 9, 16, 32, 33][i % 7]!;
        expect(a.hex(chars)).toBe(referenceHex(b, chars));
      }
    }
  });
});
