// Typed column builders for one chunk of CSV records: convert field bytes per schema type, apply
// Personalize's value rules (and the avsc semantics of the field's type), and collect value issues.
import type { FieldType } from './types.js';
import { BLOCK_RECORDS, type RecordScanner } from './csv-parse.js';
import { ByteDict, keyHash, packHi, packLo, shortHash, SHORT_KEY, type DictData } from './csv-dict.js';

/** What to build for one schema field; plain data, so it can be sent to a worker. */
export interface FieldPlan {
  name: string;
  kind: FieldType;
  /** Index of the field in the CSV header; -1 when the header lacks it (all null). */
  csvIndex: number;
  /** An empty value is null (schema says nullable and its avsc type accepts null). */
  nullable: boolean;
  /** Longest allowed value in characters (0: no limit). */
  maxChars: number;
  /** Longer values are cut to this many characters (0: never). */
  truncateChars: number;
}

/** The avsc check of one field, used per value only where the fast path cannot vouch for it (main thread). */
export interface StrictCheck { isValid: (v: unknown) => boolean; describe: string }

export interface ChunkIssue { line: number; col: number; column?: string; message: string }

export type ChunkColumn =
  | { kind: 'string'; codes: Int32Array; dict: DictData; live?: ByteDict }
  | { kind: 'int'; values: Int32Array; nulls: Uint8Array | null; min: number; max: number }
  | { kind: 'long' | 'double'; values: Float64Array; nulls: Uint8Array | null; min: number; max: number }
  | { kind: 'float'; values: Float32Array; nulls: Uint8Array | null; min: number; max: number }
  | { kind: 'boolean'; values: Uint8Array; nulls: Uint8Array | null; min: number; max: number };

/** avsc's LongType accepts |v| <= 2^53 - 2 (isSafeLong), one less than Number.MAX_SAFE_INTEGER. */
export const LONG_LIMIT = 9007199254740990;
const FLOAT_MAX = 3.4028234663852886e38;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const FLOAT_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface ColumnBuilder {
  /** Converts field `plan.csvIndex` of the scanner's current block into rows row0.. of this column. */
  add(sc: RecordScanner, row0: number, issues: ChunkIssue[]): void;
  finish(rows: number): ChunkColumn;
}

export function makeBuilder(plan: FieldPlan, strict?: StrictCheck): ColumnBuilder {
  return plan.kind === 'string' ? new StringBuilder(plan, strict) : new NumberBuilder(plan, strict);
}

/** Shows a value in a message: quoted, cut to a readable length. */
export function showValue(src: Uint8Array, s: number, e: number): string {
  const text = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('utf8', s, Math.min(e, s + 80));
  return JSON.stringify(e - s > 80 ? text + '...' : text);
}

function requiredMessage(plan: FieldPlan): string {
  return `${plan.name} is required but empty; give every row a value, or make the field nullable ` +
    `(["null", "${plan.kind}"]) in the schema`;
}

/** Characters (code points) of UTF-8 bytes: every byte that is not a continuation byte starts one. */
function countChars(src: Uint8Array, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((src[i] & 0xc0) !== 0x80) n++;
  return n;
}

/** Byte offset where character number `chars` starts (e when the value is shorter). */
function charOffset(src: Uint8Array, s: number, e: number, chars: number): number {
  let n = 0;
  for (let i = s; i < e; i++) if ((src[i] & 0xc0) !== 0x80 && n++ === chars) return i;
  return e;
}

function grow<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

class StringBuilder implements ColumnBuilder {
  private codes = new Int32Array(4096);
  private readonly dict = new ByteDict(Number(process.env.DICT_SIZE ?? 256));
  /** Values longer than this many bytes may break a length rule and take the slow path. */
  private readonly checkAbove: number;
  private readonly hs = new Int32Array(BLOCK_RECORDS);
  private readonly w0s = new Int32Array(BLOCK_RECORDS);
  private readonly w1s = new Int32Array(BLOCK_RECORDS);
  /** Rows of the block that need the slow path (null, scratch bytes, long, strict check). */
  private readonly slow: Uint8Array;
  private sink = 0;

