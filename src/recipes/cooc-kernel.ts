// aws-sims' co-occurrence counting step in WebAssembly: the pair walk of one item's users (cooccurrence.ts), with no
// bounds checks on its scattered increments (2.3-2.7x the JS loop at 5M rows, the same counts in the same order), and
// the offers of the counted pairs to both items' rows: a buffer per row that takes offers by appending, and when full
// keeps its K best (a selection) and raises its threshold; after the count each row becomes a NeighbourHeaps row.
import { assemble, Code, F64, I32, V128 } from '../lib/wasm/encoder.js';
import { SLOT_BYTES } from './neighbour-heaps.js';

/** Where the count reads and writes, as byte offsets into the kernel's memory. */
export interface CoocLayout {
  /** userPtr (nUsers + 1), each user's items sorted (nnz), the item-major users (nnz), each entry's position in its user's list (nnz). */
  userPtr: number; userItems: number; itemUsers: number; itemPos: number;
  /** Per thread t: cooc at scratch + t * 8 * nItems (nItems Int32, zero between items), touched just after it. */
  scratch: number;
  /** pop(i)^a per item (Float64). */
  popPow: number;
  /** Per thread t, from here: its rows' buffers, rowSlots slots per item (coocHeaps). */
  heaps: number;
  /** Slots of a row's buffer (more than K; defaultRowSlots). */
  rowSlots: number;
}

/** Byte offsets of a NeighbourHeaps' arrays in the kernel's memory: `stride` 16-byte slots per row (score f64, then idx i32). */
export interface HeapLayout { slots: number; threshold: number; size: number; stride: number }

export interface CoocKernel {
  /**
   * Counts the pairs (i, j > i) of item i's entries q0..q1-1 into this thread's cooc, and lists each j at its first
   * count in touched: returns how many (the caller reads and zeroes them, in that order).
   */
  count(q0: number, q1: number): number;
  /**
   * For the nt items j listed in touched: reads and zeroes cooc[j] and, when it is at least minCo, offers
   * sim = cooc / (pop(i)^a * pop(j)^a) to the buffers of rows i and j of this thread.
   */
  offer(i: number, nt: number): void;
  /** Row i of thread t's buffers as a NeighbourHeaps row (its K best, heap-ordered): once, after the count. */
  finish(i: number, t: number): void;
}

/**
 * count(q0, q1, userPtr, userItems, itemUsers, itemPos, cooc, touched) -> nt: for each entry q (user u), for p from
 * itemPos[q] + 1 to userPtr[u + 1]: j = userItems[p]; c = cooc[j]; cooc[j] = c + 1; touched[nt] = j; nt += c == 0.
 */
function countCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32], [I32]);
  const [q0, q1, UP, UI, IU, IP, C, T] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const q = c.local(I32), p = c.local(I32), e = c.local(I32), j = c.local(I32), cc = c.local(I32), nt = c.local(I32), a = c.local(I32), u = c.local(I32);
  c.i32Const(0).set(nt).get(q0).set(q);
  c.block().loop();
  c.get(q).get(q1).i32GeU().brIf(1);
  c.get(IU).get(q).i32Const(2).i32Shl().i32Add().i32Load().set(u);
  // e = &userItems[userPtr[u + 1]], p = &userItems[itemPos[q] + 1]
  c.get(UP).get(u).i32Const(2).i32Shl().i32Add().i32Load(4).i32Const(2).i32Shl().get(UI).i32Add().set(e);
  c.get(IP).get(q).i32Const(2).i32Shl().i32Add().i32Load().i32Const(2).i32Shl().get(UI).i32Add().i32Const(4).i32Add().set(p);
  c.block().loop();
  c.get(p).get(e).i32GeU().brIf(1);
  c.get(p).i32Load().set(j);
  c.get(C).get(j).i32Const(2).i32Shl().i32Add().tee(a).i32Load().set(cc);
  c.get(a).get(cc).i32Const(1).i32Add().i32Store();
  // Branch-free first touch, as in the JS loop: the slot is written always, kept when c was 0.
  c.get(T).get(nt).i32Const(2).i32Shl().i32Add().get(j).i32Store();
  c.get(nt).get(cc).i32Const(1).i32Sub().i32Const(31).i32ShrU().i32Add().set(nt);
  c.get(p).i32Const(4).i32Add().set(p);
  c.br(0).end().end();
  c.get(q).i32Const(1).i32Add().set(q);
  c.br(0).end().end();
  c.get(nt);
  return c;
}

