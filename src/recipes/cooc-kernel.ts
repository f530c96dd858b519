// aws-sims' co-occurrence counting step in WebAssembly: the pair walk of one item's users (cooccurrence.ts), with no
// bounds checks on its scattered increments (2.3-2.7x the JS loop at 5M rows, the same counts in the same order), and
// the offers of the counted pairs to both items' bounded heaps (neighbour-heaps.ts's offer, operation by operation):
// row i's at once, row j's through a log applied grouped by row, so a heap is read into cache once for many offers.
import { assemble, Code, F64, I32 } from '../lib/wasm/encoder.js';
import { SLOT_BYTES } from './neighbour-heaps.js';

/** Where the count reads and writes, as byte offsets into the kernel's memory. */
export interface CoocLayout {
  /** userPtr (nUsers + 1), each user's items sorted (nnz), the item-major users (nnz), each entry's position in its user's list (nnz). */
  userPtr: number; userItems: number; itemUsers: number; itemPos: number;
  /** Per thread t: cooc at scratch + t * 8 * nItems (nItems Int32, zero between items), touched just after it. */
  scratch: number;
  /** pop(i)^a per item (Float64). */
  popPow: number;
  /** Per thread t, from here: its heaps' arrays, K slots per item (coocHeaps). */
  heaps: number;
  /** Per thread t, from here: its log of pending offers, the log grouped by row, and the grouping's counters (coocLog). */
  logs: number;
  /** Offers a thread's log holds before they are applied (DEFAULT_PENDING_OFFERS). */
  logCap: number;
}

/** Byte offsets of a NeighbourHeaps' arrays in the kernel's memory: K 16-byte slots per row (score f64, then idx i32). */
export interface HeapLayout { slots: number; threshold: number; size: number }

