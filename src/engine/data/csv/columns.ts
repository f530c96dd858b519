// Typed column builders for one chunk of CSV records: convert field bytes per schema type, apply
// Personalize's value rules (and the avsc semantics of the field's type), and collect value issues.
import { isUtf8 } from 'node:buffer';
import type { FieldType } from '../types.js';
import { BLOCK_RECORDS, type TokenBlock } from './parse.js';
import { ByteDict, HI_MASK, keyHash, LO_MASK, longHash, shortHash, SHORT_KEY, type DictData } from '../byte-dict.js';
import { charOffset, countChars, FLOAT_MAX, parseBooleanBytes, parseFloatBytes, parseIntegerBytes, POW10, showValue } from './values.js';

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
  /** A string field kept as its rows' bytes, not dictionary-encoded here (its values rarely repeat: row-strings.ts). */
  raw?: boolean;
}

/** The avsc check of one field, used per value only where the fast path cannot vouch for it (main thread). */
export interface StrictCheck { isValid: (v: unknown) => boolean; describe: string }

export interface ChunkIssue { line: number; col: number; column?: string; message: string }

export type ChunkColumn =
  // live: the dictionary itself when parsed on this thread (a merge goes on with it).
  | { kind: 'string'; codes: Int32Array; dict: DictData; live?: ByteDict }
  // row r's value is data[offsets[r] .. offsets[r+1]) (empty when null)
  | { kind: 'utf8'; data: Uint8Array; offsets: Int32Array; nulls: Uint8Array | null }
  | { kind: 'int'; values: Int32Array; nulls: Uint8Array | null; min: number; max: number }
  | { kind: 'long' | 'double'; values: Float64Array; nulls: Uint8Array | null; min: number; max: number }
  | { kind: 'float'; values: Float32Array; nulls: Uint8Array | null; min: number; max: number }
  | { kind: 'boolean'; values: Uint8Array; nulls: Uint8Array | null; min: number; max: number };

/** avsc's LongType accepts |v| <= 2^53 - 2 (isSafeLong), one less than Number.MAX_SAFE_INTEGER. */
export const LONG_LIMIT = 9007199254740990;

export interface ColumnBuilder {
  /** Makes room for exactly this many rows (an estimate; arrays still grow past it). */
  reserve(rows: number): void;
  /** Converts field `plan.csvIndex` of the current block into rows row0.. of this column. */
  add(sc: TokenBlock, row0: number, issues: ChunkIssue[]): void;
  finish(rows: number): ChunkColumn;
}

/** `keys`: expected distinct values of a string field (sizes its dictionary). */
export function makeBuilder(plan: FieldPlan, strict?: StrictCheck, keys?: number): ColumnBuilder {
  if (plan.kind !== 'string') return new NumberBuilder(plan, strict);
  return plan.raw ? new RawStringBuilder(plan, strict) : new StringBuilder(plan, strict, keys);
}

/** Values longer than this many bytes may break a length rule of the plan and take the slow path. */
function checkAboveOf(plan: FieldPlan): number {
  const limits = [plan.maxChars, plan.truncateChars].filter((n) => n > 0);
  return limits.length ? Math.min(...limits) : 0x7fffffff;
}

/**
 * The checked bytes of a string value off the fast path (from the scratch buffer, possibly too long, or
 * strictly checked): src[s..e) (cut to the truncation length), or null when the value is null or rejected
 * (then the issue, if any, is recorded).
 */
function checkedValue(plan: FieldPlan, strict: StrictCheck | undefined, checkAbove: number, sc: TokenBlock, r: number,
  issues: ChunkIssue[]): { src: Uint8Array; s: number; e: number } | null {
  const k = r * sc.nf + plan.csvIndex, line = sc.lines[r];
  let s = sc.starts[k], e = sc.ends[k], src: Uint8Array = sc.buf;
  if (s < 0) { src = sc.scratch; s = ~s; e = ~e; }
  if (s === e) {
    if (!plan.nullable) issues.push({ line, col: plan.csvIndex, column: plan.name, message: requiredMessage(plan) });
    return null;
  }
  if (e - s > checkAbove) {
    const chars = countChars(src, s, e);
    if (plan.maxChars > 0 && chars > plan.maxChars) {
      issues.push({ line, col: plan.csvIndex, column: plan.name,
        message: `value is ${chars} characters long; ${plan.name} allows at most ${plan.maxChars} characters` });
      return null;
    }
    if (plan.truncateChars > 0 && chars > plan.truncateChars) e = charOffset(src, s, e, plan.truncateChars);
  }
  if (strict) {
    const v = Buffer.from(src.buffer, src.byteOffset, src.byteLength).toString('utf8', s, e);
    if (!strict.isValid(v)) {
      issues.push({ line, col: plan.csvIndex, column: plan.name,
        message: `value ${showValue(src, s, e)} does not match the schema type ${strict.describe}` });
      return null;
    }
  }
  return { src, s, e };
}

