// A dataset group: its datasets (rows, latest import), solutions, campaigns, recommenders, filters, event
// trackers and batch jobs, each linking to its own page.
import { control, listAll, local } from '../api.js';
import { arn, facts, h, section, status, table } from '../dom.js';
import { count, newestFirst, recipeName, route, time } from '../format.js';
import type { View } from './context.js';

type Row = Record<string, any>;

export const groupView: View = async (groupArn, _params, ctx) => {
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: groupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name]]);
  const [datasets, solutions, recommenders, filters, trackers, inference, segments] = await Promise.all([
    listAll<Row>('ListDatasets', { datasetGroupArn: groupArn }, 'datasets'),
    listAll<Row>('ListSolutions', { datasetGroupArn: groupArn }, 'solutions'),
    listAll<Row>('ListRecommenders', { datasetGroupArn: groupArn }, 'recommenders'),
    listAll<Row>('ListFilters', { datasetGroupArn: groupArn }, 'Filters'),
    listAll<Row>('ListEventTrackers', { datasetGroupArn: groupArn }, 'eventTrackers'),
    listAll<Row>('ListBatchInferenceJobs', {}, 'batchInferenceJobs'),
    listAll<Row>('ListBatchSegmentJobs', {}, 'batchSegmentJobs'),
  ]);
  const [datasetInfo, solutionInfo, filterInfo, trackerInfo] = await Promise.all([
    Promise.all(datasets.map(async (d) => {
      const [overview, imports] = await Promise.all([
        local.dataset(d.datasetArn, 0).catch(() => undefined),
        listAll<Row>('ListDatasetImportJobs', { datasetArn: d.datasetArn }, 'datasetImportJobs', 1),
      ]);
      return { overview, latest: newestFirst(imports)[0] };
    })),
    Promise.all(solutions.map(async (s) => {
      const [versions, campaigns] = await Promise.all([
        listAll<Row>('ListSolutionVersions', { solutionArn: s.solutionArn }, 'solutionVersions'),
        listAll<Row>('ListCampaigns', { solutionArn: s.solutionArn }, 'campaigns'),
      ]);
      return { versions, campaigns };
    })),
    Promise.all(filters.map((f) => control('DescribeFilter', { filterArn: f.filterArn }).then((r) => r.filter as Row))),
    Promise.all(trackers.map((t) => control('DescribeEventTracker', { eventTrackerArn: t.eventTrackerArn }).then((r) => r.eventTracker as Row))),
  ]);
  const ofGroup = (versionArn: string) => solutions.some((s) => versionArn.startsWith(`${s.solutionArn}/`));
  const jobs = newestFirst([
    ...inference.filter((j) => ofGroup(j.solutionVersionArn)).map((j): Row => ({ ...j, arn: j.batchInferenceJobArn, kind: 'inference' })),
    ...segments.filter((j) => ofGroup(j.solutionVersionArn)).map((j): Row => ({ ...j, arn: j.batchSegmentJobArn, kind: 'segments' })),
  ]);
  const campaigns = solutions.flatMap((s, i) => solutionInfo[i]!.campaigns.map((c): Row => ({ ...c, solution: s })));

  return h('div', null,
    h('div', { class: 'title-row' },
      h('h1', null, g.name),
      h('a', { class: 'button', href: route('try', groupArn), 'data-test': 'try-group' }, 'Try it: recommendations for a user')),
    facts([['ARN', arn(groupArn, groupArn)], ['domain', g.domain ?? 'custom'], ['status', status(g.status)], ['created (UTC)', time(g.creationDateTime)]]),
    section('Datasets', table(['type', 'name', 'status', 'rows', 'latest import', ''],
      datasets.map((d, i) => {
        const { overview, latest } = datasetInfo[i]!;
        return [
          d.datasetType, h('a', { href: route('dataset', d.datasetArn), 'data-test': 'dataset-link' }, d.name), status(d.status),
          overview ? h('span', { title: `${count(overview.rows.imported)} imported, ${count(overview.rows.streamed)} streamed` }, count(overview.rows.total)) : '—',
          latest ? h('span', null, status(latest.status), ' ', latest.jobName, latest.failureReason ? h('div', { class: 'failure' }, latest.failureReason) : null) : h('span', { class: 'muted' }, 'none'),
          h('a', { href: route('dataset', d.datasetArn) }, 'rows & imports ›'),
        ];
      }), { empty: 'No datasets yet (CreateDataset).' })),
    section('Solutions', table(['name', 'recipe', 'status', 'versions', 'latest version'],
      solutions.map((s, i) => {
        const v = newestFirst(solutionInfo[i]!.versions)[0];
        return [h('a', { href: route('solution', s.solutionArn), 'data-test': 'solution-link' }, s.name), recipeName(s.recipeArn), status(s.status),
          solutionInfo[i]!.versions.length, v ? h('span', null, status(v.status), ' ', time(v.creationDateTime)) : h('span', { class: 'muted' }, 'none')];
      }), { empty: 'No solutions yet (CreateSolution).' })),
    section('Campaigns', table(['name', 'solution', 'status', 'created (UTC)', ''],
      campaigns.map((c) => [h('a', { href: route('campaign', c.campaignArn), 'data-test': 'campaign-link' }, c.name), c.solution.name, status(c.status), time(c.creationDateTime),
        h('a', { class: 'button small', href: route('try', groupArn, { a: c.campaignArn }) }, 'Try it')]),
      { empty: 'No campaigns yet (CreateCampaign).' })),
    recommenders.length || g.domain ? section('Recommenders', table(['name', 'use case', 'status', ''],
      recommenders.map((r) => [h('a', { href: route('recommender', r.recommenderArn) }, r.name), recipeName(r.recipeArn), status(r.status),
        h('a', { class: 'button small', href: route('try', groupArn, { a: r.recommenderArn }) }, 'Try it')]),
      { empty: 'No recommenders yet (CreateRecommender).' })) : null,
    section('Filters', table(['name', 'expression', 'status'],
      filterInfo.map((f) => [f.name, h('code', { class: 'expr' }, f.filterExpression), status(f.status)]), { empty: 'No filters (CreateFilter).' })),
    section('Event trackers', table(['name', 'trackingId', 'status', 'created (UTC)'],
      trackerInfo.map((t) => [t.name, h('code', null, t.trackingId), status(t.status), time(t.creationDateTime)]),
      { empty: 'No event tracker: PutEvents needs one (CreateEventTracker, or the button on the Try it page).' })),
    section('Batch jobs', table(['name', 'kind', 'solution version', 'status', 'created (UTC)'],
      jobs.map((j) => [h('a', { href: route('batch', j.arn) }, j.jobName), j.kind, arn(j.solutionVersionArn), status(j.status), time(j.creationDateTime)]),
      { empty: 'No batch inference or segment jobs.' })),
  );
};
