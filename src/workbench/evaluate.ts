// evaluate(): the offline evaluation workbench behind `personalize-local evaluate` and the package export.
// Parse the CSV files once, build each configuration's training data once, run configurations x seeds on the
// worker threads, then aggregate into results.json / results.csv / report.html.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputException } from '../engine/errors.js';
import { CUTOFFS, HEAD_SHARE, LIST_LENGTH, POPULARITY_RANK_EDGES, popularityRankBins } from '../engine/evaluation/per-user.js';
import { buildTrainingData } from '../engine/training/training-data.js';
import type { TrainingData } from '../recipes/types.js';
import { VERSION } from '../version.js';
import { seedEstimate } from './aggregate.js';
import { configurationResult, datasetInfo, pickSamples, sampleSection } from './document.js';
import { checkData, objectiveFor, servedSpec } from './plan.js';
import { parseConfigText, resolveConfigurations, type Configuration } from './configs.js';
import { loadInput, type InputFiles } from './input.js';
import type { JobSpec } from './job.js';
import { defaultWorkers, JobPool } from './pool.js';
import { resultsCsv } from './results-csv.js';
import { RESULTS_FORMAT, RESULTS_VERSION, type EvaluationResult } from './results.js';
import { renderReport } from './report/report.js';
import { loadVega } from './report/svg.js';
import { shareTrainingData } from './shared.js';
import { parseSplit } from './split-option.js';

export interface EvaluateOptions extends InputFiles {
  /** Recipe names (or ARNs) to compare with their defaults. */
  recipes?: string[];
  /** A JSON file holding a list of CreateSolution inputs, or the list itself. */
  config?: string | unknown[];
  /** The configuration (or recipe) every other is compared with. Default aws-popularity-count. */
  baseline?: string;
  /** How many split seeds (default 5): seeds firstSeed .. firstSeed + seeds - 1. */
  seeds?: number;
  firstSeed?: number;
  /** 'personalize' (default), 'time:<ISO date>' or 'last:<N>d'. */
  split?: string;
  /** Output folder (default ./evaluation); false writes no files. */
  out?: string | false;
  /** Worker threads (default: one per core); 0 runs every job on the calling thread. */
  workers?: number;
  /** Personalize's minimum-data checks (default 1000 interactions, 25 users with at least 2). */
  minimums?: { interactions: number; usersWithTwoInteractions: number };
  /** Test users whose lists the report shows side by side (default 4). */
  sampleUsers?: number;
  onProgress?: (event: EvaluationProgress) => void;
}

export type EvaluationProgress =
  | { type: 'parsed'; seconds: number; interactions: number }
  | { type: 'jobs'; jobs: { index: number; configuration: string; seed: number }[]; workers: number }
  | { type: 'job'; index: number; stage: 'train' | 'evaluate' | 'serve' | 'done'; fraction: number; result?: { ndcg10: number; trainSeconds: number } }
  | { type: 'written'; files: string[] };

const DEFAULT_MINIMUMS = { interactions: 1000, usersWithTwoInteractions: 25 };
const DEFAULT_RECIPES = ['aws-user-personalization', 'aws-sims'];

function integerOption(name: string, v: number | undefined, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v < min || v > max) throw new InvalidInputException(`${name} must be an integer from ${min} to ${max} (got ${v}).`);
  return v;
}

export async function evaluate(options: EvaluateOptions = {}): Promise<EvaluationResult> {
  const t0 = performance.now();
  const workers = integerOption('workers', options.workers, defaultWorkers(), 0, 256);
  // The threads boot while the files are parsed.
  const pool = new JobPool(workers);
  try {
    return await evaluateWith(pool, options, t0);
  } finally {
    await pool.close();
  }
}

