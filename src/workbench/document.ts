// The results document's parts that are not aggregates: configurations' results from their jobs, the sample
// users shown in the report, and the input's description.
import { splitForEvaluation } from '../engine/evaluation/split.js';
import type { TrainingData } from '../recipes/types.js';
import { compare, seedEstimate, summarizeLists } from './aggregate.js';
import type { Configuration } from './configs.js';
import type { LoadedDataset } from './input.js';
import type { JobResult, SplitSpec } from './job.js';
import type { ConfigurationResult, EvaluationResult, SampleUser } from './results.js';

/** A few test users of the first seed, spread over history lengths, whose lists the report shows. */
export function pickSamples(data: TrainingData, split: SplitSpec, seed: number, count: number): { user: string; history: Int32Array; relevant: Int32Array }[] {
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

export function datasetInfo(d: LoadedDataset | undefined) {
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

export function configurationResult(c: Configuration, jobs: JobResult[], baseJobs: JobResult[], base: Configuration, seeds: number[], rankBins: number): ConfigurationResult {
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

export function sampleSection(samples: ReturnType<typeof pickSamples>, configurations: Configuration[], byConfig: JobResult[][], whole: TrainingData, seed: number, items: LoadedDataset | undefined): EvaluationResult['samples'] {
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
