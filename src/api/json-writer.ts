// Output JSON written from the operation's output shape, so a whole-number double goes out as `1.0`:
// botocore's JSON parser keeps what the text says, and `1` would reach Python users as an int where the
// model says double. JSON.stringify cannot tell the two apart; parts of a shape without doubles still use it.
import type { Shape } from './shape-types.js';

const HAS_DOUBLE = new WeakMap<Shape, boolean>();

function hasDouble(shape: Shape): boolean {
  let v = HAS_DOUBLE.get(shape);
  if (v === undefined) {
    switch (shape.type) {
      case 'double': v = true; break;
      case 'list': v = hasDouble(shape.member); break;
      case 'map': v = hasDouble(shape.value); break;
      case 'structure': v = Object.values(shape.members).some(hasDouble); break;
      default: v = false;
    }
    HAS_DOUBLE.set(shape, v);
  }
  return v;
}

/** A double as JSON text: whole values keep a decimal point (`1.0`, `-0.0`); NaN and infinities (never valid JSON) become null. */
export function doubleText(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return Object.is(v, -0) ? '-0.0' : `${v}.0`;
  return JSON.stringify(v);
}

/** `value` as JSON text, doubles of `shape` written as doubles; members the shape does not know are written as they are. */
export function writeJson(shape: Shape | undefined, value: unknown): string {
  if (value === undefined) return '';
  if (!shape || !hasDouble(shape) || value === null) return JSON.stringify(value) ?? 'null';
  switch (shape.type) {
    case 'double':
      return typeof value === 'number' ? doubleText(value) : JSON.stringify(value);
    case 'list': {
      if (!Array.isArray(value)) return JSON.stringify(value);
      let out = '[';
      for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + writeJson(shape.member, value[i] ?? null);
      return out + ']';
    }
    case 'map':
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
      let out = '{';
      let first = true;
      for (const k of Object.keys(value)) {
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined || typeof v === 'function') continue;
        const s = shape.type === 'map' ? shape.value : Object.hasOwn(shape.members, k) ? shape.members[k] : undefined;
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + writeJson(s, v);
        first = false;
      }
      return out + '}';
    }
    default:
      return JSON.stringify(value);
  }
}