async function evaluateWith(pool: JobPool, options: EvaluateOptions, t0: number): Promise<EvaluationResult> {
  const workers = pool.workers;
  const emit = options.onProgress ?? (() => {});
  const seedsN = integerOption('seeds', options.seeds, 5, 1, 100);
  const firstSeed = integerOption('firstSeed', options.firstSeed, 1, 0, 2 ** 31 - 101);
  const samplesN = integerOption('sampleUsers', options.sampleUsers, 4, 0, 20);
  const minimums = options.minimums ?? DEFAULT_MINIMUMS;
  const seeds = Array.from({ length: seedsN }, (_, i) => firstSeed + i);
  const entries = options.config === undefined ? [] : typeof options.config === 'string'
    ? parseConfigText(readConfigFile(options.config), options.config) : options.config;
  if (!Array.isArray(entries)) throw new InvalidInputException('config must be a list of CreateSolution inputs.');
  const recipes = options.recipes ?? (entries.length ? [] : DEFAULT_RECIPES);

  const input = await loadInput(options);
  const ctx = { interactions: input.interactions.fields, items: input.items?.fields, users: input.users?.fields };
  const { configurations, baseline } = resolveConfigurations(recipes, entries, options.baseline ?? 'aws-popularity-count', ctx,
    typeof options.config === 'string' ? options.config : 'config');
  const itemsInput = input.items && { batch: input.items.batch, fields: input.items.fields };
  const whole = buildTrainingData(input.interactions.batch, itemsInput);
  const split = parseSplit(options.split, whole);
  const parseSeconds = (performance.now() - t0) / 1000;
  emit({ type: 'parsed', seconds: parseSeconds, interactions: input.interactions.batch.rowCount });

  // One TrainingData per distinct event filtering, shared by every job that trains on it.
  const variants = new Map<string, TrainingData>();
  const variantOf = (c: Configuration) => {
    const key = JSON.stringify(c.dataConfig);
    let d = variants.get(key);
    if (!d) variants.set(key, (d = key === '{}' ? whole : buildTrainingData(input.interactions.batch, itemsInput, c.dataConfig)));
    return d;
  };
  checkData(configurations, whole, split, minimums, variantOf);
  const shared = new Map<TrainingData, TrainingData>();
  const sharedOf = (d: TrainingData) => { let s = shared.get(d); if (!s) shared.set(d, (s = shareTrainingData(d))); return s; };

  const schemaInfo = { items: ctx.items, users: ctx.users, interactions: { hasEventType: ctx.interactions.some((f) => f.name === 'EVENT_TYPE') } };
  const samples = pickSamples(whole, split.spec, seeds[0]!, samplesN);
  const sampleIds = samples.map((s) => s.user);
  const specs: JobSpec[] = [];
  configurations.forEach((c, ci) => {
    const data = variantOf(c);
    const objective = objectiveFor(c, data, input.items);
    const common = {
      recipe: c.recipe, params: c.params, data: sharedOf(data), split: split.spec,
      ...(c.tuning ? { tuning: { ...c.tuning, ...(c.entry.solutionConfig ? { solutionConfig: c.entry.solutionConfig } : {}) } } : {}),
      evaluation: { ...(c.entry.solutionConfig?.eventsConfig?.eventParametersList?.length ? { eventWeights: true } : {}), ...(objective ? { objective } : {}) },
      ...(c.served ? { served: servedSpec(c, data, input, schemaInfo) } : {}),
    };
    seeds.forEach((seed, si) => specs.push({ index: ci * seeds.length + si, seed, sampleUsers: si === 0 ? sampleIds : [], ...common }));
  });
  // The report's chart library loads while the workers train (the main thread waits for them anyway).
  if (options.out !== false) void loadVega().catch(() => {});
  emit({ type: 'jobs', workers, jobs: specs.map((s) => ({ index: s.index, configuration: configurations[Math.floor(s.index / seeds.length)]!.name, seed: s.seed })) });
  const results = await pool.run(specs, (index, stage, fraction, result) => {
    emit({ type: 'job', index, stage, fraction, ...(result ? { result: { ndcg10: result.lists.metrics.normalized_discounted_cumulative_gain_at_10 ?? NaN, trainSeconds: result.trainSeconds } } : {}) });
  });

  const byConfig = configurations.map((_, ci) => results.slice(ci * seeds.length, (ci + 1) * seeds.length));
  // Rank bins up to the one holding the least popular item.
  const rankBins = POPULARITY_RANK_EDGES.findIndex((e) => e >= whole.itemIds.length) + 1;
  const baseIndex = configurations.findIndex((c) => c.name === baseline);
  const doc: EvaluationResult = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    generator: `personalize-local ${VERSION}`,
    input: {
      interactions: datasetInfo(input.interactions)!,
      ...(input.items ? { items: datasetInfo(input.items) } : {}),
      ...(input.users ? { users: datasetInfo(input.users) } : {}),
      userCount: whole.userIds.length,
      itemCount: new Set(whole.itemIdx).size,
    },
    protocol: {
      split: split.spec.kind === 'time'
        ? { kind: 'time', cut: new Date(split.spec.cut * 1000).toISOString(), cutEpochSeconds: split.spec.cut, spec: split.label }
        : { kind: 'personalize', testUserShare: 0.1, inputShare: 0.9 },
      seeds, listLength: LIST_LENGTH, cutoffs: [...CUTOFFS], baseline, headShare: HEAD_SHARE, popularityRankBins: popularityRankBins().slice(0, rankBins),
      intervals: seeds.length > 1
        ? 'mean over seeds of each seed\'s mean over its test users; 95% Student-t interval over the seed means'
        : 'mean over the test users of the one seed; 95% Student-t interval over users',
      pairedTest: 'per test user, the difference to the baseline averaged over the seeds that held the user out; paired t-test over users, two-sided',
    },
    configurations: configurations.map((c, ci) => configurationResult(c, byConfig[ci]!, byConfig[baseIndex]!, configurations[baseIndex]!, seeds, rankBins)),
    samples: sampleSection(samples, configurations, byConfig, whole, seeds[0]!, input.items),
    timing: {
      workers,
      wallSeconds: round3((performance.now() - t0) / 1000),
      parseSeconds: round3(parseSeconds),
      trainSeconds: Object.fromEntries(configurations.map((c, ci) => [c.name, seedEstimate(byConfig[ci]!.map((j) => j.trainSeconds))])),
      jobs: results.map((j) => ({ configuration: configurations[Math.floor(j.index / seeds.length)]!.name, seed: seeds[j.index % seeds.length]!, trainSeconds: round3(j.trainSeconds), evaluateSeconds: round3(j.evaluateSeconds) })),
    },
  };
  if (options.out !== false) await writeOutputs(doc, options.out ?? 'evaluation', emit);
  return doc;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvalidInputException(`cannot read the config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

async function writeOutputs(doc: EvaluationResult, dir: string, emit: (e: EvaluationProgress) => void): Promise<void> {
  const html = await renderReport(doc);
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'results.json'), join(dir, 'results.csv'), join(dir, 'report.html')];
  writeFileSync(files[0]!, JSON.stringify(doc, null, 2) + '\n');
  writeFileSync(files[1]!, resultsCsv(doc));
  writeFileSync(files[2]!, html);
  emit({ type: 'written', files });
}
