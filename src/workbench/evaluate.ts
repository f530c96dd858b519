// evaluate(): the offline evaluation workbench behind `personalize-local evaluate` and the package export.
// Parse the CSV files once, build each configuration's training data once, run configurations x seeds on the
// worker threads, then aggregate into results.json / results.csv / report.html.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnBatch } from '../engine/data/types.js';
import { InvalidInputException } from '../engine/errors.js';
import { splitForEvaluation } from '../engine/evaluation/split.js';
import { CUTOFFS, HEAD_SHARE, LIST_LENGTH, POPULARITY_RANK_EDGES, popularityRankBins } from '../engine/evaluation/per-user.js';
import { compileFilter } from '../engine/filters/index.js';
import { toFilterColumn } from '../engine/serving/filter-context.js';
import { objectiveWeight } from '../engine/serving/objective.js';
import { buildTrainingData, checkMinimumData } from '../engine/training/training-data.js';
import type { TrainingData } from '../recipes/types.js';
import { VERSION } from '../version.js';
import { compare, seedEstimate, summarizeLists } from './aggregate.js';
import { parseConfigText, resolveConfigurations, type Configuration } from './configs.js';
import { loadInput, type InputFiles, type LoadedDataset, type LoadedInput } from './input.js';
import type { JobResult, JobSpec, SplitSpec } from './job.js';
import { defaultWorkers, JobPool } from './pool.js';
import { resultsCsv } from './results-csv.js';
import { RESULTS_FORMAT, RESULTS_VERSION, type ConfigurationResult, type EvaluationResult, type SampleUser } from './results.js';
import { renderReport } from './report/report.js';
import type { ServedSpec } from './served.js';
import { shareTrainingData } from './shared.js';
import { parseSplit, type ParsedSplit } from './split-option.js';

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

/** Item ids -> the variant's item index, per row of a dataset keyed by `idColumn`. */
function rowTargets(batch: ColumnBatch, idColumn: string, ids: string[]): Int32Array {
  const index = new Map(ids.map((id, i) => [id, i]));
  const col = batch.columns[idColumn] as { dictionary: string[]; codes: Int32Array };
  const byCode = Int32Array.from(col.dictionary, (id) => index.get(id) ?? -1);
  return Int32Array.from({ length: batch.rowCount }, (_, r) => (col.codes[r]! >= 0 ? byCode[col.codes[r]!]! : -1));
}

function servedSpec(c: Configuration, data: TrainingData, input: LoadedInput, schemaInfo: Parameters<typeof compileFilter>[1]): ServedSpec | undefined {
  if (!c.served) return undefined;
  const e = c.entry;
  const spec: ServedSpec = { ...(e.campaignConfig ? { campaignConfig: e.campaignConfig } : {}) };
  if (e.filterExpression !== undefined) {
    const f = compileFilter(e.filterExpression, schemaInfo);
    const itemColumns: Record<string, ReturnType<typeof toFilterColumn> & object> = {}, userColumns: typeof itemColumns = {};
    const add = (ds: LoadedDataset | undefined, name: string, id: string, ids: string[], into: typeof itemColumns) => {
      const field = ds?.fields.find((x) => x.name === name);
      if (!ds || !field) return;
      const col = toFilterColumn(ds.batch, field, rowTargets(ds.batch, id, ids), ids.length);
      if (col) into[name] = col;
    };
    for (const field of f.fields) {
      const [dataset, name] = field.split('.') as [string, string];
      if (dataset.toUpperCase() === 'ITEMS') add(input.items, name, 'ITEM_ID', data.itemIds, itemColumns);
      if (dataset.toUpperCase() === 'USERS') add(input.users, name, 'USER_ID', data.userIds, userColumns);
    }
    spec.filter = { expression: e.filterExpression, ...(e.filterValues ? { values: e.filterValues } : {}), schemaInfo: schemaInfo ?? {}, itemColumns, userColumns };
  }
  return spec;
}

function objectiveFor(c: Configuration, data: TrainingData, items: LoadedDataset | undefined): JobSpec['evaluation']['objective'] {
  const o = c.entry.solutionConfig?.optimizationObjective;
  if (!o || !items) return undefined;
  const field = items.fields.find((f) => f.name === o.itemAttribute)!;
  const col = toFilterColumn(items.batch, field, rowTargets(items.batch, 'ITEM_ID', data.itemIds), data.itemIds.length);
  return { values: col?.kind === 'numeric' ? col.values : new Float64Array(data.itemIds.length).fill(NaN), lambda: objectiveWeight(o) };
}

