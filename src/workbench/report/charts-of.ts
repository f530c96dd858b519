// The report's charts: results.json's figures reshaped into each chart module's plain data, rendered to SVG.
import { accuracyCoverageSpec, type TradeoffPoint } from '../charts/accuracy-coverage.js';
import { groupedBarsSpec, type GroupedBar } from '../charts/grouped-bars.js';
import { horizontalBarsSpec } from '../charts/horizontal-bars.js';
import { ndcgCurveSpec, type CurvePoint } from '../charts/ndcg-curve.js';
import { popularitySpec, type PopularityBin } from '../charts/popularity.js';
import type { EvaluationResult } from '../results.js';
import { toSvg } from './svg.js';

export interface Figure { id: string; svg: string; caption: string }

const NDCG10 = 'normalized_discounted_cumulative_gain_at_10';

export async function figures(doc: EvaluationResult): Promise<Figure[]> {
  const names = doc.configurations.map((c) => c.name);
  const curve: CurvePoint[] = doc.configurations.flatMap((c) => c.model.ndcgCurve.map((e, k) => ({ configuration: c.name, k: k + 1, ...pick(e, 1) })));
  const tradeoff: TradeoffPoint[] = doc.configurations.flatMap((c) => [c.model, ...(c.served ? [c.served] : [])].map((l, i) => ({
    configuration: c.name, lists: i === 0 ? 'model' as const : 'served' as const,
    coverage: l.metrics.coverage!.mean, coverageLow: Math.max(0, l.metrics.coverage!.low), coverageHigh: Math.min(1, l.metrics.coverage!.high),
    accuracy: l.metrics[NDCG10]!.mean, accuracyLow: Math.max(0, l.metrics[NDCG10]!.low), accuracyHigh: Math.min(1, l.metrics[NDCG10]!.high),
  })));
  const segments: GroupedBar[] = doc.configurations.flatMap((c) => c.model.segments.map((s) => ({
    group: `${s.segment} (${Math.round(s.users)} users)`, configuration: c.name, ...pick(s.metrics[NDCG10]!, 1),
  })));
  const headTail: GroupedBar[] = doc.configurations.flatMap((c) => [
    { group: 'head items', configuration: c.name, ...pick(c.model.metrics.recall_at_25_head_items!, 1) },
    { group: 'tail items', configuration: c.name, ...pick(c.model.metrics.recall_at_25_tail_items!, 1) },
  ]);
  const rankBins = doc.protocol.popularityRankBins;
  const popularity: PopularityBin[] = doc.configurations.flatMap((c) => c.model.popularityHistogram.map((share, b) => ({ configuration: c.name, bin: rankBins[b]!, share })));
  const training = doc.configurations.map((c) => ({ configuration: c.name, ...pick(doc.timing.trainSeconds[c.name]!) }));
  const segLabel = doc.protocol.split.kind === 'time' ? 'interactions before the cut' : 'interactions in the input history';
  const specs = [
    { id: 'ndcg-curve', spec: ndcgCurveSpec(curve, names), caption: 'NDCG@K of each configuration\'s lists (input history left out) for list lengths 1 to 25; the band is the 95% interval.' },
    { id: 'accuracy-coverage', spec: accuracyCoverageSpec(tradeoff, names), caption: 'Accuracy against the share of the catalogue that reaches any test user\'s top 25. Whiskers are 95% intervals; diamonds are served lists (campaignConfig / filter).' },
    { id: 'segments', spec: groupedBarsSpec(segments, names, { title: 'NDCG@10 by user history length', groupTitle: segLabel, valueTitle: 'NDCG@10' }), caption: 'Test users grouped by how many interactions the model was given for them. Cold and light users are where recipes differ most.' },
    { id: 'head-tail', spec: groupedBarsSpec(headTail, names, { title: 'Recall@25 on head and tail items', groupTitle: 'held-out items by popularity', valueTitle: 'recall@25' }), caption: `Recall of held-out items that are head items (the most interacted items that together hold ${Math.round(doc.protocol.headShare * 100)}% of the training interactions) and of the rest (tail).` },
    { id: 'popularity', spec: popularitySpec(popularity, rankBins, names), caption: 'Where recommended items rank by popularity in the training data: a recipe that mostly recommends what everyone already had piles up on the left.' },
    { id: 'training', spec: horizontalBarsSpec(training, names, { title: 'Training time', valueTitle: 'seconds per model (95% interval over seeds)' }), caption: `Seconds to train one model on this machine (${doc.timing.workers} worker thread(s)); wall-clock figures vary run to run.` },
  ];
  return Promise.all(specs.map(async (s) => ({ id: s.id, svg: await toSvg(s.spec), caption: s.caption })));
}

function pick(e: { mean: number; low: number; high: number }, max = Infinity) {
  // A segment or item class no test user fell into has no value: draw it as 0 rather than leave a gap in the data.
  // Every figure drawn is a rate (at most `max`) or a duration: a t-interval beyond the range is drawn to its edge.
  const ok = (x: number) => (Number.isFinite(x) ? x : 0);
  return { mean: ok(e.mean), low: Math.max(0, ok(e.low)), high: Math.min(max, ok(e.high)) };
}