export interface CoocKernel {
  /**
   * Counts the pairs (i, j > i) of item i's entries q0..q1-1 into this thread's cooc, and lists each j at its first
   * count in touched: returns how many (the caller reads and zeroes them, in that order).
   */
  count(q0: number, q1: number): number;
  /**
   * For the nt items j listed in touched: reads and zeroes cooc[j] and, when it is at least minCo, offers
   * sim = cooc / (pop(i)^a * pop(j)^a) to row i and to row j of this thread's heaps; row j's offer may wait in the
   * thread's log until the next flush.
   */
  offer(i: number, nt: number): void;
  /** Applies the logged offers: the heaps hold every offer made so far. */
  flush(): void;
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

/**
 * offer(i, j, s, K, slots, threshold, size): NeighbourHeaps.offer over the arrays at those byte offsets, the same
 * comparisons in the same order, so the heaps hold the same bytes as the JS offer leaves; its first test (s below the
 * row's threshold) is the caller's, offerPairs, which skips the call then.
 */
function offerCode(): Code {
  const c = new Code([I32, I32, F64, I32, I32, I32, I32], []);
  const [i, j, s, K, SL, TH, SZ] = [0, 1, 2, 3, 4, 5, 6] as const;
  const rB = c.local(I32), szA = c.local(I32), size = c.local(I32), k = c.local(I32), par = c.local(I32);
  const l = c.local(I32), w = c.local(I32), wj = c.local(I32), pj = c.local(I32);
  const ps = c.local(F64), ws = c.local(F64), ls = c.local(F64);
  c.get(i).get(K).i32Mul().i32Const(4).i32Shl().get(SL).i32Add().set(rB);
  c.get(SZ).get(i).i32Const(2).i32Shl().i32Add().tee(szA).i32Load().set(size);
  // Slot x's record at byte address rB + (x << 4): its score at +0, its index at +8.
  const slot = (x: number): Code => c.get(x).i32Const(4).i32Shl().get(rB).i32Add();
  const IDX = 8;
  // Slot x := (score local sc, index local ix).
  const put = (x: number, sc: number, ix: number): void => { slot(x).get(sc).f64Store(); slot(x).get(ix).i32Store(IDX); };
  // (a, aj) is worse than (b, bj) in the heaps' order: a < b || (a === b && aj > bj), as an i32.
  const worse = (a: number, aj: number, b: number, bj: number): Code =>
    c.get(a).get(b).f64Lt().get(a).get(b).f64Eq().get(aj).get(bj).i32GtS().i32And().i32Or();
  c.get(size).get(K).i32LtS().if_();
  {
    // Not full: sift (s, j) up from the new last slot.
    c.get(szA).get(size).i32Const(1).i32Add().i32Store();
    c.get(size).set(k);
    c.block().loop();
    c.get(k).i32Eqz().brIf(1);
    c.get(k).i32Const(1).i32Sub().i32Const(1).i32ShrU().set(par);
    slot(par).f64Load().set(ps);
    slot(par).i32Load(IDX).set(pj);
    worse(s, j, ps, pj).i32Eqz().brIf(1); // go on while (s, j) is worse than its parent
    put(k, ps, pj);
    c.get(par).set(k);
    c.br(0).end().end();
    put(k, s, j);
    c.get(size).i32Const(1).i32Add().get(K).i32Eq().if_();
    c.get(TH).get(i).i32Const(3).i32Shl().i32Add().get(rB).f64Load().f64Store();
    c.end();
    c.return_();
  }
  c.end();
  // Full: the root is the worst kept; (s, j) must beat it.
  c.get(rB).f64Load().set(ps);
  c.get(rB).i32Load(IDX).set(pj);
  worse(s, j, ps, pj).if_().return_().end();
  // siftDown(base, K, s, j)
  c.i32Const(0).set(k);
  c.block().loop();
  c.get(k).i32Const(1).i32Shl().i32Const(1).i32Add().tee(l).get(K).i32GeS().brIf(1);
  c.get(l).set(w);
  c.get(l).i32Const(1).i32Add().get(K).i32LtS().if_();
  {
    c.get(l).i32Const(1).i32Add().set(par); // r
    slot(l).f64Load().set(ls);
    slot(l).i32Load(IDX).set(wj);
    slot(par).f64Load().set(ws);
    slot(par).i32Load(IDX).set(pj);
    worse(ws, pj, ls, wj).if_().get(par).set(w).end(); // w = r when r is worse than l
  }
  c.end();
  slot(w).f64Load().set(ws);
  slot(w).i32Load(IDX).set(wj);
  worse(ws, wj, s, j).i32Eqz().brIf(1); // go on while the worst child is worse than (s, j)
  put(k, ws, wj);
  c.get(w).set(k);
  c.br(0).end().end();
  put(k, s, j);
  c.get(TH).get(i).i32Const(3).i32Shl().i32Add().get(rB).f64Load().f64Store();
  return c;
}

/** Pushes whether the score in local `s` is not below row `row`'s threshold (offer's first test: an i32). */
function notBelow(c: Code, s: number, TH: number, row: number): Code {
  return c.get(s).get(TH).get(row).i32Const(3).i32Shl().i32Add().f64Load().f64Lt().i32Eqz();
}

/**
 * offerPairs(i, nt, minCo, cooc, touched, popPow, K, slots, threshold, size, log, sorted, hist, rows, cap, n) -> n:
 * countItems' loop over the touched items. Row i's offers go to its heap at once (its row stays in cache through
 * them); row j's, which land on rows all over the heaps, go to this thread's log of n pending offers, which flush
 * applies grouped by row when it is full (and the caller at the end of a block).
 */
function offerPairsCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], [I32]);
  const [i, nt, minCo, C, T, PP, K, SL, TH, SZ, LG, SRT, HI, rows, cap, n] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] as const;
  const t = c.local(I32), j = c.local(I32), a = c.local(I32), cc = c.local(I32), e = c.local(I32);
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
  // offer's first test, here: most offers stop at a threshold, and then the test is all they cost.
  notBelow(c, s, TH, i).if_().get(i).get(j).get(s).get(K).get(SL).get(TH).get(SZ).call(2).end();
  notBelow(c, s, TH, j).if_();
  {
    c.get(n).get(cap).i32Eq().if_().get(LG).get(SRT).get(HI).get(rows).get(n).get(K).get(SL).get(TH).get(SZ).call(3).i32Const(0).set(n).end();
    // The log's record: score (f64), row, index.
    c.get(n).i32Const(4).i32Shl().get(LG).i32Add().tee(e).get(s).f64Store();
    c.get(e).get(j).i32Store(8);
    c.get(e).get(i).i32Store(12);
    c.get(n).i32Const(1).i32Add().set(n);
  }
  c.end();
  c.end();
  c.get(t).i32Const(1).i32Add().set(t);
  c.br(0).end().end();
  c.get(n);
  return c;
}

