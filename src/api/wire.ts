// Conversions the SDK does on the client side, for the in-process client: inputs to wire JSON (Dates to
// epoch seconds, objects in JSON-string members stringified, undefined dropped) and outputs back (epoch
// seconds to Dates).
import type { Shape } from './shape-types.js';

export function toWire(shape: Shape | undefined, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (v instanceof Date) return v.getTime() / 1000;
  if (shape?.type === 'jsonString' && v !== null && typeof v === 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return v.map((x) => toWire(shape?.type === 'list' ? shape.member : undefined, x));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const s = shape?.type === 'structure' ? shape.members[k] : shape?.type === 'map' ? shape.value : undefined;
      const w = toWire(s, x);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  return v;
}

export function fromWire(shape: Shape | undefined, v: unknown): unknown {
  if (v === null || v === undefined || !shape) return v;
  switch (shape.type) {
    case 'timestamp': return typeof v === 'number' ? new Date(Math.round(v * 1000)) : v;
    case 'list': return Array.isArray(v) ? v.map((x) => fromWire(shape.member, x)) : v;
    case 'map': return typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(shape.value, x)])) : v;
    case 'structure':
      return typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromWire(shape.members[k], x)])) : v;
    default: return v;
  }
}
