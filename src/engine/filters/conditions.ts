// One condition of a filter: prepare() once per request (values, columns, bitsets), then test(i) per
// candidate on typed arrays. Literal value sets become dictionary-code bitsets once per dictionary.
import type { Condition, Op, Target } from './parser.js';
import type { EventTypeDictionary, FilterContext, FilterRequest } from './types.js';
import { isNumberText, numericFilterValue } from './values.js';

/** What one request lends to its conditions, fetched at most once. */
export class RequestState {
  private history: ({ candidates: Int32Array } & EventTypeDictionary) | undefined;
  private segments: ({ ptr: Int32Array } & EventTypeDictionary) | undefined;
  /** Placeholder values of the expression being evaluated. */
  vals = new Map<string, string[]>();
  constructor(readonly ctx: FilterContext, readonly req: FilterRequest) {}
  userHistory() { return (this.history ??= this.ctx.userInteractions()); }
  candidateHistory() {
    if (!this.ctx.candidateInteractions) throw new Error('FilterContext.candidateInteractions is required for UserID filters on Interactions');
    return (this.segments ??= this.ctx.candidateInteractions());
  }
}

// Shared by all filters: apply() is synchronous and the counts are used within one call.
let countScratch = new Int32Array(64);
/** A zeroed buffer of `len`, reusing `buf` when it is large enough. */
function zeroed(buf: Uint8Array, len: number): Uint8Array {
  if (buf.length < len) return new Uint8Array(Math.max(len, buf.length * 2));
  buf.fill(0, 0, len);
  return buf;
}

// string -> code per dictionary, rebuilt when the dictionary grows (PutItems may append values).
const dictIndex = new WeakMap<string[], { len: number; map: Map<string, number> }>();
function codeOf(dict: string[], value: string): number {
  let e = dictIndex.get(dict);
  if (!e || e.len !== dict.length) {
    const map = new Map<string, number>();
    for (let c = 0; c < dict.length; c++) if (!map.has(dict[c])) map.set(dict[c], c);
    e = { len: dict.length, map };
    dictIndex.set(dict, e);
  }
  return e.map.get(value) ?? -1;
}

function compare(op: Op, x: number, v: number): boolean {
  switch (op) {
    case '<': return x < v;
    case '<=': return x <= v;
    case '>': return x > v;
    case '>=': return x >= v;
    default: return x === v;
  }
}

// How test() decides, chosen by prepare(). Numbers rather than strings keep test() a cheap switch.
const CONST = 0, CATEGORICAL = 1, NUMERIC_SET = 2, LT = 3, LE = 4, GT = 5, GE = 6, HISTORY = 7, SEGMENT = 8;
const CMP_MODE: Partial<Record<Op, number>> = { '<': LT, '<=': LE, '>': GT, '>=': GE };
const NO_U8 = new Uint8Array(0), NO_I32 = new Int32Array(0), NO_F64 = new Float64Array(0);

export class CondEval {
  /** NOT IN and != hold when no value matches, including when the candidate has no value at all. */
  readonly negate: boolean;
  readonly setOp: boolean;
  private readonly literal: string[] | null;
  private readonly window: number;
  /** Bitsets of a literal value set, per dictionary (campaigns differ), rebuilt when the dictionary grows. */
  private readonly cache = new WeakMap<string[], { len: number; bits: Uint8Array }>();
  // Per-request state, set by prepare(). Buffers are owned so conditions of one group don't share them.
  private mode = CONST;
  private constResult = false;
  private bits: Uint8Array = NO_U8;
  private ptr: Int32Array = NO_I32;
  private codes: Int32Array = NO_I32;
  private x: Float64Array = NO_F64;
  private nums: number[] = [];
  private v = 0;
  private noneSlot = 0;
  private own: Uint8Array = NO_U8;
  private hits: Uint8Array = NO_U8;
  private marked: Int32Array = NO_I32;