/**
 * flush(log, sorted, hist, rows, n, K, slots, threshold, size): the log's n pending offers, grouped by row (a counting
 * sort into `sorted`, hist holding rows + 1 counters), each then tested against its row's threshold and offered. The
 * heaps keep the best K of all offers in a total order, so the order they arrive in changes no kept entry.
 */
function flushCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [LG, SRT, HI, rows, n, K, SL, TH, SZ] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
  const e = c.local(I32), end = c.local(I32), h = c.local(I32), histEnd = c.local(I32), k = c.local(I32), acc = c.local(I32), row = c.local(I32), s = c.local(F64);
  const loopTo = (x: number, to: number, step: number, body: () => void): void => {
    c.block().loop();
    c.get(x).get(to).i32GeU().brIf(1);
    body();
    c.get(x).i32Const(step).i32Add().set(x);
    c.br(0).end().end();
  };
  // hist[0..rows] = 0 (a row's counter at hist[row + 1], so the prefix sums leave each row's first slot at hist[row])
  c.get(HI).get(rows).i32Const(1).i32Add().i32Const(2).i32Shl().i32Add().set(histEnd);
  c.get(HI).set(h);
  loopTo(h, histEnd, 4, () => { c.get(h).i32Const(0).i32Store(); });
  // hist[row + 1] += 1 per record
  c.get(n).i32Const(4).i32Shl().get(LG).i32Add().set(end);
  c.get(LG).set(e);
  loopTo(e, end, 16, () => {
    c.get(HI).get(e).i32Load(8).i32Const(2).i32Shl().i32Add().tee(h);
    c.get(h).i32Load(4).i32Const(1).i32Add().i32Store(4);
  });
  // prefix sums: hist[row] = the first slot of row's records in `sorted`
  c.i32Const(0).set(acc);
  c.get(HI).set(h);
  loopTo(h, histEnd, 4, () => { c.get(acc).get(h).i32Load().i32Add().set(acc); c.get(h).get(acc).i32Store(); });
  // scatter, then offer row by row
  c.get(LG).set(e);
  loopTo(e, end, 16, () => {
    c.get(HI).get(e).i32Load(8).i32Const(2).i32Shl().i32Add().tee(h).i32Load().set(k);
    c.get(h).get(k).i32Const(1).i32Add().i32Store();
    c.get(k).i32Const(4).i32Shl().get(SRT).i32Add().get(e).v128Load().v128Store();
  });
  c.get(n).i32Const(4).i32Shl().get(SRT).i32Add().set(end);
  c.get(SRT).set(e);
  loopTo(e, end, 16, () => {
    c.get(e).f64Load().set(s);
    c.get(e).i32Load(8).set(row);
    notBelow(c, s, TH, row).if_();
    c.get(row).get(e).i32Load(12).get(s).get(K).get(SL).get(TH).get(SZ).call(2);
    c.end();
  });
  return c;
}

