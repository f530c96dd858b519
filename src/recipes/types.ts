// The recipe contract: what a recipe is given to train on, what it returns, and how a trained model scores.
// Recipes are pure functions of (data, params, seed); they never import the engine.
import type { TrainingRun } from '../lib/threads/team.js';
import type { SoftmaxPass } from '../lib/factor-softmax.js';

export type { TrainingRun } from '../lib/threads/team.js';

export type RecipeType =
  | 'USER_PERSONALIZATION'
  | 'POPULAR_ITEMS'
  | 'RELATED_ITEMS'
  | 'PERSONALIZED_RANKING'
  | 'PERSONALIZED_ACTIONS'
  | 'USER_SEGMENTATION';

/** A multi-valued categorical column: row r has values codes[ptr[r]..ptr[r+1]) (Personalize's `a|b`). */
export interface CategoricalColumn { name: string; dictionary: string[]; ptr: Int32Array; codes: Int32Array }
export interface NumericColumn { name: string; values: Float64Array /* NaN = missing */ }
/** A text column per item: item i's text is the UTF-8 bytes utf8[offsets[i]..offsets[i+1]) (empty = none). */
export interface TextColumn { name: string; utf8: Uint8Array; offsets: Int32Array }

/**
 * Interactions as a user-by-item CSR matrix, plus side information. Ids are dense indices into
 * userIds / itemIds (sorted, so the numbering does not depend on row order).
 */
export interface TrainingData {
  userIds: string[];
  itemIds: string[];
  /** Interactions of user u are rows userPtr[u]..userPtr[u+1], oldest first. */
  userPtr: Int32Array;
  itemIdx: Int32Array;
  timestamps: Float64Array;
  /** Per-interaction weight (eventsConfig weights; 1 otherwise). */
  weights: Float32Array;
  /** Per-interaction event type code into eventTypes (-1 = none). */
  eventType: Int32Array;
  eventTypes: string[];
  /** Item metadata (from the Items dataset) aligned with itemIds. */
  itemCreationTime: Float64Array; // NaN = unknown
  itemCategorical: CategoricalColumn[];
  itemNumeric: NumericColumn[];
  /** The Items dataset's textual field (`"textual": true`, e.g. a DESCRIPTION), when it has one and training keeps it. */
  itemText?: TextColumn;
  /** The Items field marked `"itemName": true` (the item's title; aws-semantic-similarity reads it with the text). */
  itemNames?: TextColumn;
  /** Latest interaction timestamp in the data (epoch seconds). */
  maxTimestamp: number;
  /**
   * PERSONALIZED_ACTIONS only (aws-next-best-action): there the "items" above are the actions (Actions
   * dataset, metadata in the item columns) and the CSR holds action interactions; this holds the same
   * users' item interactions, user u's at itemIdx[userPtr[u]..userPtr[u+1]), oldest first, over
   * `itemCount` items. Absent for every other recipe type.
   */
  userItems?: { itemCount: number; userPtr: Int32Array; itemIdx: Int32Array };
}

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** What training produces: typed arrays plus small JSON. Written once, never mutated. */
export interface ModelArtifact {
  recipe: string;
  meta: Record<string, unknown>;
  arrays: Record<string, TypedArray>;
}