  constructor(readonly cond: Condition, private readonly target: Target, windows: { interactions: number; actionInteractions: number }) {
    const { op, operand: o } = cond;
    this.negate = op === 'NOT IN' || op === '!=';
    this.setOp = op === 'IN' || op === 'NOT IN' || op === '=' || op === '!=';
    this.literal = o.kind === 'list' ? o.values : o.kind === 'number' ? [o.text] : o.kind === 'any' ? ['*'] : null;
    this.window = cond.field.dataset === 'Action_Interactions' ? windows.actionInteractions : windows.interactions;
  }

  /** This request's values: literals, a placeholder's parsed values, or the current item's (none if unknown). */
  private values(st: RequestState): string[] {
    if (this.literal) return this.literal;
    const o = this.cond.operand;
    if (o.kind === 'placeholder') return st.vals.get(o.name)!;
    if (o.kind !== 'currentItem') return [];
    const ci = st.req.currentItem ?? -1;
    const col = st.ctx.column(o.attr);
    if (ci < 0 || ci >= st.ctx.candidateCount || !col) return [];
    if (col.kind === 'numeric') return Number.isNaN(col.values[ci]) ? [] : [String(col.values[ci])];
    const out: string[] = [];
    for (let k = col.ptr[ci]; k < col.ptr[ci + 1]; k++) out.push(col.dictionary[col.codes[k]]);
    return out;
  }

  /** The single number of a comparison; null when there is none (missing current item value). */
  private number(values: string[]): number | null {
    const o = this.cond.operand;
    if (o.kind === 'placeholder') return numericFilterValue(o.name, values);
    if (values.length === 0 || !isNumberText(values[0])) return null;
    return Number(values[0]);
  }

  private numbers(values: string[]): number[] {
    const o = this.cond.operand;
    if (o.kind === 'placeholder') return values.map((v) => numericFilterValue(o.name, [v]));
    return values.map((v) => (isNumberText(v) ? Number(v) : NaN));
  }

  /** A bitset of `len`: cached per dictionary for literal values, this condition's own buffer otherwise. */
  private bitset(dict: string[], len: number, fill: (bits: Uint8Array) => void): Uint8Array {
    if (this.literal === null) {
      this.own = zeroed(this.own, len);
      fill(this.own);
      return this.own;
    }
    const hit = this.cache.get(dict);
    if (hit && hit.len === dict.length) return hit.bits;
    const bits = new Uint8Array(len);
    fill(bits);
    this.cache.set(dict, { len: dict.length, bits });
    return bits;
  }

  /** Dictionary codes that satisfy the value test (set membership, or a numeric comparison). */
  private codeBits(dict: string[], values: string[]): Uint8Array {
    return this.bitset(dict, dict.length, (bits) => {
      if (this.setOp) {
        for (const v of values) { const c = codeOf(dict, v); if (c >= 0) bits[c] = 1; }
        return;
      }
      // Only reachable when the schema was not known at CreateFilter: compare numeric-looking values.
      const v = this.number(values);
      if (v !== null) for (let c = 0; c < dict.length; c++) if (isNumberText(dict[c]) && compare(this.cond.op, Number(dict[c]), v)) bits[c] = 1;
    });
  }

  /** Event-type slots (one per name, plus a last slot for "no event type") that match; case-insensitive, "*" = any. */
  private eventBits(names: string[], values: string[]): Uint8Array {
    return this.bitset(names, names.length + 1, (bits) => {
      if (values.includes('*')) { bits.fill(1, 0, names.length + 1); return; }
      const wanted = values.map((v) => v.toLowerCase());
      for (let c = 0; c < names.length; c++) if (wanted.includes(names[c].toLowerCase())) bits[c] = 1;
    });
  }

