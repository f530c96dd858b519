// aws-similar-items: co-interaction neighbours (as SIMS, popularity_discount_factor 0 by default) blended with the
// items' content (categorical metadata and the textual field's TF-IDF, recipes/text.ts), so that cold items (< 5
// interactions), e.g. a new item with only a description, get neighbours too.
import { TextIndex, textCosine } from '../lib/text/tfidf.js';
import { buildCoMatrix, itemNeighbours, NeighbourHeaps, popularityTail, type Neighbours } from './item-knn.js';
import { intParam, numParam } from './params.js';
import { itemPopularity } from './popularity-count.js';
import { DEFAULT_HALF_LIFE, DEFAULT_NEIGHBOURS, loadKnn } from './sims.js';
import { itemTextVectors, searchMaxItems } from './text.js';
import type { HyperParameterSpec, ModelArtifact, Recipe, TrainingData, TrainingRun } from './types.js';

/** Personalize's definition of a cold item for this recipe. */
export const COLD_ITEM_INTERACTIONS = 5;
/** How much shared content lifts a co-interaction neighbour: sim x (1 + boost x content similarity). */
const DEFAULT_METADATA_BOOST = 0.5;

export const SIMILAR_ITEMS_HYPERPARAMETERS: HyperParameterSpec[] = [
  { name: 'popularity_discount_factor', type: 'continuous', default: '0', min: 0, max: 1, tunable: false },
  // Accepted for compatibility: they size Personalize's neural embeddings, which we do not train.
  { name: 'item_id_hidden_dim', type: 'integer', default: '100', min: 30, max: 200, tunable: true },
  { name: 'item_metadata_hidden_dim', type: 'integer', default: '100', min: 30, max: 200, tunable: true },
  { name: 'num_neighbours', type: 'integer', default: String(DEFAULT_NEIGHBOURS), min: 1, max: 1000, tunable: false },
  { name: 'min_cointeraction_count', type: 'integer', default: '3', min: 0, max: 10, tunable: false },
  { name: 'metadata_boost', type: 'continuous', default: String(DEFAULT_METADATA_BOOST), min: 0, max: 100, tunable: false },
  { name: 'history_half_life', type: 'continuous', default: String(DEFAULT_HALF_LIFE), min: 0.1, max: 1e9, tunable: false },
];

/** Item metadata as sparse idf-weighted vectors: values of every categorical column, unit length per item. */
interface MetaVectors {
  ptr: Int32Array; val: Int32Array; w: Float64Array;
  /** The inverted index: items having value v, with v's weight in each, at valueItemsPtr[v]..[v+1]. */
  valueItemsPtr: Int32Array; valueItems: Int32Array; valueItemW: Float64Array;
}

function metaVectors(data: TrainingData): MetaVectors {
  const n = data.itemIds.length;
  const cols = data.itemCategorical;
  const base: number[] = [];
  let nv = 0;
  for (const c of cols) { base.push(nv); nv += c.dictionary.length; }
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let len = 0;
    for (const c of cols) len += c.ptr[i + 1]! - c.ptr[i]!;
    ptr[i + 1] = ptr[i]! + len;
  }
  const val = new Int32Array(ptr[n]!);
  const df = new Float64Array(nv);
  for (let i = 0; i < n; i++) {
    let at = ptr[i]!;
    cols.forEach((c, ci) => { for (let p = c.ptr[i]!; p < c.ptr[i + 1]!; p++) { val[at] = base[ci]! + c.codes[p]!; df[val[at]!]!++; at++; } });
  }
  // Rare shared values say more than common ones (idf), and each item's vector has unit length.
  const w = new Float64Array(val.length);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let p = ptr[i]!; p < ptr[i + 1]!; p++) { w[p] = Math.log(1 + n / df[val[p]!]!); norm += w[p]! * w[p]!; }
    for (let p = ptr[i]!; p < ptr[i + 1]!; p++) w[p]! /= Math.sqrt(norm) || 1;
  }
  const valueItemsPtr = new Int32Array(nv + 1);
  for (let p = 0; p < val.length; p++) valueItemsPtr[val[p]! + 1]!++;
  for (let v = 0; v < nv; v++) valueItemsPtr[v + 1]! += valueItemsPtr[v]!;
  const fill = valueItemsPtr.slice(0, nv);
  const valueItems = new Int32Array(val.length);
  const valueItemW = new Float64Array(val.length);
  for (let i = 0; i < n; i++) {
    for (let p = ptr[i]!; p < ptr[i + 1]!; p++) { const at = fill[val[p]!]!++; valueItems[at] = i; valueItemW[at] = w[p]!; }
  }
  return { ptr, val, w, valueItemsPtr, valueItems, valueItemW };
}