/** Personalize's minimum-data check on what each distinct training set would train on (before a time cut: the rows before it). */
function checkData(configurations: Configuration[], whole: TrainingData, split: ParsedSplit, minimums: { interactions: number; usersWithTwoInteractions: number }, variantOf: (c: Configuration) => TrainingData): void {
  const checked = new Set<TrainingData>();
  for (const c of configurations) {
    const d = variantOf(c);
    if (checked.has(d)) continue;
    checked.add(d);
    const what = d === whole ? 'the interactions' : `the interactions ${c.name} trains on (after its eventType / eventsConfig / eventValueThreshold)`;
    const problem = checkMinimumData(split.spec.kind === 'time' ? timeTrainRows(d, split.spec.cut) : d, minimums);
    if (problem) {
      throw new InvalidInputException(`too little data in ${what}${split.spec.kind === 'time' ? ` before the cut ${split.label}` : ''}: ${problem.replace(/^Create failed\. /, '')}`);
    }
  }
}

/** The rows before a time cut as a TrainingData-like view, enough for the minimum-data check. */
function timeTrainRows(d: TrainingData, cut: number): TrainingData {
  const userPtr = new Int32Array(d.userPtr.length);
  let n = 0;
  for (let u = 0; u + 1 < d.userPtr.length; u++) {
    for (let p = d.userPtr[u]!; p < d.userPtr[u + 1]! && d.timestamps[p]! < cut; p++) n++;
    userPtr[u + 1] = n;
  }
  return { ...d, userPtr, itemIdx: new Int32Array(n) };
}

/** A few test users of the first seed, spread over history lengths, whose lists the report shows. */
function pickSamples(data: TrainingData, split: SplitSpec, seed: number, count: number): { user: string; history: Int32Array; relevant: Int32Array }[] {
  if (count <= 0) return [];
  const test = split.kind === 'time' ? [] : splitForEvaluation(data, seed).test;
  const users = split.kind === 'time' ? timeTestUsers(data, split.cut) : test;
  const withHistory = users.filter((t) => t.history.length > 0).sort((a, b) => a.history.length - b.history.length || (a.user < b.user ? -1 : 1));
  if (!withHistory.length) return [];
  const picks = new Set<number>();
  for (let k = 0; k < count; k++) picks.add(Math.min(withHistory.length - 1, Math.floor(((k + 0.5) / count) * withHistory.length)));
  return [...picks].map((i) => withHistory[i]!);
}

function timeTestUsers(data: TrainingData, cut: number): { user: string; history: Int32Array; relevant: Int32Array }[] {
  const out = [];
  for (let u = 0; u + 1 < data.userPtr.length; u++) {
    const s = data.userPtr[u]!, e = data.userPtr[u + 1]!;
    let p = s;
    while (p < e && data.timestamps[p]! < cut) p++;
    if (p < e) out.push({ user: data.userIds[u]!, history: data.itemIdx.slice(s, p), relevant: Int32Array.from(new Set(data.itemIdx.subarray(p, e))) });
  }
  return out;
}

function datasetInfo(d: LoadedDataset | undefined) {
  return d && { file: d.file, rows: d.batch.rowCount, schema: JSON.parse(d.schema), schemaInferred: !d.schemaGiven };
}

