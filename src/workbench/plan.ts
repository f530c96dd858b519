// From checked configurations to job specs: what each job needs beside the shared training data (filter
// columns aligned with the data's numbering, the objective's item values), and the minimum-data checks.
import type { ColumnBatch } from '../engine/data/types.js';
import { InvalidInputException } from '../engine/errors.js';
import { compileFilter } from '../engine/filters/index.js';
import { toFilterColumn } from '../engine/serving/filter-context.js';
import { objectiveWeight } from '../engine/training/objective.js';
import { checkMinimumData } from '../engine/training/training-data.js';
import type { TrainingData } from '../recipes/types.js';
import type { Configuration } from './configs.js';
import type { LoadedDataset, LoadedInput } from './input.js';
import type { JobSpec } from './job.js';
import type { ServedSpec } from './served.js';
import type { ParsedSplit } from './split-option.js';

/** Item ids -> the variant's item index, per row of a dataset keyed by `idColumn`. */
function rowTargets(batch: ColumnBatch, idColumn: string, ids: string[]): Int32Array {
  const index = new Map(ids.map((id, i) => [id, i]));
  const col = batch.columns[idColumn] as { dictionary: string[]; codes: Int32Array };
  const byCode = Int32Array.from(col.dictionary, (id) => index.get(id) ?? -1);
  return Int32Array.from({ length: batch.rowCount }, (_, r) => (col.codes[r]! >= 0 ? byCode[col.codes[r]!]! : -1));
}

export function servedSpec(c: Configuration, data: TrainingData, input: LoadedInput, schemaInfo: Parameters<typeof compileFilter>[1]): ServedSpec | undefined {
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

export function objectiveFor(c: Configuration, data: TrainingData, items: LoadedDataset | undefined): JobSpec['evaluation']['objective'] {
  const o = c.entry.solutionConfig?.optimizationObjective;
  if (!o || !items) return undefined;
  const field = items.fields.find((f) => f.name === o.itemAttribute)!;
  const col = toFilterColumn(items.batch, field, rowTargets(items.batch, 'ITEM_ID', data.itemIds), data.itemIds.length);
  return { values: col?.kind === 'numeric' ? col.values : new Float64Array(data.itemIds.length).fill(NaN), lambda: objectiveWeight(o) };
}

/** Personalize's minimum-data check on what each distinct training set would train on (before a time cut: the rows before it). */
export function checkData(configurations: Configuration[], whole: TrainingData, split: ParsedSplit, minimums: { interactions: number; usersWithTwoInteractions: number }, variantOf: (c: Configuration) => TrainingData): void {
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
