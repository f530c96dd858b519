// The text representation that plays the part of Personalize's language model: one sparse TF-IDF vector per item
// (sublinear term frequency 1 + ln tf, smoothed idf ln((1 + N) / (1 + df)) + 1, unit length), and cosine similarity
// over an inverted index. Deterministic: term ids follow first appearance in item order. Two texts are similar when
// they share words, the rarer the more; texts with no word in common are not similar at all (no embeddings).
import { tokenize } from './tokenize.js';

/** Item i's terms are term[ptr[i]..ptr[i+1]) (ascending ids) with their weights; an empty row = no usable text. */
export interface TextVectors { ptr: Int32Array; term: Int32Array; weight: Float32Array; terms: number }

/**
 * Vectors of `n` documents (`text(i)`, null = none). Terms found in a single document are dropped after the
 * normalization: they cannot match any other document, so every cosine is unchanged and the vectors stay small.
 */
export function tfidfVectors(n: number, text: (i: number) => string | null): TextVectors {
  const ids = new Map<string, number>();
  const docTerms: Int32Array[] = [];
  const docCounts: Int32Array[] = [];
  // Per-term scratch, grown with the vocabulary: document frequency, the last document seen, its count there.
  let df = new Int32Array(1024), seenIn = new Int32Array(1024).fill(-1), tf = new Int32Array(1024);
  let distinct = new Int32Array(256);
  let docs = 0;
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = text(i);
    words.length = 0;
    if (t) tokenize(t, words);
    if (words.length > distinct.length) distinct = new Int32Array(words.length * 2);
    let nd = 0;
    for (const w of words) {
      let id = ids.get(w);
      if (id === undefined) {
        id = ids.size;
        ids.set(w, id);
        if (id >= df.length) {
          const grow = <T extends Int32Array>(a: T, fill: number): T => { const b = new Int32Array(a.length * 2).fill(fill) as T; b.set(a); return b; };
          df = grow(df, 0); seenIn = grow(seenIn, -1); tf = grow(tf, 0);
        }
      }
      if (seenIn[id] !== i) { seenIn[id] = i; tf[id] = 0; distinct[nd++] = id; }
      tf[id]!++;
    }
    const terms = distinct.slice(0, nd);
    if (nd > 48) terms.sort();
    else for (let a = 1; a < nd; a++) { const x = terms[a]!; let b = a - 1; while (b >= 0 && terms[b]! > x) { terms[b + 1] = terms[b]!; b--; } terms[b + 1] = x; }
    const counts = new Int32Array(nd);
    for (let k = 0; k < nd; k++) counts[k] = tf[terms[k]!]!;
    docTerms.push(terms);
    docCounts.push(counts);
    if (nd) docs++;
    for (let k = 0; k < nd; k++) df[terms[k]!]!++;
  }
  // Kept terms renumbered densely, in first-appearance order.
  const keep = new Int32Array(ids.size).fill(-1);
  let kept = 0;
  for (let id = 0; id < ids.size; id++) if (df[id]! >= 2) keep[id] = kept++;
  const idf = Float64Array.from({ length: ids.size }, (_, id) => Math.log((1 + docs) / (1 + df[id]!)) + 1);
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (const id of docTerms[i]!) if (keep[id]! >= 0) m++;
    ptr[i + 1] = ptr[i]! + m;
  }
  const term = new Int32Array(ptr[n]!);
  const weight = new Float32Array(ptr[n]!);
  const w = new Float64Array(256);
  for (let i = 0; i < n; i++) {
    const terms = docTerms[i]!, tf = docCounts[i]!;
    const buf = terms.length <= w.length ? w : new Float64Array(terms.length);
    let norm = 0;
    for (let k = 0; k < terms.length; k++) { buf[k] = (1 + Math.log(tf[k]!)) * idf[terms[k]!]!; norm += buf[k]! * buf[k]!; }
    norm = Math.sqrt(norm) || 1;
    let at = ptr[i]!;
    for (let k = 0; k < terms.length; k++) {
      const id = keep[terms[k]!]!;
      if (id < 0) continue;
      term[at] = id; weight[at++] = buf[k]! / norm;
    }
    // Renumbering keeps first-appearance order, so ids stay ascending within the row.
  }
  return { ptr, term, weight, terms: kept };
}

/** Cosine of two items' vectors (a merge of their sorted term lists). */
export function textCosine(v: TextVectors, i: number, j: number): number {
  let p = v.ptr[i]!, q = v.ptr[j]!;
  const pe = v.ptr[i + 1]!, qe = v.ptr[j + 1]!;
  let s = 0;
  while (p < pe && q < qe) {
    const a = v.term[p]!, b = v.term[q]!;
    if (a === b) { s += v.weight[p++]! * v.weight[q++]!; } else if (a < b) p++; else q++;
  }
  return s;
}

/**
 * The items of each term (an inverted index), to find an item's similar items without comparing it with every
 * other one: similarTo(i) visits only the items sharing a term with i.
 */
export class TextIndex {
  private readonly postPtr: Int32Array;
  private readonly postItem: Int32Array;
  private readonly postWeight: Float32Array;
  /** Cosines of the last similarTo() query, for the items listed in `touched[0..count)`. */
  readonly acc: Float64Array;
  readonly touched: Int32Array;
  count = 0;

  constructor(readonly v: TextVectors) {
    const n = v.ptr.length - 1;
    this.postPtr = new Int32Array(v.terms + 1);
    for (let p = 0; p < v.term.length; p++) this.postPtr[v.term[p]! + 1]!++;
    for (let t = 0; t < v.terms; t++) this.postPtr[t + 1]! += this.postPtr[t]!;
    const fill = this.postPtr.slice(0, v.terms);
    this.postItem = new Int32Array(v.term.length);
    this.postWeight = new Float32Array(v.term.length);
    for (let i = 0; i < n; i++) {
      for (let p = v.ptr[i]!; p < v.ptr[i + 1]!; p++) {
        const at = fill[v.term[p]!]!++;
        this.postItem[at] = i; this.postWeight[at] = v.weight[p]!;
      }
    }
    this.acc = new Float64Array(n);
    this.touched = new Int32Array(n);
  }

  /** Whether item i has a usable text vector. */
  has(i: number): boolean {
    return this.v.ptr[i + 1]! > this.v.ptr[i]!;
  }

  /**
   * Cosine of item i with every item sharing a term with it (i itself included): acc[j] for j in touched[0..count).
   * Terms of more than `maxItems` items are left out (then acc holds a partial cosine, over the rarer terms): a
   * search for many items' neighbours would otherwise walk the common words' long lists each time, quadratic in
   * the catalogue. Call clear() before the next query.
   */
  similarTo(i: number, maxItems = Infinity): number {
    const { v, postPtr, postItem, postWeight, acc, touched } = this;
    let nt = 0;
    for (let p = v.ptr[i]!; p < v.ptr[i + 1]!; p++) {
      const t = v.term[p]!, w = v.weight[p]!;
      if (postPtr[t + 1]! - postPtr[t]! > maxItems) continue;
      for (let q = postPtr[t]!; q < postPtr[t + 1]!; q++) {
        const j = postItem[q]!;
        if (acc[j] === 0) touched[nt++] = j;
        acc[j]! += w * postWeight[q]!;
      }
    }
    this.count = nt;
    return nt;
  }

  clear(): void {
    for (let k = 0; k < this.count; k++) this.acc[this.touched[k]!] = 0;
    this.count = 0;
  }
}