  constructor(private readonly plan: FieldPlan, private readonly strict?: StrictCheck) {
    const limits = [plan.maxChars, plan.truncateChars].filter((n) => n > 0);
    this.checkAbove = limits.length ? Math.min(...limits) : Infinity;
    this.slow = new Uint8Array(BLOCK_RECORDS);
  }

  add(sc: RecordScanner, row0: number, issues: ChunkIssue[]): void {
    const n = sc.count, nf = sc.nf, fi = this.plan.csvIndex, starts = sc.starts, ends = sc.ends, buf = sc.buf;
    const hs = this.hs, w0s = this.w0s, w1s = this.w1s, slow = this.slow, dict = this.dict;
    const checkAbove = this.checkAbove, strict = this.strict !== undefined, safeEnd = buf.length - 8;
    const codes = (this.codes = grow(this.codes, row0 + n));
    // Three passes over the block: hash, touch the table slots (misses overlap), then look up in row order.
    for (let r = 0, k = fi; r < n; r++, k += nf) {
      const s = starts[k], e = ends[k], len = e - s;
      if (s < 0 || len === 0 || len > checkAbove || strict) { slow[r] = 1; hs[r] = 0; continue; }
      if (len <= SHORT_KEY && s <= safeEnd) {
        const w0 = packLo(buf, s, len), w1 = packHi(buf, s, len);
        w0s[r] = w0; w1s[r] = w1; hs[r] = shortHash(w0, w1, len);
      } else if (len <= SHORT_KEY) { slow[r] = 1; hs[r] = 0; } // near the end of the buffer
      else hs[r] = keyHash(buf, s, e);
    }
    this.sink ^= dict.touchAll(hs, n);
    for (let r = 0, k = fi; r < n; r++, k += nf) {
      if (slow[r] === 1) { slow[r] = 0; codes[row0 + r] = this.slowValue(sc, r, issues); continue; }
      const s = starts[k], e = ends[k], h = hs[r];
      let code: number;
      if (e - s <= SHORT_KEY) {
        code = dict.findShort(h, w0s[r], w1s[r]);
        if (code < 0) code = dict.insert(buf, s, e, h, dict.emptySlot(h), w0s[r], w1s[r]);
      } else code = dict.lookup(buf, s, e, h);
      codes[row0 + r] = code;
      if (dict.lastInvalid >= 0) this.invalidUtf8(sc.lines[r], issues);
    }
  }

  /** Code of a value off the fast path: null, from the scratch buffer, possibly too long, or strictly checked. */
  private slowValue(sc: RecordScanner, r: number, issues: ChunkIssue[]): number {
    const { plan } = this, k = r * sc.nf + plan.csvIndex, line = sc.lines[r];
    let s = sc.starts[k], e = sc.ends[k], src: Uint8Array = sc.buf;
    if (s < 0) { src = sc.scratch; s = ~s; e = ~e; }
    if (s === e) {
      if (!plan.nullable) issues.push({ line, col: plan.csvIndex, column: plan.name, message: requiredMessage(plan) });
      return -1;
    }
    if (e - s > this.checkAbove) {
      const chars = countChars(src, s, e);
      if (plan.maxChars > 0 && chars > plan.maxChars) {
        issues.push({ line, col: plan.csvIndex, column: plan.name,
          message: `value is ${chars} characters long; ${plan.name} allows at most ${plan.maxChars} characters` });
        return -1;
      }
      if (plan.truncateChars > 0 && chars > plan.truncateChars) e = charOffset(src, s, e, plan.truncateChars);
    }
    if (this.strict) {
      const v = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('utf8', s, e);
      if (!this.strict.isValid(v)) {
        issues.push({ line, col: plan.csvIndex, column: plan.name,
          message: `value ${showValue(src, s, e)} does not match the schema type ${this.strict.describe}` });
        return -1;
      }
    }
    const code = this.dict.lookup(src, s, e, keyHash(src, s, e));
    if (this.dict.lastInvalid >= 0) this.invalidUtf8(line, issues);
    return code;
  }

