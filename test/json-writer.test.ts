// The output JSON writer: doubles keep a decimal point, everything else is JSON.stringify's text, and the
// per-shape writers (built once per shape) give the same bytes as writing every value by its shape each time.
import { describe, it, expect } from 'vitest';
import { writeJson, doubleText } from '../src/api/json-writer.js';
import { operationShape } from '../src/api/api.js';
import type { Shape } from '../src/api/shape-types.js';
import { Rng } from '../src/lib/random.js';

/** The writer as it was before per-shape writers: one shape lookup per value. The reference for the bytes. */
function reference(shape: Shape | undefined, value: unknown): string {
  if (value === undefined) return '';
  const has = (s: Shape): boolean => s.type === 'double' || (s.type === 'list' && has(s.member)) || (s.type === 'map' && has(s.value)) || (s.type === 'structure' && Object.values(s.members).some(has));
  if (!shape || !has(shape) || value === null) return JSON.stringify(value) ?? 'null';
  switch (shape.type) {
    case 'double': return typeof value === 'number' ? doubleText(value) : JSON.stringify(value);
    case 'list': {
      if (!Array.isArray(value)) return JSON.stringify(value);
      let out = '[';
      for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + reference(shape.member, value[i] ?? null);
      return out + ']';
    }
    case 'map': case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
      let out = '{';
      let first = true;
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || typeof v === 'function') continue;
        const s = shape.type === 'map' ? shape.value : Object.hasOwn(shape.members, k) ? shape.members[k] : undefined;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + reference(s, v);
        first = false;
      }
      return out + '}';
    }
    default: return JSON.stringify(value);
  }
}

const recommendations = operationShape('GetRecommendations')!.output!;

describe('writeJson', () => {
  it('writes a GetRecommendations reply with whole scores as doubles and the rest as JSON.stringify does', () => {
    const reply = { itemList: [{ itemId: 'i"1', score: 1 }, { itemId: 'i2', score: 0.25, promotionName: 'p', reason: ['x'] }, { itemId: 'i3', score: -0 }], recommendationId: 'RID-1' };
    expect(writeJson(recommendations, reply)).toBe(
      '{"itemList":[{"itemId":"i\\"1","score":1.0},{"itemId":"i2","score":0.25,"promotionName":"p","reason":["x"]},{"itemId":"i3","score":-0.0}],"recommendationId":"RID-1"}');
  });

  it('writes members the shape does not know, nulls, NaN and mistyped values as the per-value writer did', () => {
    const odd = [
      { itemList: [{ itemId: 'a', score: NaN }, null, { score: Infinity, extra: { score: 2 } }, 'not an item'], recommendationId: undefined, unknown: [1, 2.5] },
      { itemList: 'not a list', recommendationId: 'r', f: () => 1 },
      { itemList: [{ itemId: 'a', score: '3' }, { itemId: 'b', score: null }, { score: 1e21 }, { score: 1e-7 }, { score: 123456789.125 }] },
      {},
      { itemList: [{ itemId: 'a', score: 0.5, sym: Symbol('s') }], recommendationId: Symbol('r') },
      { itemList: [Symbol('only')] },
      { itemList: [() => 1, Symbol('x'), undefined, { itemId: 'a', score: 0.5, toJSON: () => 'j' }] },
      { itemList: [new Date(0), Object.assign(Object.create(null), { itemId: 'n', score: 0.5 }), new (class Item { itemId = 'c'; score = 2; })()] },
      { itemList: [{ itemId: 'a', score: new Number(0.5) }, { itemId: 'b', score: [1, 2] }, { itemId: 'c', score: { x: 1 } }], toJSON: 3 },
      { itemList: [{ itemId: 'a', score: 1e21 }, { itemId: 'b', score: 0.5, metadata: { k: 'v' }, reason: [Symbol('r'), () => 1] }] },
      { itemList: [{ itemId: 'a', score: 0.5 }, { itemId: 'b', score: 2 }], recommendationId: 'whole score last' },
    ];
    for (const v of odd) expect(writeJson(recommendations, v)).toBe(reference(recommendations, v));
    expect(writeJson(recommendations, undefined)).toBe('');
    expect(writeJson(undefined, { a: 1 })).toBe('{"a":1}');
    expect(writeJson(recommendations, 5)).toBe('5');
    expect(writeJson(recommendations, () => 1)).toBe(reference(recommendations, () => 1));
  });

  it('gives the reference bytes for random replies of every operation whose output has doubles', () => {
    const rng = new Rng(11);
    const values = [0, 1, -3, 0.1, 1 / 3, 2 ** 53, -0, 1e300, 5e-324];
    const fill = (s: Shape, depth: number): unknown => {
      if (rng.int(12) === 0) return null;
      switch (s.type) {
        case 'double': return values[rng.int(values.length)]! * (rng.int(2) ? 1 : rng.next());
        case 'integer': return rng.int(100);
        case 'boolean': return rng.int(2) === 1;
        case 'list': return depth > 4 ? [] : Array.from({ length: rng.int(4) }, () => fill(s.member, depth + 1));
        case 'map': return depth > 4 ? {} : Object.fromEntries(Array.from({ length: rng.int(3) }, (_, i) => [`k${i}`, fill(s.value, depth + 1)]));
        case 'structure': return depth > 4 ? {} : Object.fromEntries(Object.entries(s.members).filter(() => rng.int(3) > 0).map(([k, m]) => [k, fill(m, depth + 1)]));
        default: return `s${rng.int(100)}`;
      }
    };
    const names = ['GetRecommendations', 'GetPersonalizedRanking', 'DescribeSolutionVersion', 'DescribeCampaign', 'GetSolutionMetrics', 'ListSolutions'];
    for (const name of names) {
      const shape = operationShape(name)!.output!;
      for (let i = 0; i < 50; i++) {
        const v = fill(shape, 0);
        expect(writeJson(shape, v)).toBe(reference(shape, v));
      }
    }
  });
});
