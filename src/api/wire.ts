// Conversions the SDK does on the client side, for the in-process client: inputs to wire JSON (Dates to
// epoch seconds, objects in JSON-string members stringified, undefined dropped) and outputs back (epoch
// seconds to Dates). Copies are made with defineProperty, so a key named `__proto__` stays a key.
import { InvalidInputException } from '../engine/errors.js';
import type { Shape } from './shape-types.js';

export function toWire(shape: Shape | undefined, v: unknown): unknown {
  if (v === undefined) return undefined;
  if (v instanceof Date) return v.getTime() / 1000;
  // Only as deep as the shape goes: what it does not describe is left for validation to refuse (a cyclic
  // or absurdly deep value must not take the conversion down with it).
  switch (shape?.type) {
    case 'jsonString':
      if (v === null || typeof v !== 'object') return v;
      try {
        return JSON.stringify(v);
      } catch (e) {
        throw new InvalidInputException(`A JSON-string member could not be written as JSON: ${(e as Error).message}.`);
      }
    case 'list':
      return Array.isArray(v) ? v.map((x) => toWire(shape.member, x)) : v;
    case 'structure':
    case 'map': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (shape.type === 'structure' && !Object.hasOwn(shape.members, k)) continue; // unknown members are not sent
        const w = toWire(shape.type === 'map' ? shape.value : shape.members[k], x);
        if (w !== undefined) setKey(out, k, w);
      }
      return out;
    }
    default:
      return v;
  }
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