/** Slot x's record at byte address rB + (x << 4): its score (f64) at +0, its index (i32) at +8. */
const IDX = 8;
const slotAt = (c: Code, rB: number, x: number): Code => c.get(x).i32Const(4).i32Shl().get(rB).i32Add();

/** (a, aj) is worse than (b, bj) in the heaps' order: a < b || (a === b && aj > bj), as an i32 (locals). */
function worse(c: Code, a: number, aj: number, b: number, bj: number): Code {
  return c.get(a).get(b).f64Lt().get(a).get(b).f64Eq().get(aj).get(bj).i32GtS().i32And().i32Or();
}

/** Pushes whether the score in local `s` is not below row `row`'s threshold (an i32). */
function notBelow(c: Code, s: number, TH: number, row: number): Code {
  return c.get(s).get(TH).get(row).i32Const(3).i32Shl().i32Add().f64Load().f64Lt().i32Eqz();
}

/**
 * offerPairs(i, nt, minCo, cooc, touched, popPow, K, B, slots, threshold, size): countItems' loop over the touched
 * items. Each pair's score goes to row i's buffer and to row j's when it is not below that row's threshold.
 */
function offerPairsCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [i, nt, minCo, C, T, PP, K, B, SL, TH, SZ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
  const t = c.local(I32), j = c.local(I32), a = c.local(I32), cc = c.local(I32);
  const pi = c.local(F64), s = c.local(F64);
  c.get(PP).get(i).i32Const(3).i32Shl().i32Add().f64Load().set(pi);
  c.i32Const(0).set(t);
  c.block().loop();
  c.get(t).get(nt).i32GeU().brIf(1);
  c.block();
  c.get(T).get(t).i32Const(2).i32Shl().i32Add().i32Load().set(j);
  c.get(C).get(j).i32Const(2).i32Shl().i32Add().tee(a).i32Load().set(cc);
  c.get(a).i32Const(0).i32Store();
  c.get(cc).get(minCo).i32LtS().brIf(0);
  c.get(cc).f64ConvertI32S().get(pi).get(PP).get(j).i32Const(3).i32Shl().i32Add().f64Load().f64Mul().f64Div().set(s);
  // The threshold test here: most offers stop at it, and then it is all they cost.
  notBelow(c, s, TH, i).if_().get(i).get(j).get(s).get(K).get(B).get(SL).get(TH).get(SZ).call(APPEND).end();
  notBelow(c, s, TH, j).if_().get(j).get(i).get(s).get(K).get(B).get(SL).get(TH).get(SZ).call(APPEND).end();
  c.end();
  c.get(t).i32Const(1).i32Add().set(t);
  c.br(0).end().end();
  return c;
}

/** append(r, j, s, K, B, slots, threshold, size): (s, j) into row r's buffer, which is first compacted when full. */
function appendCode(): Code {
  const c = new Code([I32, I32, F64, I32, I32, I32, I32, I32], []);
  const [r, j, s, K, B, SL, TH, SZ] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  const szA = c.local(I32), n = c.local(I32), e = c.local(I32);
  c.get(SZ).get(r).i32Const(2).i32Shl().i32Add().tee(szA).i32Load().set(n);
  c.get(n).get(B).i32Eq().if_();
  c.get(r).get(K).get(B).get(SL).get(TH).get(SZ).call(COMPACT);
  c.get(K).set(n);
  c.end();
  c.get(r).get(B).i32Mul().get(n).i32Add().i32Const(4).i32Shl().get(SL).i32Add().tee(e).get(s).f64Store();
  c.get(e).get(j).i32Store(IDX);
  c.get(szA).get(n).i32Const(1).i32Add().i32Store();
  return c;
}

/**
 * compact(r, K, B, slots, threshold, size): a selection over row r's size[r] entries in the order best first (score
 * desc, index asc: total, so the kept set is the same whatever the order the entries came in): the K best end up in
 * slots 0..K-1, the K-th best in slot K-1, whose score becomes the row's threshold; the rest are dropped. Quickselect
 * with Lomuto's partition made branch-free (every step swaps, the boundary moves by the comparison's 0 or 1): the
 * comparisons are unpredictable, and a mispredicted branch per entry cost more than the swaps.
 */
function compactCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32], []);
  const [r, K, B, SL, TH, SZ] = [0, 1, 2, 3, 4, 5] as const;
  const rB = c.local(I32), lo = c.local(I32), hi = c.local(I32), k = c.local(I32), x = c.local(I32), st = c.local(I32);
  const ax = c.local(I32), bx = c.local(I32), ps = c.local(F64), pj = c.local(I32), as = c.local(F64), aj = c.local(I32);
  const av = c.local(V128);
  // swap the records at byte addresses in locals p and q
  const swap = (p: number, q: number): void => {
    c.get(p).v128Load().set(av);
    c.get(p).get(q).v128Load().v128Store();
    c.get(q).get(av).v128Store();
  };
  c.get(r).get(B).i32Mul().i32Const(4).i32Shl().get(SL).i32Add().set(rB);
  c.get(K).i32Const(1).i32Sub().set(k);
  c.i32Const(0).set(lo);
  c.get(SZ).get(r).i32Const(2).i32Shl().i32Add().i32Load().i32Const(1).i32Sub().set(hi);
  c.block().loop();
  c.get(lo).get(hi).i32LtS().i32Eqz().brIf(1);
  // The pivot: the middle entry, moved to hi.
  c.get(lo).get(hi).i32Add().i32Const(1).i32ShrU().set(x);
  slotAt(c, rB, x).set(ax);
  slotAt(c, rB, hi).set(bx);
  swap(ax, bx);
  c.get(bx).f64Load().set(ps);
  c.get(bx).i32Load(IDX).set(pj);
  c.get(lo).set(st);
  c.get(lo).set(x);
  c.block().loop();
  c.get(x).get(hi).i32GeS().brIf(1);
  slotAt(c, rB, x).tee(ax).f64Load().set(as);
  c.get(ax).i32Load(IDX).set(aj);
  slotAt(c, rB, st).set(bx);
  swap(ax, bx);
  // st += (slot x was better than the pivot) = worse(pivot, slot x)
  c.get(st);
  worse(c, ps, pj, as, aj);
  c.i32Add().set(st);
  c.get(x).i32Const(1).i32Add().set(x);
  c.br(0).end().end();
  // the pivot to its place, st: the entries before it are better, those after worse
  slotAt(c, rB, st).set(ax);
  slotAt(c, rB, hi).set(bx);
  swap(ax, bx);
  c.get(st).get(k).i32Eq().brIf(1);
  c.get(k).get(st).i32LtS().if_();
  c.get(st).i32Const(1).i32Sub().set(hi);
  c.else_();
  c.get(st).i32Const(1).i32Add().set(lo);
  c.end();
  c.br(0).end().end();
  c.get(SZ).get(r).i32Const(2).i32Shl().i32Add().get(K).i32Store();
  c.get(TH).get(r).i32Const(3).i32Shl().i32Add();
  slotAt(c, rB, k).f64Load();
  c.f64Store();
  return c;
}

/**
 * finish(r, K, B, slots, threshold, size): row r's buffer as a NeighbourHeaps row (stride B): compacted to its K best
 * when it holds more, then heap-ordered in place (worst at the root, Floyd's), with the threshold NeighbourHeaps keeps
 * (the root's score when the row holds K entries).
 */
function finishCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32], []);
  const [r, K, B, SL, TH, SZ] = [0, 1, 2, 3, 4, 5] as const;
  const rB = c.local(I32), n = c.local(I32), top = c.local(I32), k = c.local(I32), l = c.local(I32), w = c.local(I32);
  const s = c.local(F64), j = c.local(I32), ls = c.local(F64), lj = c.local(I32), ws = c.local(F64), wj = c.local(I32);
  c.get(r).get(B).i32Mul().i32Const(4).i32Shl().get(SL).i32Add().set(rB);
  c.get(SZ).get(r).i32Const(2).i32Shl().i32Add().i32Load().set(n);
  c.get(n).get(K).i32GtS().if_().get(r).get(K).get(B).get(SL).get(TH).get(SZ).call(COMPACT).get(K).set(n).end();
  // for top = n/2 - 1 down to 0: sift slot top's record down
  c.get(n).i32Const(1).i32ShrU().set(top);
  c.block().loop();
  c.get(top).i32Eqz().brIf(1);
  c.get(top).i32Const(1).i32Sub().tee(top).set(k);
  slotAt(c, rB, k).f64Load().set(s);
  slotAt(c, rB, k).i32Load(IDX).set(j);
  c.block().loop();
  c.get(k).i32Const(1).i32Shl().i32Const(1).i32Add().tee(l).get(n).i32GeS().brIf(1);
  slotAt(c, rB, l).f64Load().set(ls);
  slotAt(c, rB, l).i32Load(IDX).set(lj);
  c.get(l).set(w);
  c.get(ls).set(ws);
  c.get(lj).set(wj);
  c.get(l).i32Const(1).i32Add().get(n).i32LtS().if_();
  {
    c.get(l).i32Const(1).i32Add().set(w);
    slotAt(c, rB, w).f64Load().set(ws);
    slotAt(c, rB, w).i32Load(IDX).set(wj);
    // keep the right child only when it is worse than the left
    worse(c, ws, wj, ls, lj).i32Eqz().if_().get(l).set(w).get(ls).set(ws).get(lj).set(wj).end();
  }
  c.end();
  worse(c, ws, wj, s, j).i32Eqz().brIf(1); // go on while the worst child is worse than the record
  slotAt(c, rB, k).get(ws).f64Store();
  slotAt(c, rB, k).get(wj).i32Store(IDX);
  c.get(w).set(k);
  c.br(0).end().end();
  slotAt(c, rB, k).get(s).f64Store();
  slotAt(c, rB, k).get(j).i32Store(IDX);
  c.br(0).end().end();
  c.get(n).get(K).i32Eq().if_();
  c.get(TH).get(r).i32Const(3).i32Shl().i32Add().get(rB).f64Load().f64Store();
  c.end();
  return c;
}