/** Byte offsets of thread `thread`'s heap arrays (rows = nItems, K slots each) in a layout's heap region. */
export function coocHeaps(L: CoocLayout, nItems: number, K: number, thread: number): HeapLayout {
  const slots = L.heaps + thread * heapBytes(nItems, K);
  const threshold = slots + SLOT_BYTES * nItems * K;
  return { slots, threshold, size: threshold + 8 * nItems };
}

/** Bytes of one thread's heaps (a multiple of 8, so every thread's float arrays stay aligned). */
export function heapBytes(nItems: number, K: number): number {
  return Math.ceil((SLOT_BYTES * nItems * K + 12 * nItems) / 8) * 8;
}

/** Byte offsets of thread `thread`'s cooc and touched arrays (nItems Int32 each) in a layout's scratch. */
export function coocScratch(L: CoocLayout, nItems: number, thread: number): { cooc: number; touched: number } {
  const cooc = L.scratch + thread * 8 * nItems;
  return { cooc, touched: cooc + 4 * nItems };
}

/**
 * Offers a thread's log holds before it is applied (16 bytes each, twice: the log and its grouped copy; only the part
 * written is ever touched). 64k and 256k measured alike at 5M rows; at 25M, where a flush of 64k offers finds about
 * one per row, 256k applied them faster (0.75-0.81x of the count with direct offers, vs 0.80-0.82x).
 */
export const DEFAULT_PENDING_OFFERS = 262_144;

/** Bytes of one thread's log region for nItems rows and a log of `cap` offers (a multiple of 8). */
export function logBytes(nItems: number, cap: number): number {
  return 2 * cap * 16 + Math.ceil((4 * (nItems + 1)) / 8) * 8;
}

/** Byte offsets of thread `thread`'s log, grouped log and counters in a layout's log region. */
function coocLog(L: CoocLayout, nItems: number, thread: number): { log: number; sorted: number; hist: number } {
  const log = L.logs + thread * logBytes(nItems, L.logCap);
  return { log, sorted: log + L.logCap * 16, hist: log + 2 * L.logCap * 16 };
}

const modules = new Map<string, WebAssembly.Module>();

/** The count over `memory` (whose maximum is maxPages) for thread `thread` of a layout; null where WebAssembly (with SIMD: the log's copy) is missing. */
export function coocKernel(
  memory: WebAssembly.Memory, maxPages: number, shared: boolean, L: CoocLayout, nItems: number, K: number, minCo: number, thread: number,
): CoocKernel | null {
  try {
    const key = `${maxPages}/${shared}`;
    let mod = modules.get(key);
    if (!mod) {
      mod = new WebAssembly.Module(assemble({ module: 'env', field: 'memory', minPages: 1, maxPages, shared }, [
        { name: 'count', code: countCode() }, { name: 'offerPairs', code: offerPairsCode() }, { name: null, code: offerCode() },
        { name: 'flush', code: flushCode() },
      ]));
      modules.set(key, mod);
    }
    type Fn = (...a: number[]) => number;
    const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as { count: Fn; offerPairs: Fn; flush: Fn };
    const { cooc, touched } = coocScratch(L, nItems, thread);
    const { userPtr, userItems, itemUsers, itemPos, popPow } = L;
    const h = coocHeaps(L, nItems, K, thread), g = coocLog(L, nItems, thread), cap = L.logCap;
    let pending = 0;
    return {
      count: (q0, q1) => ex.count(q0, q1, userPtr, userItems, itemUsers, itemPos, cooc, touched),
      offer: (i, nt) => {
        pending = ex.offerPairs(i, nt, minCo, cooc, touched, popPow, K, h.slots, h.threshold, h.size, g.log, g.sorted, g.hist, nItems, cap, pending);
      },
      flush: () => {
        if (pending > 0) ex.flush(g.log, g.sorted, g.hist, nItems, pending, K, h.slots, h.threshold, h.size);
        pending = 0;
      },
    };
  } catch {
    return null;
  }
}