/** Cosine of two items' metadata vectors (both value lists are short). */
function metaCosine(m: MetaVectors, i: number, j: number): number {
  let s = 0;
  for (let p = m.ptr[i]!; p < m.ptr[i + 1]!; p++) {
    for (let q = m.ptr[j]!; q < m.ptr[j + 1]!; q++) if (m.val[p] === m.val[q]) s += m.w[p]! * m.w[q]!;
  }
  return s;
}

/**
 * What the recipe knows of items' content: categorical metadata and text. An item's content similarity to another
 * is the mean of the cosines of the parts it has (metadata, text), in [0, 1].
 */
interface Content { meta: MetaVectors; text: TextIndex | null }

function parts(c: Content, i: number): number {
  return (c.meta.ptr[i + 1]! > c.meta.ptr[i]! ? 1 : 0) + (c.text?.has(i) ? 1 : 0);
}

function contentSimilarity(c: Content, i: number, j: number): number {
  const k = parts(c, i);
  if (k === 0) return 0;
  return (metaCosine(c.meta, i, j) + (c.text ? textCosine(c.text.v, i, j) : 0)) / k;
}

/**
 * Neighbours of cold items by content similarity, popularity breaking near-ties (a small term, so the neighbours
 * of a cold comedy are the well-known comedies first). Items with the same set of values and no text share one
 * computation: catalogues repeat value combinations a lot.
 */
function coldNeighbours(c: Content, cold: Uint8Array, pop: Float32Array, K: number, heaps: NeighbourHeaps): void {
  const m = c.meta;
  const n = cold.length;
  let maxPop = 1;
  for (let i = 0; i < n; i++) if (pop[i]! > maxPop) maxPop = pop[i]!;
  const popTerm = Float64Array.from(pop, (p) => 0.01 * Math.log1p(p) / Math.log1p(maxPop));
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const groups = new Map<string, number>(); // value set -> representative item
  const cand = new NeighbourHeaps(1, K + 1);
  for (let i = 0; i < n; i++) {
    const k = parts(c, i);
    if (!cold[i] || k === 0) continue;
    const hasText = !!c.text?.has(i);
    const key = hasText ? '' : Array.from(m.val.subarray(m.ptr[i]!, m.ptr[i + 1]!)).sort((a, b) => a - b).join(',');
    const rep = hasText ? undefined : groups.get(key);
    if (rep === undefined) {
      if (!hasText) groups.set(key, i);
      let nt = 0;
      for (let p = m.ptr[i]!; p < m.ptr[i + 1]!; p++) {
        const v = m.val[p]!, wv = m.w[p]! / k;
        for (let q = m.valueItemsPtr[v]!; q < m.valueItemsPtr[v + 1]!; q++) {
          const j = m.valueItems[q]!;
          if (acc[j] === 0) touched[nt++] = j;
          acc[j]! += wv * m.valueItemW[q]!;
        }
      }
      if (hasText) {
        const text = c.text!;
        const found = text.similarTo(i, searchMaxItems(n));
        for (let t = 0; t < found; t++) {
          const j = text.touched[t]!;
          if (acc[j] === 0) touched[nt++] = j;
          acc[j]! += text.acc[j]! / k;
        }
        text.clear();
      }
      cand.clearRow(0);
      for (let t = 0; t < nt; t++) { const j = touched[t]!; cand.offer(0, j, acc[j]! + popTerm[j]!); acc[j] = 0; }
      copyExcluding(cand, heaps, i);
    } else {
      // Same values as `rep`: same candidates; rep's own list lacks rep, so rebuild from its heap plus rep.
      cand.clearRow(0);
      for (let t = 0; t < heaps.size[rep]!; t++) cand.offer(0, heaps.slotIdx(rep, t), heaps.slotScore(rep, t));
      cand.offer(0, rep, metaCosine(m, i, rep) + popTerm[rep]!);
      copyExcluding(cand, heaps, i);
    }
  }
}