/** Item metadata shown beside the sample lists: every string or number column but the id, as text. */
function itemMetadata(items: LoadedDataset | undefined, ids: Set<string>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (!items) return out;
  const idCol = items.batch.columns.ITEM_ID as { dictionary: string[]; codes: Int32Array };
  const fields = items.fields.filter((f) => f.name !== 'ITEM_ID' && f.name !== 'CREATION_TIMESTAMP' && !f.textual);
  for (let r = 0; r < items.batch.rowCount; r++) {
    const id = idCol.dictionary[idCol.codes[r]!]!;
    if (!ids.has(id)) continue;
    const meta: Record<string, string> = {};
    for (const f of fields) {
      const col = items.batch.columns[f.name]!;
      if (col.type === 'string') { if (col.codes[r]! >= 0) meta[f.name] = col.dictionary[col.codes[r]!]!; } else if (!col.nulls?.[r]) meta[f.name] = String(col.values[r]);
    }
    out[id] = meta;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
    const common = {
      recipe: c.recipe, params: c.params, data: sharedOf(data), split: split.spec,
      ...(c.tuning ? { tuning: { ...c.tuning, ...(c.entry.solutionConfig ? { solutionConfig: c.entry.solutionConfig } : {}) } } : {}),
      evaluation: { ...(c.entry.solutionConfig?.eventsConfig?.eventParametersList?.length ? { eventWeights: true } : {}), ...(objectiveFor(c, data, input.items) ? { objective: objectiveFor(c, data, input.items) } : {}) },
      ...(c.served ? { served: servedSpec(c, data, input, schemaInfo) } : {}),
    };
    seeds.forEach((seed, si) => specs.push({ index: ci * seeds.length + si, seed, sampleUsers: si === 0 ? sampleIds : [], ...common }));
  });
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

function configurationResult(c: Configuration, jobs: JobResult[], baseJobs: JobResult[], base: Configuration, seeds: number[], rankBins: number): ConfigurationResult {
  const model = summarizeLists(jobs, (j) => j.lists, rankBins);
  const keys = Object.keys(jobs[0]!.lists.perUser);
  const vsBase = (pick: (j: JobResult) => JobResult['lists'] | undefined, pickBase: (j: JobResult) => JobResult['lists'] | undefined) => {
    const out: ConfigurationResult['model']['comparison'] = {};
    if (c.name === base.name) return out;
    for (const k of keys) { const r = compare(jobs, baseJobs, pick, pickBase, k, base.name); if (r) out[k] = r; }
    return out;
  };
  const result: ConfigurationResult = {
    name: c.name, recipe: c.recipe, recipeType: c.recipeType, solution: c.entry as Record<string, unknown>,
    isBaseline: c.name === base.name, addedAsBaseline: c.addedAsBaseline,
    modelBytes: seedEstimate(jobs.map((j) => j.modelBytes)),
    model: { ...model, comparison: vsBase((j) => j.lists, (j) => j.lists) },
  };
  if (jobs[0]!.served) {
    const served = summarizeLists(jobs, (j) => j.served, rankBins);
    const versusModel: Record<string, ReturnType<typeof compare> & object> = {};
    for (const k of keys) { const r = compare(jobs, jobs, (j) => j.served, (j) => j.lists, k, `${c.name} (model lists)`); if (r) versusModel[k] = r; }
    // Served lists against the baseline's: its served lists when it has them, else its model lists.
    const baseServed = baseJobs[0]!.served ? (j: JobResult) => j.served : (j: JobResult) => j.lists;
    result.served = { ...served, comparison: c.name === base.name ? {} : vsBase((j) => j.served, baseServed), versusModel };
  }
  if (c.tuning) {
    result.tuning = { kind: c.tuning.kind, objective: c.tuning.objective, chosen: jobs.map((j, s) => ({ seed: seeds[s]!, recipe: j.chosen!.recipe, params: j.chosen!.params })) };
  }
  return result;
}

function sampleSection(samples: ReturnType<typeof pickSamples>, configurations: Configuration[], byConfig: JobResult[][], whole: TrainingData, seed: number, items: LoadedDataset | undefined): EvaluationResult['samples'] {
  const users: SampleUser[] = samples.map((s) => ({
    user: s.user, seed, historyLength: s.history.length,
    history: Array.from(s.history.subarray(Math.max(0, s.history.length - 15)), (i) => whole.itemIds[i]!),
    relevant: Array.from(s.relevant, (i) => whole.itemIds[i]!),
    lists: Object.fromEntries(configurations.flatMap((c, ci) => {
      const l = byConfig[ci]![0]!.samples[s.user];
      return l ? [[c.name, l]] : [];
    })),
  }));
  const shown = new Set<string>();
  for (const u of users) {
    for (const i of [...u.history, ...u.relevant]) shown.add(i);
    for (const l of Object.values(u.lists)) for (const i of [...l.model, ...(l.served ?? [])]) shown.add(i);
  }
  return { users, itemMetadata: itemMetadata(items, shown) };
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
