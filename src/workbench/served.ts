// "What your users would see": each test user's list as a campaign would serve it, through the engine's
// ranking pipeline (filter, optimization objective, ranking influence, exploration slots), scored against
// the same held-out items. Unlike the model's lists, the history is not left out unless the filter does so.
import { itemStats, UserMetrics } from '../engine/evaluation/per-user.js';
import type { TestUser } from '../engine/evaluation/split.js';
import { compileFilter, type FilterColumn, type FilterContext, type FilterSchemaInfo } from '../engine/filters/index.js';
import type { CampaignConfig } from '../engine/serving/serving-config.js';
import type { ServingModel } from '../engine/store/model-store.js';
import { normalizeAttribute } from '../engine/training/objective.js';
import { EXPLORED, rank } from '../engine/serving/pipeline.js';
import { explorationFor } from '../engine/serving/recommend.js';
import type { ModelBundle } from '../engine/training/bundle.js';
import { hashString, Rng } from '../lib/random.js';
import type { Model, Recipe, TrainingData } from '../recipes/types.js';
import type { ListResults, Progress } from './list-results.js';

export interface ServedSpec {
  campaignConfig?: CampaignConfig;
  filter?: {
    expression: string;
    values?: Record<string, string>;
    schemaInfo: FilterSchemaInfo;
    /** Items columns the filter reads, aligned with the data's item numbering. */
    itemColumns: Record<string, FilterColumn>;
    /** Users columns the filter reads, aligned with the data's user numbering. */
    userColumns: Record<string, FilterColumn>;
  };
}

const NUM_RESULTS = 25;

function userValue(col: FilterColumn | undefined, u: number): string[] | number | null {
  if (!col || u < 0) return null;
  if (col.kind === 'numeric') return Number.isNaN(col.values[u]!) ? null : col.values[u]!;
  if (col.ptr[u + 1] === col.ptr[u]) return null;
  return Array.from(col.codes.subarray(col.ptr[u]!, col.ptr[u + 1]!), (c) => col.dictionary[c]!);
}

export interface ServedInput {
  recipe: Recipe; model: Model; bundle: ModelBundle; train: TrainingData;
  /** The whole data of the configuration (the test users' rows and event types are read from it). */
  data: TrainingData;
  test: TestUser[];
  spec: ServedSpec;
  seed: number;
  objective?: { values: Float64Array; lambda: number };
  samples: Map<string, string[]>;
  sampleLength: number;
  progress: Progress;
}

/** Served lists of every test user, scored; per-user history and exploration shares are added to the values. */
export function servedLists(x: ServedInput): ListResults {
  const { recipe, train, data, test, spec } = x;
  const m: ServingModel = { recipe, model: x.model, bundle: x.bundle, itemIndex: new Map(), userIndex: new Map() };
  const filter = spec.filter && compileFilter(spec.filter.expression, spec.filter.schemaInfo);
  const userIndex = new Map(data.userIds.map((id, i) => [id, i]));
  const objective = x.objective && x.objective.lambda > 0 ? { attribute: normalizeAttribute(x.objective.values), lambda: x.objective.lambda } : undefined;
  const exploration = explorationFor(recipe.name, spec.campaignConfig?.itemExplorationConfig);
  const related = recipe.recipeType === 'RELATED_ITEMS';
  const collector = new UserMetrics(test.length, itemStats(train));
  const historyShare = new Float64Array(test.length), exploredShare = new Float64Array(test.length);
  const inHistory = new Uint8Array(train.itemIds.length);
  const step = Math.max(1, Math.floor(test.length / 20));
  for (let u = 0; u < test.length; u++) {
    const t = test[u]!, h = t.history, du = userIndex.get(t.user) ?? -1, start = du >= 0 ? data.userPtr[du]! : 0;
    const item = related && h.length ? h[h.length - 1]! : -1;
    const ctx: FilterContext = {
      candidateCount: train.itemIds.length,
      column: (name) => spec.filter?.itemColumns[name],
      currentUser: (name) => userValue(spec.filter?.userColumns[name], du),
      // The filter sees the interactions the model was given: the user's input history, with event types.
      userInteractions: () => ({ candidates: h, eventTypeCodes: data.eventType.subarray(start, start + h.length), eventTypeNames: data.eventTypes }),
    };
    const ranked = rank(m, {
      query: { user: -1, item, history: h },
      numResults: NUM_RESULTS,
      excludeQueryItem: related,
      filter: filter && ((mask) => filter.apply(ctx, { userId: t.user, currentItem: item, filterValues: spec.filter!.values }, mask)),
      influence: spec.campaignConfig?.rankingInfluence,
      exploration,
      objective,
      rng: new Rng(hashString(t.user, x.seed)),
    });
    collector.add(u, ranked.items, ranked.count, t.relevant);
    for (let p = 0; p < h.length; p++) inHistory[h[p]!] = 1;
    let seen = 0, explored = 0;
    for (let r = 0; r < ranked.count; r++) { seen += inHistory[ranked.items[r]!]!; explored += ranked.kind[r] === EXPLORED ? 1 : 0; }
    for (let p = 0; p < h.length; p++) inHistory[h[p]!] = 0;
    historyShare[u] = ranked.count ? seen / ranked.count : NaN;
    exploredShare[u] = ranked.count ? explored / ranked.count : NaN;
    if (x.samples.has(t.user)) x.samples.set(t.user, Array.from(ranked.items.subarray(0, Math.min(ranked.count, x.sampleLength)), (i) => train.itemIds[i]!));
    if (u % step === 0) x.progress('serve', u / test.length);
  }
  return {
    metrics: { coverage: collector.coverage() },
    perUser: { ...collector.values, history_share_at_25: historyShare, explored_share_at_25: exploredShare },
    ndcgCurve: collector.ndcgCurve,
    popularityHistogram: collector.popularityHistogram,
  };
}