/** A model loaded for serving, over the item numbering of its TrainingData. */
export interface Model {
  /**
   * Write a relevance score for every item into `out` (length = number of items). `user` is the
   * user's index (-1 when unknown at training), `history` the items the user interacted with, oldest
   * first (training history plus live events), `item` the query item of related-items recipes.
   * Returns false when the model has nothing for this query (cold user/item), so the engine can fall
   * back to popular items as Personalize does.
   * PERSONALIZED_ACTIONS models: `history` holds only the user's action interactions since training
   * (action indices, oldest first; the model adds what it trained on for `user`), `outcomes` their
   * results (1 = taken, 0 = not taken or viewed), `times` their timestamps (epoch seconds), and `out`
   * receives propensities in [0, 1].
   */
  score(query: { user: number; item: number; history: Int32Array | null; outcomes?: Uint8Array | null; times?: Float64Array | null }, out: Float32Array): boolean;
  /** Set when score() writes these same scores for every query (never mutated): the engine ranks them once. */
  staticScores?: Float32Array;
  /**
   * The best `k` items of score()'s scores among those with mask[i] != 0, best first, ties to the lower index,
   * into `out`; the count found, or -1 when score() would return false. For models that can rank without
   * writing every score (factor models); the scores may differ from score()'s in the last bit of rounding.
   */
  topK?(query: { user: number; item: number; history: Int32Array | null }, k: number, mask: Uint8Array, out: Int32Array): number;
  /**
   * score() and the softmax terms of its scores in one pass (factor models on WASM SIMD): the same scores into
   * `out`, and the same max, e^(s - max) terms (0 for s <= max - floor) and their sum in item order as lib/exp.ts's
   * expAll over them; false when score() would return false. The pass's `exps` is valid until the next call.
   */
  scoreSoftmax?(query: { user: number; item: number; history: Int32Array | null }, out: Float32Array, floor: number): SoftmaxPass | false;
  /**
   * USER_SEGMENTATION models only: write every training user's affinity to the item set `items` (item
   * indices) into `out` (length = number of users at training), higher = more likely to interact.
   * Returns false when no item of the set is known to the model.
   */
  scoreUsers?(items: Int32Array, out: Float32Array): boolean;
}

export interface HyperParameterSpec {
  name: string;
  type: 'integer' | 'continuous' | 'categorical';
  default: string;
  min?: number;
  max?: number;
  values?: string[];
  tunable: boolean;
}

export interface Recipe {
  /** Personalize recipe name, e.g. `aws-popularity-count`. */
  name: string;
  recipeType: RecipeType;
  /** Whether responses carry a `score` (Personalize omits it for SIMS, Similar-Items, Popularity-Count). */
  hasScores: boolean;
  /**
   * Whether the model scores from the user's history and the engine's repeat stage applies to its lists: the
   * training data's chance of interacting again with a history item moves those items' scores at serving time
   * (engine/training/repeat.ts), so repeat-free data does not get the user's own history back.
   */
  repeatAware?: boolean;
  /**
   * Whether a job's two trainings (the offline-metrics model and the served one) are faster side by side, one thread
   * each, than one after the other over the job's team: true where the team gains little (aws-sims' counting).
   */
  trainsSideBySide?: boolean;
  /** Trains without an Interactions dataset (aws-semantic-similarity: the items' text is its input). */
  interactionsOptional?: boolean;
  /**
   * The recipe's own check of its inputs, replacing Personalize's interaction minimums (which a recipe with optional
   * interactions does not have): a failure message, or null when the data is enough.
   */
  checkData?(data: TrainingData): string | null;
  /** Algorithm hyperparameters (solutionConfig.algorithmHyperParameters). */
  hyperParameters: HyperParameterSpec[];
  /**
   * `run`: how many threads this training may use and their team (lib/threads/team.ts); absent = the calling
   * thread only. The artifact must be the same bytes whatever run.threads is.
   */
  train(data: TrainingData, params: Record<string, string>, seed: number, run?: TrainingRun): ModelArtifact;
  /**
   * Optional: derive a model from a previous one plus new data, keeping what was learned
   * (trainingMode UPDATE). `previous` carries the id numbering the artifact was trained over;
   * `data` is the full current TrainingData (its own sorted numbering: previous ids plus new ones,
   * some possibly gone). The result must be loadable by load() over `data`'s item numbering.
   */
  update?(previous: { artifact: ModelArtifact; userIds: string[]; itemIds: string[] }, data: TrainingData, params: Record<string, string>, seed: number): ModelArtifact;
  load(artifact: ModelArtifact, itemCount: number): Model;
}
