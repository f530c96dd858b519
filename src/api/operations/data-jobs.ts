// Dataset export jobs, data deletion jobs and metric attributions.
import type { Engine } from '../../engine/core/engine.js';
import { createDataDeletionJob } from '../../engine/resources/data-deletion.js';
import { createDatasetExportJob } from '../../engine/resources/exports.js';
import { createMetricAttribution, metricsOf, updateMetricAttribution } from '../../engine/resources/metric-attributions.js';
import type { PersonalizeApi } from '../api.js';
import { paginate } from '../paginate.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerDataJobOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateDatasetExportJob', async (i: In) => ({ datasetExportJobArn: await createDatasetExportJob(e, i as never) }));
  registerDescribe(api, e, 'DescribeDatasetExportJob', 'datasetExportJob', 'datasetExportJob');
  registerList(api, e, 'ListDatasetExportJobs', 'datasetExportJob', 'datasetExportJobs', { member: 'datasetArn', kind: 'dataset' });

  api.register('CreateDataDeletionJob', async (i: In) => ({ dataDeletionJobArn: await createDataDeletionJob(e, i as never) }));
  registerDescribe(api, e, 'DescribeDataDeletionJob', 'dataDeletionJob', 'dataDeletionJob');
  registerList(api, e, 'ListDataDeletionJobs', 'dataDeletionJob', 'dataDeletionJobs', { member: 'datasetGroupArn', kind: 'datasetGroup' }, undefined, 'newest first');

  api.register('CreateMetricAttribution', (i: In) => ({ metricAttributionArn: createMetricAttribution(e, i as never) }));
  api.register('UpdateMetricAttribution', (i: In) => ({ metricAttributionArn: updateMetricAttribution(e, i as never) }));
  api.register('DeleteMetricAttribution', (i: In) => { e.store.get('metricAttribution', i.metricAttributionArn); e.store.remove(i.metricAttributionArn); return undefined; });
  registerDescribe(api, e, 'DescribeMetricAttribution', 'metricAttribution', 'metricAttribution');
  registerList(api, e, 'ListMetricAttributions', 'metricAttribution', 'metricAttributions', { member: 'datasetGroupArn', kind: 'datasetGroup' });
  api.register('ListMetricAttributionMetrics', (i: In) => {
    const recs = i.metricAttributionArn ? [e.store.get('metricAttribution', i.metricAttributionArn)] : e.store.list('metricAttribution');
    const metrics = recs.flatMap((r) => metricsOf(r).map((m) => ({ ...m, key: `${String(r.seq).padStart(12, '0')}/${m.metricName}` })));
    const { page, nextToken } = paginate(metrics, (m) => m.key, i.maxResults, i.nextToken);
    return { metrics: page.map(({ key: _k, ...m }) => m), ...(nextToken ? { nextToken } : {}) };
  });
}
