// Output JSON written from the operation's output shape, so a whole-number double goes out as `1.0`:
// botocore's JSON parser keeps what the text says, and `1` would reach Python users as an int where the
// model says double. JSON.stringify cannot tell the two apart; parts of a shape without doubles still use it.
// Most replies hold no whole-number double (softmax scores never are): those go out as JSON.stringify writes
// them, in one native pass, after a walk of the shape's double-bearing parts that finds nothing to write
// differently. The others are written value by value, by a writer built once per shape.
import type { Shape } from './shape-types.js';

/** Writes one value (never undefined) of a shape; may return undefined exactly where JSON.stringify does. */
type Writer = (value: unknown) => string;

/** Whether a value (never undefined) would be written other than as JSON.stringify writes it. */
type Check = (value: unknown) => boolean;

const HAS_DOUBLE = new WeakMap<Shape, boolean>();
const WRITERS = new WeakMap<Shape, Writer>();
const CHECKS = new WeakMap<Shape, Check>();

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
  return String(v); // a finite number's JSON text is its string form
}

/** `value` as JSON text, doubles of `shape` written as doubles; members the shape does not know are written as they are. */
export function writeJson(shape: Shape | undefined, value: unknown): string {
  if (value === undefined) return '';
  if (!shape || !checkFor(shape)(value)) return JSON.stringify(value) ?? 'null';
  return writerFor(shape)(value);
}

const never: Check = () => false;

/** The value `make` gives for `shape`, made once per shape. */
function memo<T>(cache: WeakMap<Shape, T>, shape: Shape, make: (shape: Shape) => T): T {
  let v = cache.get(shape);
  if (v === undefined) {
    v = make(shape);
    cache.set(shape, v);
  }
  return v;
}

function checkFor(shape: Shape): Check {
  return memo(CHECKS, shape, compileCheck);
}

/**
 * Where the shape writer and JSON.stringify part ways: a whole double (`1.0` vs `1`), and what no output
 * should hold but must still come out the same: functions and symbols where the writer does not skip them,
 * objects JSON.stringify would turn into something else (toJSON, boxed values, class instances).
 */
function compileCheck(shape: Shape): Check {
  if (!hasDouble(shape)) return never;
  switch (shape.type) {
    case 'double':
      return (value) => (typeof value === 'number' ? Number.isInteger(value) : oddScalar(value));
    case 'list': {
      let member: Check | undefined;
      return (value) => {
        if (value === null) return false;
        if (!Array.isArray(value)) return oddScalar(value);
        member ??= checkFor(shape.member);
        for (let i = 0; i < value.length; i++) if (member(value[i] ?? null)) return true;
        return false;
      };
    }
    case 'map':
    case 'structure': {
      const members = new Map<string, Check>();
      const memberCheck = (k: string): Check => {
        let c = members.get(k);
        if (!c) {
          c = shape.type === 'map' ? checkFor(shape.value) : Object.hasOwn(shape.members, k) ? checkFor(shape.members[k]!) : never;
          members.set(k, c);
        }
        return c;
      };
      return (value) => {
        if (value === null) return false;
        if (typeof value !== 'object' || Array.isArray(value)) return oddScalar(value);
        const proto = Object.getPrototypeOf(value) as unknown;
        if ((proto !== Object.prototype && proto !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
        for (const k of Object.keys(value)) {
          const v = (value as Record<string, unknown>)[k];
          if (v === undefined || typeof v === 'function') continue; // skipped by both
          if (typeof v === 'symbol' || memberCheck(k)(v)) return true;
        }
        return false;
      };
    }
    default:
      return never;
  }
}

/** A function or symbol where a shape writer writes JSON.stringify's `undefined` and JSON.stringify itself would not. */
function oddScalar(value: unknown): boolean {
  return typeof value === 'function' || typeof value === 'symbol';
}

const plain: Writer = (value) => JSON.stringify(value) ?? 'null';

function writerFor(shape: Shape | undefined): Writer {
  return shape ? memo(WRITERS, shape, compile) : plain;
}

function compile(shape: Shape): Writer {
  if (!hasDouble(shape)) return plain;
  switch (shape.type) {
    case 'double':
      return (value) => (value === null ? 'null' : typeof value === 'number' ? doubleText(value) : JSON.stringify(value));
    case 'list': {
      let member: Writer | undefined; // resolved at first use: a shape may contain itself
      return (value) => {
        if (value === null) return 'null';
        if (!Array.isArray(value)) return JSON.stringify(value);
        member ??= writerFor(shape.member);
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + member(value[i] ?? null);
        return out + ']';
      };
    }
    case 'map': {
      let member: Writer | undefined;
      return (value) => {
        if (value === null) return 'null';
        if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
        member ??= writerFor(shape.value);
        return writeObject(value as Record<string, unknown>, (k) => JSON.stringify(k), () => member!);
      };
    }
    case 'structure': {
      const names = new Map<string, string>(Object.keys(shape.members).map((k) => [k, JSON.stringify(k)]));
      const members = new Map<string, Writer>();
      const memberWriter = (k: string): Writer => {
        let w = members.get(k);
        if (!w) {
          w = Object.hasOwn(shape.members, k) ? writerFor(shape.members[k]) : plain;
          members.set(k, w);
        }
        return w;
      };
      return (value) => {
        if (value === null) return 'null';
        if (typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
        return writeObject(value as Record<string, unknown>, (k) => names.get(k) ?? JSON.stringify(k),
          (k) => (Object.hasOwn(shape.members, k) ? memberWriter(k) : plain));
      };
    }
    default:
      return plain;
  }
}

/** `{...}` of an object's own enumerable members in their order, leaving out undefined and functions as JSON.stringify does. */
function writeObject(value: Record<string, unknown>, keyText: (k: string) => string, writer: (k: string) => Writer): string {
  let out = '{';
  let first = true;
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === undefined || typeof v === 'function') continue;
    out += (first ? '' : ',') + keyText(k) + ':' + writer(k)(v);
    first = false;
  }
  return out + '}';
}
