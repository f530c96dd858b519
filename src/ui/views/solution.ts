// A solution: recipe and configuration, its versions (status, training mode, time, failure reasons) and
// GetSolutionMetrics of the trained ones, as a table and a chart.
import { control, listAll } from '../api.js';
import { arn, errorBox, facts, h, json, section, status, table } from '../dom.js';
import { duration, newestFirst, recipeName, route, score, time } from '../format.js';
import { metricsSpec, renderChart, type MetricBar } from '../metrics-chart.js';
import type { View } from './context.js';

type Row = Record<string, any>;

/** Short, readable names of Personalize's metric keys (the table keeps the full key in its tooltip). */
function label(metric: string): string {
  return metric
    .replace('normalized_discounted_cumulative_gain', 'NDCG').replace('mean_reciprocal_rank', 'MRR')
    .replace(/_at_(\d+)$/, '@$1').replace(/_/g, ' ');
}

export const solutionView: View = async (solutionArn, _params, ctx) => {
  const { solution: s } = await control('DescribeSolution', { solutionArn });
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: s.datasetGroupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name, route('group', g.datasetGroupArn)], [`solution ${s.name}`]]);
  const summaries = await listAll<Row>('ListSolutionVersions', { solutionArn }, 'solutionVersions');
  const versions = newestFirst(await Promise.all(summaries.map((v) => control('DescribeSolutionVersion', { solutionVersionArn: v.solutionVersionArn }).then((r) => r.solutionVersion as Row))));
  const trained = versions.filter((v) => v.status === 'ACTIVE').slice(0, 10);
  const metrics = await Promise.all(trained.map((v) => control('GetSolutionMetrics', { solutionVersionArn: v.solutionVersionArn })
    .then((r) => (r.metrics ?? {}) as Record<string, number>).catch(() => ({} as Record<string, number>))));
  // By metric, then by list length: NDCG@5, @10, @25 together and in order.
  const at = (k: string) => Number(/_at_(\d+)$/.exec(k)?.[1] ?? 0);
  const keys = [...new Set(metrics.flatMap((m) => Object.keys(m)))]
    .sort((a, b) => a.replace(/_at_\d+$/, '').localeCompare(b.replace(/_at_\d+$/, '')) || at(a) - at(b));
  const versionLabel = (v: Row) => v.solutionVersionArn.slice(v.solutionVersionArn.lastIndexOf('/') + 1);

  const chart = h('div', { class: 'chart', 'data-test': 'metrics-chart' });
  const rateKeys = keys.filter((k) => metrics.every((m) => m[k] === undefined || (m[k]! >= 0 && m[k]! <= 1)));
  if (rateKeys.length) {
    const bars: MetricBar[] = trained.flatMap((v, i) => rateKeys.filter((k) => metrics[i]![k] !== undefined).map((k) => ({ metric: label(k), version: versionLabel(v), value: metrics[i]![k]! })));
    const width = Math.max(220, Math.min(560, (document.getElementById('view')?.clientWidth ?? 800) - 340));
    // Drawn once the element is in the page, so vega can measure its text.
    requestAnimationFrame(() => {
      renderChart(chart, metricsSpec(bars, rateKeys.map(label), trained.map(versionLabel), width)).catch((err) => chart.replaceChildren(errorBox(err)));
    });
  }

  return h('div', null,
    h('h1', null, `${s.name} `, h('span', { class: 'muted' }, recipeName(s.recipeArn))),
    facts([
      ['ARN', arn(solutionArn, solutionArn)], ['status', status(s.status)], ['recipe', h('code', null, s.recipeArn)],
      ['event type', s.eventType], ['HPO', s.performHPO ? 'yes' : 'no'], ['AutoML', s.performAutoML ? 'yes' : undefined],
      ['automatic training', s.performAutoTraining ? `yes (${s.solutionConfig?.autoTrainingConfig?.schedulingExpression ?? 'rate(7 days)'})` : 'no'],
      ['created (UTC)', time(s.creationDateTime)],
    ]),
    s.solutionConfig ? json('solutionConfig', s.solutionConfig) : null,
    section('Versions', table(['version', 'status', 'training mode', 'type', 'created (UTC)', 'training time', 'training hours'],
      versions.map((v) => [
        h('span', null, arn(v.solutionVersionArn), v.failureReason ? h('div', { class: 'failure' }, v.failureReason) : null),
        status(v.status), v.trainingMode ?? '—', v.trainingType ?? '—', time(v.creationDateTime),
        v.status === 'ACTIVE' || /FAILED/.test(v.status) ? duration(v.lastUpdatedDateTime - v.creationDateTime) : '…',
        v.trainingHours !== undefined ? score(v.trainingHours, 3) : '—',
      ]), { empty: 'No versions yet (CreateSolutionVersion).' })),
    section('Offline metrics (GetSolutionMetrics)', keys.length
      ? h('div', { class: 'metrics' },
        table(['metric', ...trained.map((v) => h('span', { title: v.solutionVersionArn }, versionLabel(v)))],
          keys.map((k) => [h('span', { title: k }, label(k)), ...metrics.map((m) => (m[k] === undefined ? '—' : score(m[k], 4)))]), { test: 'metrics-table' }),
        chart)
      : h('p', { class: 'muted empty' }, 'No metrics: they come with ACTIVE solution versions.')),
  );
};
