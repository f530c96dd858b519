// A batch inference or batch segment job: status, input and output locations, settings, and the first lines
// of its output files.
import { control, local } from '../api.js';
import { arn, facts, h, json, section, status, table } from '../dom.js';
import { count, duration, route, time } from '../format.js';
import type { View } from './context.js';

export const batchJobView: View = async (jobArn, _params, ctx) => {
  const segment = jobArn.includes(':batch-segment-job/');
  const job = segment
    ? (await control('DescribeBatchSegmentJob', { batchSegmentJobArn: jobArn })).batchSegmentJob
    : (await control('DescribeBatchInferenceJob', { batchInferenceJobArn: jobArn })).batchInferenceJob;
  const { solutionVersion: v } = await control('DescribeSolutionVersion', { solutionVersionArn: job.solutionVersionArn });
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: v.datasetGroupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name, route('group', g.datasetGroupArn)], [`batch ${segment ? 'segment' : 'inference'} job ${job.jobName}`]]);
  const done = /ACTIVE|FAILED/.test(job.status);
  const output = done ? await local.batchOutput(jobArn, 10) : undefined;
  return h('div', null,
    h('h1', null, `${job.jobName} `, h('span', { class: 'muted' }, segment ? 'batch segment job' : 'batch inference job')),
    facts([
      ['ARN', arn(jobArn, jobArn)], ['status', status(job.status)],
      ['solution', h('a', { href: route('solution', v.solutionArn) }, v.solutionArn.slice(v.solutionArn.lastIndexOf('/') + 1))],
      ['solution version', arn(job.solutionVersionArn)],
      ['input', h('code', { class: 'path' }, job.jobInput?.s3DataSource?.path)], ['output', h('code', { class: 'path' }, job.jobOutput?.s3DataDestination?.path)],
      ['filter', job.filterArn ? arn(job.filterArn) : undefined], ['numResults', job.numResults !== undefined ? String(job.numResults) : undefined],
      ['mode', job.batchInferenceJobMode], ['created (UTC)', time(job.creationDateTime)],
      ['took', done ? duration(job.lastUpdatedDateTime - job.creationDateTime) : undefined],
      ['failure', job.failureReason ? h('span', { class: 'failure' }, job.failureReason) : undefined],
    ]),
    job.batchInferenceJobConfig ? json('batchInferenceJobConfig', job.batchInferenceJobConfig) : null,
    section('Output', !output
      ? h('p', { class: 'muted empty' }, 'The job has not finished yet.')
      : [
        output.note ? h('p', { class: 'muted' }, output.note) : null,
        output.files.map((f) => h('div', { class: 'output-file' },
          h('h3', null, f.name, h('span', { class: 'muted' }, ` ${count(f.bytes)} bytes`)),
          table(['line', 'content'], f.lines.map((l, i) => [String(i + 1), h('code', { class: 'line' }, l)]), { class: 'lines', empty: 'Empty file.', test: 'output-lines' }),
          f.more ? h('p', { class: 'muted' }, `The first ${f.lines.length} lines.`) : null)),
      ]),
  );
};