  /** Resolve this request's values and columns; test(i) may be called afterwards, release() after that. */
  prepare(st: RequestState, n: number): void {
    const values = this.values(st);
    const ds = this.cond.field.dataset;
    if (ds === 'Interactions' || ds === 'Action_Interactions') {
      if (this.target === 'UserID') {
        const h = st.candidateHistory();
        this.bits = this.eventBits(h.eventTypeNames, values);
        this.ptr = h.ptr;
        this.codes = h.eventTypeCodes;
        this.noneSlot = h.eventTypeNames.length;
        this.mode = SEGMENT;
      } else {
        this.markHistory(st.userHistory(), n, values);
        this.mode = HISTORY;
      }
      return;
    }
    const col = st.ctx.column(this.cond.field.attr);
    if (!col) { this.mode = CONST; this.constResult = this.negate; return; }
    if (col.kind === 'categorical') {
      this.bits = this.codeBits(col.dictionary, values);
      this.ptr = col.ptr;
      this.codes = col.codes;
      this.mode = CATEGORICAL;
      return;
    }
    this.x = col.values;
    if (this.setOp) { this.nums = this.numbers(values); this.mode = NUMERIC_SET; return; }
    const v = this.number(values);
    if (v === null) { this.mode = CONST; this.constResult = false; return; }
    this.v = v;
    this.mode = CMP_MODE[this.cond.op]!;
  }

  /** Mark the candidates among the requesting user's newest `window` interactions per event type. */
  private markHistory(h: { candidates: Int32Array } & EventTypeDictionary, n: number, values: string[]): void {
    const names = h.eventTypeNames;
    const bits = this.eventBits(names, values);
    const slots = names.length + 1;
    if (countScratch.length < slots) countScratch = new Int32Array(slots * 2);
    const counts = countScratch;
    counts.fill(0, 0, slots);
    if (this.hits.length < n) this.hits = new Uint8Array(n);
    const { candidates, eventTypeCodes } = h;
    for (let k = candidates.length - 1; k >= 0; k--) {
      const code = eventTypeCodes[k];
      const slot = code < 0 || code >= names.length ? names.length : code;
      if (++counts[slot] > this.window || bits[slot] !== 1) continue;
      const c = candidates[k];
      if (c >= 0 && c < n) this.hits[c] = 1;
    }
    this.marked = candidates;
  }

  /** Undo markHistory's marks, touching only the history, not every candidate. */
  release(): void {
    const m = this.marked;
    for (let k = 0; k < m.length; k++) if (m[k] >= 0 && m[k] < this.hits.length) this.hits[m[k]] = 0;
    this.marked = NO_I32;
  }

  test(i: number): boolean {
    switch (this.mode) {
      case CATEGORICAL: {
        const bits = this.bits, codes = this.codes;
        for (let k = this.ptr[i], e = this.ptr[i + 1]; k < e; k++) if (bits[codes[k]] === 1) return !this.negate;
        return this.negate;
      }
      case NUMERIC_SET: {
        const x = this.x[i], nums = this.nums;
        for (let k = 0; k < nums.length; k++) if (x === nums[k]) return !this.negate;
        return this.negate;
      }
      // NaN (missing) fails every comparison: missing metadata never satisfies a positive condition.
      case LT: return this.x[i] < this.v;
      case LE: return this.x[i] <= this.v;
      case GT: return this.x[i] > this.v;
      case GE: return this.x[i] >= this.v;
      case HISTORY: return (this.hits[i] === 1) !== this.negate;
      case SEGMENT: {
        // The per-type window never hides a user's newest interaction of a type, so "any" needs no counting.
        const bits = this.bits, codes = this.codes, none = this.noneSlot;
        for (let k = this.ptr[i], e = this.ptr[i + 1]; k < e; k++) {
          const code = codes[k];
          if (bits[code < 0 || code >= none ? none : code] === 1) return !this.negate;
        }
        return this.negate;
      }
      default: return this.constResult;
    }
  }

  /** An IF CurrentUser condition. An unknown user or value fails positive tests and passes NOT IN / !=. */
  holds(st: RequestState): boolean {
    const values = this.values(st);
    const u = st.ctx.currentUser(this.cond.field.attr);
    if (u === null || u === undefined) return this.negate;
    if (this.setOp) {
      let hit: boolean;
      if (typeof u === 'number') hit = this.numbers(values).includes(u);
      else hit = u.some((x) => values.includes(x));
      return hit !== this.negate;
    }
    const v = this.number(values);
    if (v === null) return false;
    if (typeof u === 'number') return compare(this.cond.op, u, v);
    return u.some((x) => isNumberText(x) && compare(this.cond.op, Number(x), v));
  }
}