  private invalidUtf8(line: number, issues: ChunkIssue[]): void {
    this.dict.lastInvalid = -1;
    issues.push({ line, col: this.plan.csvIndex, column: this.plan.name,
      message: 'value is not valid UTF-8 text; save the file with UTF-8 encoding' });
  }

  finish(rows: number): ChunkColumn {
    return { kind: 'string', codes: this.codes.slice(0, rows), dict: this.dict.data(), live: this.dict };
  }
}

/** Integer value of bytes [+-]digits (spaces/tabs around allowed), NaN if not that shape. */
function parseIntegerBytes(src: Uint8Array, s: number, e: number): number {
  while (s < e && (src[s] === 32 || src[s] === 9)) s++;
  while (e > s && (src[e - 1] === 32 || src[e - 1] === 9)) e--;
  let neg = false;
  if (s < e && (src[s] === 45 || src[s] === 43)) { neg = src[s] === 45; s++; }
  if (s === e) return NaN;
  // Nine digits always fit an int32, and integer multiply-adds are cheaper than a floating-point chain.
  let lo = 0;
  const m = e - s > 9 ? s + 9 : e;
  for (; s < m; s++) {
    const d = src[s] - 48;
    if (d < 0 || d > 9) return NaN;
    lo = lo * 10 + d;
  }
  let v = lo;
  for (; s < e; s++) {
    const d = src[s] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? 0 - v : v;
}

/** parseFloat of the whole trimmed token (NaN on trailing garbage). Short decimals skip the string. */
function parseFloatBytes(src: Uint8Array, s: number, e: number): number {
  while (s < e && (src[s] === 32 || src[s] === 9)) s++;
  while (e > s && (src[e - 1] === 32 || src[e - 1] === 9)) e--;
  let i = s, neg = false;
  if (i < e && (src[i] === 45 || src[i] === 43)) { neg = src[i] === 45; i++; }
  // Clinger's fast path: an integer mantissa below 2^53 divided by an exact power of ten rounds correctly.
  let m = 0, digits = 0, frac = -1, ok = i < e;
  for (; i < e && ok; i++) {
    const c = src[i];
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
    else if (c === 46 && frac < 0) frac = 0;
    else ok = false;
  }
  if (ok && digits > 0 && digits <= 15 && frac <= 22) {
    const v = frac > 0 ? m / POW10[frac] : m;
    return neg ? 0 - v : v;
  }
  const text = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('latin1', s, e);
  return FLOAT_SYNTAX.test(text) ? parseFloat(text) : NaN;
}

function parseBooleanBytes(src: Uint8Array, s: number, e: number): number {
  while (s < e && (src[s] === 32 || src[s] === 9)) s++;
  while (e > s && (src[e - 1] === 32 || src[e - 1] === 9)) e--;
  const n = e - s;
  const low = (k: number) => src[s + k] | 0x20;
  if (n === 4 && low(0) === 116 && low(1) === 114 && low(2) === 117 && low(3) === 101) return 1; // true
  if (n === 5 && low(0) === 102 && low(1) === 97 && low(2) === 108 && low(3) === 115 && low(4) === 101) return 0;
  return NaN;
}

class NumberBuilder implements ColumnBuilder {
  private values: Int32Array | Float64Array | Float32Array | Uint8Array;
  private nulls: Uint8Array | null = null;
  private min = Infinity;
  private max = -Infinity;

  constructor(private readonly plan: FieldPlan, private readonly strict?: StrictCheck) {
    const k = plan.kind;
    this.values = k === 'int' ? new Int32Array(4096) : k === 'float' ? new Float32Array(4096)
      : k === 'boolean' ? new Uint8Array(4096) : new Float64Array(4096);
  }

  add(sc: RecordScanner, row0: number, issues: ChunkIssue[]): void {
    const { plan } = this, kind = plan.kind, nf = sc.nf, fi = plan.csvIndex, starts = sc.starts, ends = sc.ends;
    const values = (this.values = grow(this.values, row0 + sc.count));
    const integer = kind === 'int' || kind === 'long';
    if (this.nulls) this.nulls = grow(this.nulls, values.length);
    let min = this.min, max = this.max;
    for (let r = 0; r < sc.count; r++) {
      let s = starts[r * nf + fi], e = ends[r * nf + fi], src: Uint8Array = sc.buf;
      if (s < 0) { src = sc.scratch; s = ~s; e = ~e; }
      if (s === e) {
        if (plan.nullable) (this.nulls ??= new Uint8Array(values.length))[row0 + r] = 1;
        else issues.push({ line: sc.lines[r], col: fi, column: plan.name, message: requiredMessage(plan) });
        continue;
      }
      const v = integer ? parseIntegerBytes(src, s, e) : kind === 'boolean' ? parseBooleanBytes(src, s, e) : parseFloatBytes(src, s, e);
      let bad: string | null = null;
      if (v !== v || v === Infinity || v === -Infinity) bad = this.notA(src, s, e);
      else if (kind === 'int' ? v !== (v | 0) : kind === 'long' ? v > LONG_LIMIT || v < -LONG_LIMIT
        : kind === 'float' && !Number.isFinite(Math.fround(v))) bad = this.outOfRange(src, s, e);
      else if (this.strict && !this.strict.isValid(kind === 'boolean' ? v === 1 : v)) {
        bad = `value ${showValue(src, s, e)} does not match the schema type ${this.strict.describe}`;
      }
      if (bad !== null) { issues.push({ line: sc.lines[r], col: fi, column: plan.name, message: bad }); continue; }
      values[row0 + r] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    this.min = min; this.max = max;
  }

  private notA(src: Uint8Array, s: number, e: number): string {
    const shown = showValue(src, s, e), name = this.plan.name;
    switch (this.plan.kind) {
      case 'int': return `value ${shown} is not an int (a whole number from -2147483648 to 2147483647)`;
      case 'long': return /TIMESTAMP$/.test(name)
        ? `value ${shown} is not a long (a whole number of epoch seconds, e.g. 1700000000)`
        : `value ${shown} is not a long (a whole number)`;
      case 'boolean': return `value ${shown} is not a boolean (write true or false)`;
      default: return `value ${shown} is not a ${this.plan.kind} (a finite decimal number such as 3.5 or 1e-3)`;
    }
  }

  private outOfRange(src: Uint8Array, s: number, e: number): string {
    const shown = showValue(src, s, e);
    switch (this.plan.kind) {
      case 'int': return `value ${shown} is out of range for an int (-2147483648 to 2147483647); use a long field for bigger numbers`;
      case 'long': return `value ${shown} is out of range for a long (at most ${LONG_LIMIT} in absolute value)`;
      default: return `value ${shown} is out of range for a float (at most ${FLOAT_MAX} in absolute value); use a double field`;
    }
  }

  finish(rows: number): ChunkColumn {
    const nulls = this.nulls ? this.nulls.slice(0, rows) : null;
    const base = { nulls, min: this.min, max: this.max };
    const v = this.values;
    if (v instanceof Int32Array) return { kind: 'int', values: v.slice(0, rows), ...base };
    if (v instanceof Float32Array) return { kind: 'float', values: v.slice(0, rows), ...base };
    if (v instanceof Uint8Array) return { kind: 'boolean', values: v.slice(0, rows), ...base };
    return { kind: this.plan.kind === 'long' ? 'long' : 'double', values: v.slice(0, rows), ...base };
  }
}
