// aws-semantic-similarity: related items from the items' text, the item name and the textual field as TF-IDF vectors
// (recipes/text.ts, lib/text): an item's related items are the items whose text shares the most (and rarest) words
// with its own, by cosine. Interactions are optional; with them, items whose text shares nothing continue the list
// by popularity, and rankingInfluence's POPULARITY has counts to work with. No hyperparameters, no scores.
import { TextIndex, type TextVectors } from '../lib/text/tfidf.js';
import { popularityTail } from './item-knn.js';
import { itemPopularity } from './popularity-count.js';
import { itemTextVectors } from './text.js';
import type { Model, ModelArtifact, Recipe, TrainingData } from './types.js';

const NAME = 'aws-semantic-similarity';

/** Personalize's documented inputs: an Items dataset with a textual description field and an item-name field. */
function checkText(data: TrainingData): string | null {
  if (!data.itemText) {
    return `Create failed. ${NAME} needs an Items dataset with a textual field: a string field with "textual": true (e.g. PRODUCT_DESCRIPTION) holding each item's description. Add one to the Items schema (or stop excluding it with trainingDataConfig) and import the items.`;
  }
  if (!data.itemNames) {
    return `Create failed. ${NAME} needs the item's name: mark one string field of the Items schema (e.g. TITLE) with "itemName": true.`;
  }
  let withText = 0;
  for (let i = 0; i < data.itemIds.length; i++) if (data.itemText.offsets[i + 1]! > data.itemText.offsets[i]!) withText++;
  if (withText < 2) return `Create failed. ${NAME} found ${withText} item(s) with a ${data.itemText.name}; at least 2 are needed to relate items.`;
  return null;
}

export const semanticSimilarity: Recipe = {
  name: NAME,
  recipeType: 'RELATED_ITEMS',
  hasScores: false,
  hyperParameters: [],
  interactionsOptional: true,
  checkData: checkText,
  train(data: TrainingData): ModelArtifact {
    const problem = checkText(data);
    if (problem) throw new Error(problem);
    const v = itemTextVectors(data, true)!;
    let related = 0;
    for (let i = 0; i < data.itemIds.length; i++) if (v.ptr[i + 1]! > v.ptr[i]!) related++;
    return {
      recipe: NAME,
      meta: { textField: data.itemText!.name, nameField: data.itemNames!.name, terms: v.terms, itemsWithTerms: related, compute: 'typed-arrays' },
      arrays: { textPtr: v.ptr, textTerm: v.term, textWeight: v.weight, popTail: popularityTail(itemPopularity(data).uniqueUsers) },
    };
  },
  load(artifact: ModelArtifact): Model {
    const v: TextVectors = {
      ptr: artifact.arrays.textPtr as Int32Array, term: artifact.arrays.textTerm as Int32Array,
      weight: artifact.arrays.textWeight as Float32Array, terms: Number(artifact.meta.terms),
    };
    const tail = artifact.arrays.popTail as Float32Array;
    const index = new TextIndex(v);
    const n = tail.length;
    return {
      // The query item's cosines, over the popularity tail (-1, 0) for items sharing no word; the query item NaN.
      // Without an item (offline metrics over a history), the newest history item with text asks.
      score(q, out) {
        let item = q.item;
        if (item < 0 && q.history) for (let p = q.history.length - 1; p >= 0 && item < 0; p--) if (q.history[p]! < n && q.history[p]! >= 0 && index.has(q.history[p]!)) item = q.history[p]!;
        if (item < 0 || item >= n || !index.has(item)) return false;
        out.set(tail);
        const found = index.similarTo(item);
        for (let t = 0; t < found; t++) { const j = index.touched[t]!; out[j] = index.acc[j]!; }
        index.clear();
        out[item] = NaN;
        return true;
      },
    };
  },
};