/** The candidates of one cold item, minus the item itself, become its neighbour heap. */
function copyExcluding(cand: NeighbourHeaps, heaps: NeighbourHeaps, self: number): void {
  heaps.clearRow(self);
  for (let t = 0; t < cand.size[0]!; t++) {
    const j = cand.slotIdx(0, t);
    if (j !== self) heaps.offer(self, j, cand.slotScore(0, t));
  }
}

export const similarItems: Recipe = {
  name: 'aws-similar-items',
  recipeType: 'RELATED_ITEMS',
  hasScores: false,
  // Its counting is aws-sims' over all items: its team gains ~1.2x at 5M rows (README), two trainings side by side more.
  trainsSideBySide: true,
  hyperParameters: SIMILAR_ITEMS_HYPERPARAMETERS,
  train(data: TrainingData, params: Record<string, string>, _seed: number, run?: TrainingRun): ModelArtifact {
    const discount = numParam(params, 'popularity_discount_factor', 0, 0, 1);
    const K = intParam(params, 'num_neighbours', DEFAULT_NEIGHBOURS, 1, 1000);
    const minCo = intParam(params, 'min_cointeraction_count', 3, 0, 10);
    const boost = numParam(params, 'metadata_boost', DEFAULT_METADATA_BOOST, 0, 100);
    const halfLife = numParam(params, 'history_half_life', DEFAULT_HALF_LIFE, 0.1, 1e9);
    const n = data.itemIds.length;
    const pop = itemPopularity(data).uniqueUsers;
    const m = buildCoMatrix(data, [0, 1], [0, 1]);
    const cf = itemNeighbours(m, { discount, minCointeractions: minCo, neighbours: K }, run);
    const vectors = itemTextVectors(data);
    const content: Content = { meta: metaVectors(data), text: vectors && new TextIndex(vectors) };
    const heaps = new NeighbourHeaps(n, K);
    // Warm items: co-interaction neighbours, each list scaled to a best of 1 (so every history item
    // votes alike when lists are summed), lifted by shared content.
    const cold = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      cold[i] = pop[i]! < COLD_ITEM_INTERACTIONS ? 1 : 0;
      const s = cf.ptr[i]!, e = cf.ptr[i + 1]!;
      if (cold[i] || e === s) continue;
      const top = cf.sim[s]!;
      for (let p = s; p < e; p++) {
        const j = cf.idx[p]!;
        heaps.offer(i, j, (cf.sim[p]! / top) * (1 + boost * contentSimilarity(content, i, j)));
      }
    }
    coldNeighbours(content, cold, pop, K, heaps);
    const nb: Neighbours = heaps.toCsr();
    let coldWithNeighbours = 0;
    for (let i = 0; i < n; i++) if (cold[i] && nb.ptr[i + 1]! > nb.ptr[i]!) coldWithNeighbours++;
    return {
      recipe: 'aws-similar-items',
      meta: { discount, neighbours: K, minCo, boost, halfLife, coldWithNeighbours, text: vectors ? data.itemText!.name : null, compute: 'typed-arrays' },
      arrays: { nbrPtr: nb.ptr, nbrIdx: nb.idx, nbrSim: nb.sim, popTail: popularityTail(pop) },
    };
  },
  load: loadKnn,
};
