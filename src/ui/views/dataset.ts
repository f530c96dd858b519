// A dataset: its schema, row counts, event types, import jobs (status, location, failure reasons) and its
// latest rows.
import { control, listAll, local } from '../api.js';
import { arn, facts, h, section, status, table } from '../dom.js';
import { count, duration, newestFirst, route, time } from '../format.js';
import type { View } from './context.js';

type Row = Record<string, any>;

export const datasetView: View = async (datasetArn, params, ctx) => {
  const limit = Math.min(100, Math.max(1, Number(params.get('rows') ?? 20) || 20));
  const [{ dataset: d }, overview, jobs] = await Promise.all([
    control('DescribeDataset', { datasetArn }),
    local.dataset(datasetArn, limit),
    listAll<Row>('ListDatasetImportJobs', { datasetArn }, 'datasetImportJobs'),
  ]);
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: d.datasetGroupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name, route('group', g.datasetGroupArn)], [`${d.datasetType} dataset ${d.name}`]]);
  const latest = newestFirst(jobs).slice(0, 20);
  const described = await Promise.all(latest.map((j) => control('DescribeDatasetImportJob', { datasetImportJobArn: j.datasetImportJobArn }).then((r) => r.datasetImportJob as Row)));
  const { rows } = overview;
  return h('div', null,
    h('h1', null, `${d.name} `, h('span', { class: 'muted' }, d.datasetType)),
    facts([
      ['ARN', arn(datasetArn, datasetArn)], ['status', status(d.status)], ['schema', arn(d.schemaArn)],
      ['rows', h('span', { 'data-test': 'row-count' }, `${count(rows.total)} (${count(rows.imported)} imported, ${count(rows.streamed)} streamed)`)],
      ['users', overview.users !== undefined ? count(overview.users) : undefined],
      ['items', overview.items !== undefined ? count(overview.items) : undefined],
      ['trackingId', d.trackingId],
    ]),
    section('Schema', table(['field', 'type', 'nullable', 'categorical', 'textual'],
      overview.fields.map((f) => [h('code', null, f.name), f.type, f.nullable ? 'yes' : '', f.categorical ? 'yes' : '', f.textual ? 'yes' : '']))),
    overview.eventTypes?.length ? section('Event types', table(['EVENT_TYPE', 'rows'], overview.eventTypes.map((e) => [e.eventType, count(e.rows)]))) : null,
    section('Import jobs', table(['job', 'mode', 'status', 'data location', 'created (UTC)', 'took'],
      described.map((j) => [
        h('span', null, j.jobName, j.failureReason ? h('div', { class: 'failure', 'data-test': 'import-failure' }, j.failureReason) : null),
        j.importMode ?? 'FULL', status(j.status), h('code', { class: 'path' }, j.dataSource?.dataLocation ?? '—'), time(j.creationDateTime),
        /ACTIVE|FAILED/.test(j.status) ? duration(j.lastUpdatedDateTime - j.creationDateTime) : '…',
      ]), { empty: 'No import jobs: rows come from CreateDatasetImportJob (or PutEvents / PutItems / PutUsers).' }),
      jobs.length > latest.length ? h('p', { class: 'muted' }, `The latest ${latest.length} of ${jobs.length} jobs.`) : null),
    section(`Latest rows (${count(overview.sample.rows.length)} of ${count(rows.total)})`,
      table(['#', ...overview.fields.map((f) => f.name)],
        overview.sample.rows.map((r, i) => [String(overview.sample.from + i + 1), ...r.map((v) => (v === null ? h('span', { class: 'muted' }, 'null') : v))]),
        { class: 'rows', empty: 'No rows yet.', test: 'sample-rows' }),
      h('p', { class: 'muted' }, 'Imported rows first, then rows streamed with PutEvents / PutItems / PutUsers (the newest last). ',
        limit < 100 ? h('a', { href: route('dataset', datasetArn, { rows: '100' }) }, 'Show 100 rows') : null)),
  );
};
