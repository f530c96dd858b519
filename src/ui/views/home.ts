// The first page: every dataset group, with what it holds at a glance.
import { control, listAll } from '../api.js';
import { h, section, status, table } from '../dom.js';
import { route, time } from '../format.js';
import type { View } from './context.js';

interface GroupSummary { name: string; datasetGroupArn: string; status?: string; domain?: string; creationDateTime?: number }

export const homeView: View = async (_arn, _params, ctx) => {
  const groups = await listAll<GroupSummary>('ListDatasetGroups', {}, 'datasetGroups');
  const health = ctx.health();
  const counts = await Promise.all(groups.map(async (g) => {
    const [datasets, solutions, recommenders] = await Promise.all([
      control('ListDatasets', { datasetGroupArn: g.datasetGroupArn, maxResults: 100 }),
      control('ListSolutions', { datasetGroupArn: g.datasetGroupArn, maxResults: 100 }),
      control('ListRecommenders', { datasetGroupArn: g.datasetGroupArn, maxResults: 100 }),
    ]);
    return { datasets: datasets.datasets.length as number, solutions: solutions.solutions.length as number, recommenders: recommenders.recommenders.length as number };
  }));
  return h('div', null,
    section('Dataset groups',
      table(['name', 'domain', 'status', 'datasets', 'solutions', 'recommenders', 'created (UTC)', ''],
        groups.map((g, i) => [
          h('a', { href: route('group', g.datasetGroupArn), 'data-test': 'group-link' }, g.name),
          g.domain ?? 'custom', status(g.status), counts[i]!.datasets, counts[i]!.solutions, counts[i]!.recommenders, time(g.creationDateTime),
          h('a', { class: 'button small', href: route('try', g.datasetGroupArn) }, 'Try it'),
        ]),
        { empty: 'No dataset groups yet. Create one with CreateDatasetGroup from the SDK (see the README\'s quick start); this page shows what the API holds.' })),
    health ? h('p', { class: 'muted foot' }, `personalize-local ${health.version} · state: ${health.dataDir ?? '—'} · transitions: ${health.transitions ?? '—'} · this console only reads, except Try it's events, event trackers it is asked to create, and the clock.`) : null,
  );
};
