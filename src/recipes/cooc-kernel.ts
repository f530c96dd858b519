// aws-sims' co-occurrence counting step in WebAssembly: the pair walk of one item's users (cooccurrence.ts), with no
// bounds checks on its scattered increments (2.3-2.7x the JS loop at 5M rows, the same counts in the same order), and
// the offers of the counted pairs to both items' bounded heaps (neighbour-heaps.ts's offer, operation by operation).
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
   * sim = cooc / (pop(i)^a * pop(j)^a) to row i and to row j of this thread's heaps.
   */
  offer(i: number, nt: number): void;
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

/**
 * offerPairs(i, nt, minCo, cooc, touched, popPow, K, slots, threshold, size): countItems' loop over the touched
 * items, calling offer (function 2) for row i, then for row j, as the JS loop does.
 */
function offerPairsCode(): Code {
  const c = new Code([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], []);
  const [i, nt, minCo, C, T, PP, K, SL, TH, SZ] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
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
  const heaps = (): Code => c.get(K).get(SL).get(TH).get(SZ);
  // offer's first test, here: most offers stop at a threshold, and then the call is all they cost.
  const below = (row: number): Code => c.get(s).get(TH).get(row).i32Const(3).i32Shl().i32Add().f64Load().f64Lt();
  below(i).i32Eqz().if_().get(i).get(j).get(s); heaps().call(2).end();
  below(j).i32Eqz().if_().get(j).get(i).get(s); heaps().call(2).end();
  c.end();
  c.get(t).i32Const(1).i32Add().set(t);
  c.br(0).end().end();
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
        { name: 'count', code: countCode() }, { name: 'offerPairs', code: offerPairsCode() }, { name: null, code: offerCode() },
      ]));
      modules.set(key, mod);
    }
    const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as { count: (...a: number[]) => number; offerPairs: (...a: number[]) => void };
    const { cooc, touched } = coocScratch(L, nItems, thread);
    const { userPtr, userItems, itemUsers, itemPos, popPow } = L;
    const h = coocHeaps(L, nItems, K, thread);
    return {
      count: (q0, q1) => ex.count(q0, q1, userPtr, userItems, itemUsers, itemPos, cooc, touched),
      offer: (i, nt) => ex.offerPairs(i, nt, minCo, cooc, touched, popPow, K, h.slots, h.threshold, h.size),
    };
  } catch {
    return null;
  }
}
