// Conversions the SDK does on the client side, for the in-process client: inputs to wire JSON (Dates to
// epoch seconds, objects in JSON-string members stringified, undefined dropped) and outputs back (epoch
// seconds to Dates). Copies are made with defineProperty, so a key named `__proto__` stays a key.
import type { Shape } from './shape-types.js';

export function toWire(shape: Shape | undefined, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (v instanceof Date) return v.getTime() / 1000;
  if (shape?.type === 'jsonString' && v !== null && typeof v === 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return v.map((x) => toWire(shape?.type === 'list' ? shape.member : undefined, x));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = shape?.type === 'structure' ? (Object.hasOwn(shape.members, k) ? shape.members[k] : undefined) : shape?.type === 'map' ? shape.value : undefined;
      const w = toWire(s, x);
      if (w !== undefined) setKey(out, k, w);
    }
    return out;
  }
  return v;
}

/** Outputs back to SDK types; always a fresh copy, so callers can never mutate what the engine holds. */
export function fromWire(shape: Shape | undefined, v: unknown): unknown {
  if (v === null || v === undefined || !shape) return v;
  switch (shape.type) {
    case 'timestamp': return typeof v === 'number' ? new Date(Math.round(v * 1000)) : v;
    case 'list': {
      if (!Array.isArray(v)) return v;
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = fromWire(shape.member, v[i]);
      return out;
    }
    case 'map':
    case 'structure': {
      if (typeof v !== 'object') return v;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        const s = shape.type === 'map' ? shape.value : Object.hasOwn(shape.members, k) ? shape.members[k] : undefined;
        setKey(out, k, fromWire(s, (v as Record<string, unknown>)[k]));
      }
      return out;
    }
    default: return v;
  }
}

/** `o[k] = v` as a plain own property, even for `__proto__` (an assignment would set the prototype instead). */
function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