function invalidUtf8Issue(plan: FieldPlan, line: number): ChunkIssue {
  return { line, col: plan.csvIndex, column: plan.name, message: 'value is not valid UTF-8 text; save the file with UTF-8 encoding' };
}

function requiredMessage(plan: FieldPlan): string {
  return `${plan.name} is required but empty; give every row a value, or make the field nullable ` +
    `(["null", "${plan.kind}"]) in the schema`;
}

type NumArray = Int32Array | Float64Array | Float32Array | Uint8Array;

/** `a` with room for `need` values: 1.5x its length at least, or exactly `need` when `exact` (a reservation). */
function grow<T extends NumArray>(a: T, need: number, exact = false): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(exact ? need : Math.max(need, Math.ceil(a.length * 1.5)));
  b.set(a);
  return b;
}

/** The first `rows` values; a view when that wastes little (the buffer is transferred or kept whole). */
function trim<T extends NumArray>(a: T, rows: number): T {
  return (a.length - rows <= (a.length >> 4) ? a.subarray(0, rows) : a.slice(0, rows)) as T;
}

class StringBuilder implements ColumnBuilder {
  // Typed in the constructor or at declaration ("declare" fields start as nothing, not undefined).
  private declare readonly plan: FieldPlan;
  private declare readonly strict: StrictCheck | undefined;
  private codes = new Int32Array(4096);
  private declare readonly dict: ByteDict;
  /** Values longer than this many bytes may break a length rule and take the slow path. */
  private declare readonly checkAbove: number;
  private readonly hs = new Int32Array(BLOCK_RECORDS);
  private readonly w0s = new Int32Array(BLOCK_RECORDS);
  private readonly w1s = new Int32Array(BLOCK_RECORDS);
  /** Rows of the block that need the slow path (null, scratch bytes, long, strict check). */
  private readonly slow = new Uint8Array(BLOCK_RECORDS);
  private sink = 0;

  constructor(plan: FieldPlan, strict?: StrictCheck, keys?: number) {
    this.plan = plan;
    this.strict = strict;
    this.dict = new ByteDict(keys);
    this.checkAbove = checkAboveOf(plan);
  }

  add(sc: TokenBlock, row0: number, issues: ChunkIssue[]): void {
    const n = sc.count, nf = sc.nf, fi = this.plan.csvIndex, starts = sc.starts, ends = sc.ends, buf = sc.buf;
    const hs = this.hs, w0s = this.w0s, w1s = this.w1s, slow = this.slow, dict = this.dict;
    const checkAbove = this.checkAbove, strict = this.strict !== undefined, safeEnd = buf.length - 8, view = sc.view;
    const codes = (this.codes = grow(this.codes, row0 + n));
    // Three passes over the block: hash, touch the table slots (misses overlap), then look up in row order.
    // slow[r]: 1 = off the fast path (slowValue), 2 = a long key (dict.lookup).
    for (let r = 0, k = fi; r < n; r++, k += nf) {
      const s = starts[k], e = ends[k], len = e - s;
      if (s < 0 || len === 0 || len > checkAbove || strict || (len <= SHORT_KEY && s > safeEnd)) { slow[r] = 1; hs[r] = 0; continue; }
      if (len <= SHORT_KEY) {
        const w0 = view.getInt32(s, true) & LO_MASK[len], w1 = view.getInt32(s + 4, true) & HI_MASK[len];
        w0s[r] = w0; w1s[r] = w1; hs[r] = shortHash(w0, w1, len);
      } else { slow[r] = 2; hs[r] = longHash(view, s, e); }
    }
    this.sink ^= dict.touchAll(hs, n);
    // Hits are resolved in a tight loop inside the dictionary; it stops at each row needing more.
    for (let r = dict.resolveShort(hs, w0s, w1s, slow, 0, n, codes, row0); r < n; r = dict.resolveShort(hs, w0s, w1s, slow, r + 1, n, codes, row0)) {
      const k = r * nf + fi, flag = slow[r];
      slow[r] = 0;
      codes[row0 + r] = flag === 1 ? this.slowValue(sc, r, issues)
        : flag === 2 ? dict.lookup(buf, starts[k], ends[k], hs[r])
        : dict.insert(buf, starts[k], ends[k], hs[r], dict.emptySlot(hs[r]), w0s[r], w1s[r]);
      if (dict.lastInvalid >= 0) this.invalidUtf8(sc.lines[r], issues);
    }
  }

