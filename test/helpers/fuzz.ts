// Seeded bad inputs generated from an operation's input shape: a plausible base input (real ARNs where
// the fixture has them), then one change at a time: a member missing, of the wrong type, huge, deeply
// nested, null, odd unicode, prototype-named map keys, numbers JSON cannot carry, unknown members.
import type { Shape } from '../../src/api/shape-types.js';
import { Rng } from '../../src/lib/random.js';

/** A JSON value, or raw JSON text spliced in as is (for 1e400, which JSON.stringify cannot write). */
export class Raw { constructor(readonly text: string) {} }

export interface FuzzCase { what: string; body: string }

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];
const ODD_STRINGS = ['', ' ', '\u0000', '\ud800', '\udfff\ud800', '🎉'.repeat(300), '\u202eevil', '../../../../etc/passwd', 's3://x/%2e%2e/%2e%2e/x', '%00', 'a'.repeat(257), '\n\r\t', '{"a":1}', 'arn:aws:personalize:us-east-1:000000000000:campaign/%2e%2e'];
const HUGE = 'x'.repeat(300_000); // ten times the longest string any member may hold

/** Nesting `depth` deep, as raw text (JSON.stringify itself runs out of stack on such values). */
function deep(depth: number, kind: 'array' | 'object'): Raw {
  return new Raw(kind === 'array' ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

/** Write a body with Raw values spliced in. */
function text(v: unknown): string {
  const raws: string[] = [];
  const s = JSON.stringify(v, (_k, x) => (x instanceof Raw ? `\u0001RAW${raws.push(x.text) - 1}\u0001` : x));
  return s.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_m, i: string) => raws[Number(i)]!);
}

/** Member paths of a shape (lists as [0], maps as a key), with the shape found there. */
function paths(shape: Shape, at: (string | number)[] = [], out: { path: (string | number)[]; shape: Shape }[] = [], depth = 0): typeof out {
  if (depth > 6) return out;
  if (at.length) out.push({ path: at, shape });
  if (shape.type === 'structure') for (const [m, s] of Object.entries(shape.members)) paths(s, [...at, m], out, depth + 1);
  else if (shape.type === 'list') paths(shape.member, [...at, 0], out, depth + 1);
  else if (shape.type === 'map') paths(shape.value, [...at, 'k'], out, depth + 1);
  return out;
}

/** A copy of a base input (plain JSON values only). */
function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Set `v` at `path` in `root`, creating the containers the path needs. */
function setAt(root: Record<string, unknown>, path: (string | number)[], v: unknown): void {
  let cur: any = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = nextIsIndex ? [] : {};
    cur = cur[k];
  }
  Object.defineProperty(cur, path.at(-1)!, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Values of the wrong type for a shape. */
function wrongTypes(s: Shape): unknown[] {
  switch (s.type) {
    case 'string': case 'jsonString': return [123, true, [], {}, ['x']];
    case 'integer': return ['1', 1.5, true, [], 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, new Raw('1e400'), new Raw('-1e400'), 1e308];
    case 'double': return ['0.5', true, {}, new Raw('1e400'), new Raw('-1e400'), 1e308, -0];
    case 'boolean': return ['true', 1, null, []];
    case 'timestamp': return [{}, [], true, 'not a date', 'x'.repeat(100), new Raw('1e400'), -1e20];
    case 'structure': return ['x', 1, [], true];
    case 'list': return ['x', 1, {}, true, [null], Array.from({ length: 10_001 }, () => 'x')];
    case 'map': return ['x', 1, [], true, Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, 'v']))];
  }
}

/**
 * The cases for one operation: `base` (a plausible input), then up to `perOp` changes of it, drawn with
 * `rng` from all the kinds above (every map member always gets every prototype-named key).
 */
export function fuzzCases(shape: Shape & { type: 'structure' }, base: Record<string, unknown>, rng: Rng, perOp: number): FuzzCase[] {
  const out: FuzzCase[] = [{ what: 'base', body: text(base) }];
  for (const [m, s] of Object.entries(shape.members)) {
    if (!s.required) continue;
    const b = clone(base);
    delete b[m];
    out.push({ what: `missing ${m}`, body: text(b) });
  }
  const all = paths(shape);
  for (const { path, shape: s } of all) {
    if (s.type !== 'map') continue;
    for (const k of PROTO_KEYS) {
      const b = clone(base);
      const sample = s.value.type === 'list' ? ['x'] : s.value.type === 'double' || s.value.type === 'integer' ? 0.5 : '"x"';
      setAt(b, [...path, k], sample);
      out.push({ what: `${path.join('.')} key ${k}`, body: text(b) });
    }
  }
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
  for (let n = 0; n < perOp && all.length; n++) {
    const { path, shape: s } = pick(all);
    const b = clone(base);
    const kind = rng.int(6);
    let v: unknown;
    let what: string;
    if (kind === 0) { v = pick(wrongTypes(s)); what = 'wrong type'; }
    else if (kind === 1) { v = s.type === 'string' || s.type === 'jsonString' ? HUGE : pick(wrongTypes(s)); what = 'huge'; }
    else if (kind === 2) { v = deep(2000 + rng.int(8000), rng.int(2) ? 'array' : 'object'); what = 'deep nesting'; }
    else if (kind === 3) { v = null; what = 'null'; }
    else if (kind === 4) { v = s.type === 'string' || s.type === 'jsonString' ? pick(ODD_STRINGS) : pick(wrongTypes(s)); what = 'odd string'; }
    else { v = pick(PROTO_KEYS); what = 'a prototype name as a value'; }
    setAt(b, path, v);
    out.push({ what: `${path.join('.')}: ${what}`, body: text(b) });
  }
  const extra = clone(base);
  for (const k of PROTO_KEYS) setAt(extra, [k], { polluted: 'yes' });
  out.push({ what: 'unknown prototype-named members', body: text(extra) });
  return out;
}

/** Bodies that are not an input object at all. */
export const RAW_BODIES: readonly (string | Buffer)[] = [
  '', 'null', '[]', '"x"', '123', 'true', '{', '{"a":NaN}', '{"a":1e400}', '\u0000', '{"a":"\\ud800"}', '\ufeff{}', '{}{}',
  Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x7d]), '['.repeat(100_000) + ']'.repeat(100_000), '{"__proto__":{"polluted":"yes"}}',
];
