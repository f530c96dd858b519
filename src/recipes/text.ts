// Items' text as the recipes read it (lib/text: tokenizer + TF-IDF): the textual field, with the item's name for
// aws-semantic-similarity, as vectors; and factors for items with text but no interactions (user-personalization-v2).
import { tfidfVectors, TextIndex, type TextVectors } from '../lib/text/tfidf.js';
import { NeighbourHeaps } from './item-knn.js';
import type { TextColumn, TrainingData } from './types.js';

function reader(col: TextColumn | undefined): (i: number) => string {
  const dec = new TextDecoder();
  return col ? (i) => dec.decode(col.utf8.subarray(col.offsets[i]!, col.offsets[i + 1]!)) : () => '';
}

/** TF-IDF vectors of the items' textual field (and names, when `withNames`), or null when the data has neither. */
export function itemTextVectors(data: TrainingData, withNames = false): TextVectors | null {
  const names = withNames ? data.itemNames : undefined;
  if (!data.itemText && !names) return null;
  const text = reader(data.itemText), name = reader(names);
  return tfidfVectors(data.itemIds.length, (i) => {
    const t = text(i), n = name(i);
    return n && t ? `${n}\n${t}` : n || t || null;
  });
}

/**
 * The most items a word may describe and still be looked up when training searches many items' text neighbours
 * (TextIndex.similarTo): 2% of the catalogue, at least 1000. Commoner words say little about an item's topic and
 * would make the search quadratic; requests (aws-semantic-similarity) compare on every word.
 */
export function searchMaxItems(n: number): number {
  return Math.max(1000, Math.ceil(0.02 * n));
}

/** Text neighbours that lend a cold item their factors. */
export const COLD_TEXT_NEIGHBOURS = 20;

/**
 * Factors for items with a text but no interactions (`itemCount` 0), in place in Y (nItems x k): the average of the
 * factors of their most similar items by text among those with interactions, weighted by cosine and shrunk toward 0
 * as a prior worth one perfectly similar item would: y = Σ cos·y_j / (Σ cos + 1). A cold item then scores like its
 * look-alikes, a little lower; one whose text matches nothing keeps zero factors. Returns how many items got factors.
 */
export function coldFactorsFromText(data: TrainingData, Y: Float32Array, k: number, itemCount: Int32Array): number {
  const vectors = itemTextVectors(data);
  if (!vectors) return 0;
  const n = data.itemIds.length;
  const index = new TextIndex(vectors);
  const heap = new NeighbourHeaps(1, COLD_TEXT_NEIGHBOURS);
  const y = new Float64Array(k);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    if (itemCount[i]! > 0 || !index.has(i)) continue;
    heap.clearRow(0);
    const nt = index.similarTo(i, searchMaxItems(n));
    for (let t = 0; t < nt; t++) {
      const j = index.touched[t]!;
      if (j !== i && itemCount[j]! > 0) heap.offer(0, j, index.acc[j]!);
    }
    index.clear();
    if (heap.size[0] === 0) continue;
    y.fill(0);
    let mass = 0;
    for (let t = 0; t < heap.size[0]!; t++) {
      const j = heap.slotIdx(0, t), c = heap.slotScore(0, t);
      mass += c;
      for (let a = 0; a < k; a++) y[a]! += c * Y[j * k + a]!;
    }
    for (let a = 0; a < k; a++) Y[i * k + a] = y[a]! / (mass + 1);
    filled++;
  }
  return filled;
}