  /** Code of a value off the fast path: null, from the scratch buffer, possibly too long, or strictly checked. */
  private slowValue(sc: TokenBlock, r: number, issues: ChunkIssue[]): number {
    const v = checkedValue(this.plan, this.strict, this.checkAbove, sc, r, issues);
    if (!v) return -1;
    const code = this.dict.lookup(v.src, v.s, v.e, keyHash(v.src, v.s, v.e));
    if (this.dict.lastInvalid >= 0) this.invalidUtf8(sc.lines[r], issues);
    return code;
  }

  private invalidUtf8(line: number, issues: ChunkIssue[]): void {
    this.dict.lastInvalid = -1;
    issues.push(invalidUtf8Issue(this.plan, line));
  }

  finish(rows: number): ChunkColumn {
    return { kind: 'string', codes: trim(this.codes, rows), dict: this.dict.data(), live: this.dict };
  }

  reserve(rows: number): void {
    this.codes = grow(this.codes, rows, true);
  }
}

/**
 * The value of four ASCII digits read as a little-endian word (first digit in the low byte), or -1 when some
 * byte is not a digit: every byte's high nibble must be 3, also after adding 6 (which lifts ':'..'?' out).
 */
export function fourDigits(w: number): number {
  if (((w & 0xf0f0f0f0) | (((w + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) return -1;
  const d = w & 0x0f0f0f0f; // digit values, one per byte
  const pairs = Math.imul(d & 0x00ff00ff, 10) + ((d >>> 8) & 0x00ff00ff); // bytes 0 and 2: two-digit values
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

/** A string column as its rows' bytes, checked like StringBuilder's values (row-strings.ts says why). */
class RawStringBuilder implements ColumnBuilder {
  private declare readonly plan: FieldPlan;
  private declare readonly strict: StrictCheck | undefined;
  private declare readonly checkAbove: number;
  private data = new Uint8Array(1 << 16);
  private used = 0;
  /** offsets[r + 1]: where row r's value ends (offsets[0] = 0). */
  private offsets = new Int32Array(4097);
  private nulls: Uint8Array | null = null;
  private reserved = 0;

  constructor(plan: FieldPlan, strict?: StrictCheck) {
    this.plan = plan;
    this.strict = strict;
    this.checkAbove = checkAboveOf(plan);
  }

  reserve(rows: number): void {
    this.offsets = grow(this.offsets, rows + 1, true);
    this.reserved = rows;
  }

  private room(bytes: number): Uint8Array {
    if (this.used + bytes > this.data.length) {
      const bigger = new Uint8Array(Math.max(this.used + bytes, Math.ceil(this.data.length * 1.5)));
      bigger.set(this.data.subarray(0, this.used));
      this.data = bigger;
    }
    return this.data;
  }

  add(sc: TokenBlock, row0: number, issues: ChunkIssue[]): void {
    const n = sc.count, nf = sc.nf, fi = this.plan.csvIndex, starts = sc.starts, ends = sc.ends, buf = sc.buf;
    const checkAbove = this.checkAbove, strict = this.strict !== undefined;
    const offsets = (this.offsets = grow(this.offsets, row0 + n + 1));
    if (this.nulls) this.nulls = grow(this.nulls, offsets.length);
    if (row0 === 0 && this.reserved > n && n > 0) { // size the bytes from the first block's values
      let bytes = 0;
      for (let r = 0, k = fi; r < n; r++, k += nf) bytes += Math.max(0, ends[k] - starts[k]);
      this.room(Math.ceil((bytes / n) * this.reserved * 1.05) + 1024);
    }
    let data = this.room(n * 16), used = this.used;
    for (let r = 0, k = fi; r < n; r++, k += nf) {
      let s = starts[k], e = ends[k], src: Uint8Array = buf;
      if (s < 0 || s === e || e - s > checkAbove || strict) {
        this.used = used;
        const v = checkedValue(this.plan, this.strict, checkAbove, sc, r, issues);
        if (!v) { (this.nulls ??= new Uint8Array(offsets.length))[row0 + r] = 1; offsets[row0 + r + 1] = used; continue; }
        src = v.src; s = v.s; e = v.e;
      }
      const len = e - s;
      if (used + len > data.length) { this.used = used; data = this.room(len + (n - r) * 16); }
      let high = 0;
      for (let i = 0; i < len; i++) { const b = src[s + i]; data[used + i] = b; high |= b; }
      if (high & 0x80 && !isUtf8(data.subarray(used, used + len))) issues.push(invalidUtf8Issue(this.plan, sc.lines[r]));
      used += len;
      offsets[row0 + r + 1] = used;
    }
    this.used = used;
  }

  finish(rows: number): ChunkColumn {
    return { kind: 'utf8', data: trim(this.data, this.used), offsets: trim(this.offsets, rows + 1), nulls: this.nulls ? trim(this.nulls, rows) : null };
  }
}

class NumberBuilder implements ColumnBuilder {
  private declare readonly plan: FieldPlan;
  private declare readonly strict: StrictCheck | undefined;
  private declare values: Int32Array | Float64Array | Float32Array | Uint8Array;
  private nulls: Uint8Array | null = null;
  private min = Infinity;
  private max = -Infinity;

  constructor(plan: FieldPlan, strict?: StrictCheck) {
    this.plan = plan;
    this.strict = strict;
    const k = plan.kind;
    this.values = k === 'int' ? new Int32Array(4096) : k === 'float' ? new Float32Array(4096)
      : k === 'boolean' ? new Uint8Array(4096) : new Float64Array(4096);
  }

  add(sc: TokenBlock, row0: number, issues: ChunkIssue[]): void {
    this.values = grow(this.values, row0 + sc.count);
    if (this.nulls) this.nulls = grow(this.nulls, this.values.length);
    const kind = this.plan.kind;
    if ((kind === 'long' || kind === 'int') && !this.strict) { this.addIntegers(sc, row0, issues); return; }
    if ((kind === 'float' || kind === 'double') && !this.strict) { this.addDecimals(sc, row0, issues); return; }
    for (let r = 0; r < sc.count; r++) this.addValue(sc, r, row0, issues);
  }

  /** Whole numbers: plain [-]digits are converted inline; anything else (and every issue) goes to addValue. */
  private addIntegers(sc: TokenBlock, row0: number, issues: ChunkIssue[]): void {
    const n = sc.count, nf = sc.nf, fi = this.plan.csvIndex, starts = sc.starts, ends = sc.ends, buf = sc.buf, view = sc.view;
    const values = this.values, isInt = this.plan.kind === 'int';
    const hi = isInt ? 2147483647 : LONG_LIMIT, lo = isInt ? -2147483648 : -LONG_LIMIT;
    let min = this.min, max = this.max;
    for (let r = 0, k = fi; r < n; r++, k += nf) {
      const s = starts[k], e = ends[k];
      if (s >= 0 && e > s && e - s <= 16) {
        let p = s;
        const neg = buf[p] === 45;
        if (neg) p++;
        let v = 0, ok = p < e;
        // Four digits at a time from one little-endian word (an epoch timestamp is 4 + 4 + 2 digits).
        for (; p + 4 <= e; p += 4) {
          const d = fourDigits(view.getInt32(p, true));
          if (d < 0) { ok = false; break; }
          v = v * 10000 + d;
        }
        for (; ok && p < e; p++) {
          const d = buf[p] - 48;
          if (d < 0 || d > 9) { ok = false; break; }
          v = v * 10 + d;
        }
        if (neg) v = 0 - v;
        if (ok && v >= lo && v <= hi) {
          values[row0 + r] = v;
          if (v < min) min = v;
          if (v > max) max = v;
          continue;
        }
      }
      this.min = min; this.max = max;
      this.addValue(sc, r, row0, issues);
      min = this.min; max = this.max;
    }
    this.min = min; this.max = max;
  }

  /**
   * Decimals: plain [-]digits[.digits] of at most 15 digits are converted inline, as parseFloatBytes does
   * (Clinger's fast path, the same arithmetic, so the same values); anything else goes to addValue.
   */
  private addDecimals(sc: TokenBlock, row0: number, issues: ChunkIssue[]): void {
    const n = sc.count, nf = sc.nf, fi = this.plan.csvIndex, starts = sc.starts, ends = sc.ends, buf = sc.buf;
    const values = this.values;
    let min = this.min, max = this.max;
    for (let r = 0, k = fi; r < n; r++, k += nf) {
      const s = starts[k], e = ends[k];
      if (s >= 0 && e > s && e - s <= 17) {
        let p = s;
        const neg = buf[p] === 45;
        if (neg) p++;
        let m = 0, digits = 0, frac = -1, ok = p < e;
        for (; p < e; p++) {
          const c = buf[p];
          if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); digits++; if (frac >= 0) frac++; }
          else if (c === 46 && frac < 0) frac = 0;
          else { ok = false; break; }
        }
        if (ok && digits > 0 && digits <= 15) {
          const a = frac > 0 ? m / POW10[frac] : m, v = neg ? 0 - a : a;
          values[row0 + r] = v;
          if (v < min) min = v;
          if (v > max) max = v;
          continue;
        }
      }
      this.min = min; this.max = max;
      this.addValue(sc, r, row0, issues);
      min = this.min; max = this.max;
    }
    this.min = min; this.max = max;
  }

  /** Converts and checks one value (any kind, any form), or records why it cannot be stored. */
  private addValue(sc: TokenBlock, r: number, row0: number, issues: ChunkIssue[]): void {
    const { plan } = this, kind = plan.kind, fi = plan.csvIndex, k = r * sc.nf + fi;
    let s = sc.starts[k], e = sc.ends[k], src: Uint8Array = sc.buf;
    if (s < 0) { src = sc.scratch; s = ~s; e = ~e; }
    if (s === e) {
      if (plan.nullable) (this.nulls ??= new Uint8Array(this.values.length))[row0 + r] = 1;
      else issues.push({ line: sc.lines[r], col: fi, column: plan.name, message: requiredMessage(plan) });
      return;
    }
    const v = kind === 'int' || kind === 'long' ? parseIntegerBytes(src, s, e)
      : kind === 'boolean' ? parseBooleanBytes(src, s, e) : parseFloatBytes(src, s, e);
    let bad: string | null = null;
    if (v !== v || v === Infinity || v === -Infinity) bad = this.notA(src, s, e);
    else if (kind === 'int' ? v !== (v | 0) : kind === 'long' ? v > LONG_LIMIT || v < -LONG_LIMIT
      : kind === 'float' && !Number.isFinite(Math.fround(v))) bad = this.outOfRange(src, s, e);
    else if (this.strict && !this.strict.isValid(kind === 'boolean' ? v === 1 : v)) {
      bad = `value ${showValue(src, s, e)} does not match the schema type ${this.strict.describe}`;
    }
    if (bad !== null) { issues.push({ line: sc.lines[r], col: fi, column: plan.name, message: bad }); return; }
    this.values[row0 + r] = v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  reserve(rows: number): void {
    this.values = grow(this.values, rows, true);
    if (this.nulls) this.nulls = grow(this.nulls, rows, true);
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
    const nulls = this.nulls ? trim(this.nulls, rows) : null;
    const base = { nulls, min: this.min, max: this.max };
    const v = this.values;
    if (v instanceof Int32Array) return { kind: 'int', values: trim(v, rows), ...base };
    if (v instanceof Float32Array) return { kind: 'float', values: trim(v, rows), ...base };
    if (v instanceof Uint8Array) return { kind: 'boolean', values: trim(v, rows), ...base };
    return { kind: this.plan.kind === 'long' ? 'long' : 'double', values: trim(v, rows), ...base };
  }
}
