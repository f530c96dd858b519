// One evaluation job: a configuration on one split seed. Split, (tune,) train on the training part, rank
// every test user's list, and return Personalize's metrics plus per-user values: no model leaves the job.
import { evaluateModel } from '../engine/evaluation/evaluate.js';
import { itemStats, UserMetrics } from '../engine/evaluation/per-user.js';
import { splitForEvaluation, type TestUser } from '../engine/evaluation/split.js';
import { splitByTime } from '../engine/evaluation/time-split.js';
import { autoMLRecipes, hpoCandidates, type Candidate } from '../engine/resources/tuning.js';
import { trainingParams, type SolutionConfig } from '../engine/resources/solution-config.js';
import { encodeBundle } from '../engine/training/bundle.js';
import { servingBundle } from '../engine/training/train-job.js';
import { RECIPES } from '../recipes/index.js';
import { itemPopularity } from '../recipes/popularity-count.js';
import type { Model, Recipe, TrainingData } from '../recipes/types.js';
import type { ListResults, Progress } from './list-results.js';
import { servedLists, type ServedSpec } from './served.js';

export type { ListResults, Progress } from './list-results.js';

export type SplitSpec = { kind: 'personalize' } | { kind: 'time'; cut: number };

export interface JobSpec {
  index: number;
  recipe: string;
  params: Record<string, string>;
  /** HPO / AutoML: candidates are trained on an inner split of the training part; the best by `objective` is kept. */
  tuning?: { kind: 'hpo' | 'automl'; objective: string; solutionConfig?: SolutionConfig };
  seed: number;
  data: TrainingData;
  split: SplitSpec;
  /** GetSolutionMetrics' extra keys of the solution's config (eventsConfig weights, optimizationObjective). */
  evaluation: { eventWeights?: boolean; objective?: { values: Float64Array; lambda: number } };
  served?: ServedSpec;
  /** Users whose top-10 lists the report shows (when they are test users of this job). */
  sampleUsers: string[];
}

export interface JobResult {
  index: number;
  testUsers: string[];
  /** Interactions in each test user's input history. */
  historyLength: Int32Array;
  lists: ListResults;
  served?: ListResults;
  /** Top-10 item ids per sample user: the model's list (history left out) and, with served lists, the served one. */
  samples: Record<string, { model: string[]; served?: string[] }>;
  modelBytes: number;
  trainSeconds: number;
  evaluateSeconds: number;
  /** HPO / AutoML: what the inner split picked. */
  chosen?: { recipe: string; params: Record<string, string> };
}

const SAMPLE_LIST = 10;

export function splitFor(data: TrainingData, split: SplitSpec, seed: number): { train: TrainingData; test: TestUser[] } {
  return split.kind === 'time' ? splitByTime(data, split.cut) : splitForEvaluation(data, seed);
}

function recipeOf(name: string): Recipe {
  const r = RECIPES.get(`arn:aws:personalize:::recipe/${name}`);
  if (!r) throw new Error(`recipe ${name} is not available`);
  return r;
}

/** The model's ranked lists of `test`, metrics and per-user values, as GetSolutionMetrics ranks them. */
function scoreLists(recipe: Recipe, model: Model, train: TrainingData, test: TestUser[], spec: JobSpec, progress: Progress, samples: Map<string, string[]>): ListResults {
  const collector = new UserMetrics(test.length, itemStats(train));
  const step = Math.max(1, Math.floor(test.length / 20));
  const metrics = evaluateModel(model, test, train.itemIds.length, itemPopularity(train).uniqueUsers, {
    queryItem: recipe.recipeType === 'RELATED_ITEMS' ? 'last' : 'none',
    ...spec.evaluation,
    onList: (u, t, ranked, found) => {
      collector.add(u, ranked, found, t.relevant);
      if (samples.has(t.user)) samples.set(t.user, Array.from(ranked.subarray(0, Math.min(found, SAMPLE_LIST)), (i) => train.itemIds[i]!));
      if (u % step === 0) progress('evaluate', u / test.length);
    },
  });
  return { metrics, perUser: collector.values, ndcgCurve: collector.ndcgCurve, popularityHistogram: collector.popularityHistogram };
}

/** HPO / AutoML: each candidate trained on an inner split of the training part; the best by the objective (ties: the first). */
function tune(spec: JobSpec, recipe: Recipe, train: TrainingData): Candidate {
  const t = spec.tuning!;
  const candidates = t.kind === 'automl'
    ? autoMLRecipes(t.solutionConfig?.autoMLConfig?.recipeList).map((r) => ({ recipe: r, params: trainingParams(r, undefined), tuned: {} }))
    : hpoCandidates(recipe, spec.params, t.solutionConfig?.hpoConfig, spec.seed);
  const inner = splitForEvaluation(train, spec.seed ^ 0x7e57);
  let best = candidates[0]!, bestScore = -Infinity;
  for (const c of candidates) {
    const model = c.recipe.load(c.recipe.train(inner.train, c.params, spec.seed), inner.train.itemIds.length);
    const m = evaluateModel(model, inner.test, inner.train.itemIds.length, itemPopularity(inner.train).uniqueUsers, {
      queryItem: c.recipe.recipeType === 'RELATED_ITEMS' ? 'last' : 'none',
    });
    const score = m[t.objective] ?? 0;
    if (score > bestScore) { best = c; bestScore = score; }
  }
  return best;
}

export function runJob(spec: JobSpec, progress: Progress = () => {}): JobResult {
  let recipe = recipeOf(spec.recipe);
  const { train, test } = splitFor(spec.data, spec.split, spec.seed);
  const t0 = performance.now();
  progress('train', 0);
  let params = spec.params, chosen: JobResult['chosen'];
  if (spec.tuning) {
    const best = tune(spec, recipe, train);
    recipe = best.recipe;
    params = best.params;
    chosen = { recipe: recipe.name, params: spec.tuning.kind === 'automl' ? {} : best.tuned };
  }
  const artifact = recipe.train(train, params, spec.seed);
  const trainSeconds = (performance.now() - t0) / 1000;
  const bundle = servingBundle(train, recipe, artifact, { maxTimestamp: train.maxTimestamp });
  const modelBytes = encodeBundle(bundle).byteLength;
  const model = recipe.load(artifact, train.itemIds.length);
  const t1 = performance.now();
  const sampleSet = new Set(spec.sampleUsers);
  const modelSamples = new Map(test.filter((t) => sampleSet.has(t.user)).map((t) => [t.user, [] as string[]]));
  const lists = scoreLists(recipe, model, train, test, spec, progress, modelSamples);
  const servedSamples = new Map([...modelSamples.keys()].map((u) => [u, [] as string[]]));
  const served = spec.served && servedLists({ recipe, model, bundle, train, data: spec.data, test, spec: spec.served, seed: spec.seed, objective: spec.evaluation.objective, samples: servedSamples, sampleLength: SAMPLE_LIST, progress });
  const samples: JobResult['samples'] = {};
  for (const [u, list] of modelSamples) samples[u] = { model: list, ...(served ? { served: servedSamples.get(u)! } : {}) };
  return {
    index: spec.index,
    testUsers: test.map((t) => t.user),
    historyLength: Int32Array.from(test, (t) => t.history.length),
    lists, ...(served ? { served } : {}), samples, modelBytes, trainSeconds,
    evaluateSeconds: (performance.now() - t1) / 1000,
    ...(chosen ? { chosen } : {}),
  };
}