const [APPEND, COMPACT] = [2, 3];

/** Byte offsets of thread `thread`'s row buffers (rows = nItems, L.rowSlots slots each) in a layout's heap region. */
export function coocHeaps(L: CoocLayout, nItems: number, thread: number): HeapLayout {
  const slots = L.heaps + thread * heapBytes(nItems, L.rowSlots);
  const threshold = slots + SLOT_BYTES * nItems * L.rowSlots;
  return { slots, threshold, size: threshold + 8 * nItems, stride: L.rowSlots };
}

/** Bytes of one thread's row buffers (a multiple of 8, so every thread's float arrays stay aligned). */
export function heapBytes(nItems: number, rowSlots: number): number {
  return Math.ceil((SLOT_BYTES * nItems * rowSlots + 12 * nItems) / 8) * 8;
}

/** Byte offsets of thread `thread`'s cooc and touched arrays (nItems Int32 each) in a layout's scratch. */
export function coocScratch(L: CoocLayout, nItems: number, thread: number): { cooc: number; touched: number } {
  const cooc = L.scratch + thread * 8 * nItems;
  return { cooc, touched: cooc + 4 * nItems };
}

/**
 * Slots of a row's buffer for K neighbours: a full buffer is compacted to its K best, so each compaction's selection
 * (linear in the slots) is paid for by rowSlots - K appends. At 5M rows 2K measured like 1.5K and 3K and faster than
 * 4K and 8K; at 25M faster than 1.5K (README).
 */
export const defaultRowSlots = (K: number): number => 2 * K;

const modules = new Map<string, WebAssembly.Module>();

/** The count over `memory` (whose maximum is maxPages) for thread `thread` of a layout; null where WebAssembly is missing. */
export function coocKernel(
  memory: WebAssembly.Memory, maxPages: number, shared: boolean, L: CoocLayout, nItems: number, K: number, minCo: number, thread: number,
): CoocKernel | null {
  try {
    const key = `${maxPages}/${shared}`;
    let mod = modules.get(key);
    if (!mod) {
      mod = new WebAssembly.Module(assemble({ module: 'env', field: 'memory', minPages: 1, maxPages, shared }, [
        { name: 'count', code: countCode() }, { name: 'offerPairs', code: offerPairsCode() }, { name: null, code: appendCode() },
        { name: null, code: compactCode() }, { name: 'finish', code: finishCode() },
      ]));
      modules.set(key, mod);
    }
    type Fn = (...a: number[]) => number;
    const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as { count: Fn; offerPairs: Fn; finish: Fn };
    const { cooc, touched } = coocScratch(L, nItems, thread);
    const { userPtr, userItems, itemUsers, itemPos, popPow, rowSlots: B } = L;
    const h = coocHeaps(L, nItems, thread), of: HeapLayout[] = [];
    return {
      count: (q0, q1) => ex.count(q0, q1, userPtr, userItems, itemUsers, itemPos, cooc, touched),
      offer: (i, nt) => { ex.offerPairs(i, nt, minCo, cooc, touched, popPow, K, B, h.slots, h.threshold, h.size); },
      finish: (i, t) => {
        const o = (of[t] ??= coocHeaps(L, nItems, t));
        ex.finish(i, K, B, o.slots, o.threshold, o.size);
      },
    };
  } catch {
    return null;
  }
}
