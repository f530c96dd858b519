// results.csv: one row per configuration, kind of list, segment and metric, with its interval and the
// paired test against the baseline, for spreadsheets and dataframes.
import type { Comparison, EvaluationResult, Estimate, ListsResult } from './results.js';

const HEADER = ['configuration', 'recipe', 'lists', 'segment', 'metric', 'mean', 'low', 'high', 'n',
  'baseline', 'difference', 'difference_low', 'difference_high', 'p_value', 'paired_users'];

function cell(v: string | number | null | undefined): string {
  if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function rows(config: string, recipe: string, kind: string, l: ListsResult): (string | number)[][] {
  const out: (string | number)[][] = [];
  const row = (segment: string, metric: string, e: Estimate, c?: Comparison) => out.push([config, recipe, kind, segment, metric, e.mean, e.low, e.high, e.n,
    c?.against ?? '', c?.difference ?? NaN, c?.low ?? NaN, c?.high ?? NaN, c?.pValue ?? NaN, c?.users ?? NaN]);
  for (const [metric, e] of Object.entries(l.metrics)) row('all', metric, e, l.comparison[metric]);
  l.ndcgCurve.forEach((e, k) => { const m = `normalized_discounted_cumulative_gain_at_${k + 1}`; if (!l.metrics[m]) row('all', m, e); });
  for (const s of l.segments) for (const [metric, e] of Object.entries(s.metrics)) row(`history ${s.segment}`, metric, e);
  return out;
}

export function resultsCsv(doc: EvaluationResult): string {
  const lines = [HEADER.join(',')];
  for (const c of doc.configurations) {
    const all = [...rows(c.name, c.recipe, 'model', c.model), ...(c.served ? rows(c.name, c.recipe, 'served', c.served) : [])];
    all.push([c.name, c.recipe, 'model', 'all', 'model_bytes', c.modelBytes.mean, c.modelBytes.low, c.modelBytes.high, c.modelBytes.n]);
    for (const r of all) lines.push(r.map(cell).join(','));
  }
  return lines.join('\n') + '\n';
}
