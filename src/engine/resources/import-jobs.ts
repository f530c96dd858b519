// CreateDatasetImportJob: CSV files -> schema-checked columns -> the dataset's Arrow file. A failed
// import changes nothing: the rows are only swapped in after every row passed.
import type { Engine } from '../core/engine.js';
import { readCsvFiles, formatIssue } from '../data/csv/index.js';
import { checkedLocation, resolveCsvFiles } from '../data/location.js';
import { InvalidInputException, LimitExceededException } from '../errors.js';
import type { Tag } from '../store/types.js';
import { datasetFields, datasetType, noteDataChange } from '../core/group-data.js';

export interface CreateImportJobInput {
  jobName: string;
  datasetArn: string;
  dataSource: { dataLocation?: string };
  roleArn?: string;
  importMode?: string;
  publishAttributionMetricsToS3?: boolean;
  tags?: Tag[];
}

export async function createDatasetImportJob(e: Engine, input: CreateImportJobInput): Promise<string> {
  const jobName = e.checkName('jobName', input.jobName);
  const ds = e.store.get('dataset', input.datasetArn);
  e.requireStatus(ds, ['ACTIVE'], 'import into it');
  const location = input.dataSource.dataLocation;
  if (!location) throw new InvalidInputException('dataSource.dataLocation is required: a path, file:// URL or s3://bucket/key of the CSV file(s).');
  checkedLocation(location, e.opts.bucketsDir); // malformed locations, or links out of the buckets, are input errors
  const importMode = input.importMode ?? 'FULL';
  if (importMode !== 'FULL' && importMode !== 'INCREMENTAL') throw new InvalidInputException(`importMode must be FULL or INCREMENTAL (got ${JSON.stringify(importMode)}).`);
  const fields = datasetFields(e, ds);
  const type = datasetType(ds);
  if (importMode === 'INCREMENTAL' && !e.store.list('datasetImportJob', ds.arn).some((j) => j.status === 'ACTIVE')) {
    throw new InvalidInputException(`The first import into ${ds.arn} must use importMode FULL; INCREMENTAL appends to data imported before.`);
  }
  const running = e.store.list('datasetImportJob').filter((j) => ['CREATE PENDING', 'CREATE IN_PROGRESS'].includes(e.status(j)!));
  if (running.length >= 5) throw new LimitExceededException('More than 5 resources with PENDING or IN_PROGRESS status.');

  const arn = e.arns.make('datasetImportJob', jobName);
  const rec = e.create('datasetImportJob', arn, jobName, {
    datasetArn: ds.arn,
    dataSource: { dataLocation: location },
    roleArn: input.roleArn,
    importMode,
    publishAttributionMetricsToS3: input.publishAttributionMetricsToS3 ?? false,
  }, { parentArn: ds.arn, status: 'CREATE PENDING', tags: input.tags });

  await e.runWork(rec, async () => {
    const { files } = resolveCsvFiles(location, e.opts.bucketsDir);
    const result = await readCsvFiles(files, e.parsedSchema(ds.props.schemaArn as string));
    if (!result.ok) {
      const shown = result.issues.slice(0, 5).map(formatIssue);
      const more = result.issues.length > 5 ? ` (and ${result.issues.length - 5} more)` : '';
      throw new Error(`Import failed; the dataset's data is unchanged. ${shown.join('; ')}${more}`);
    }
    if (importMode === 'FULL') e.datasets.replace(ds.arn, type, result.batch, fields);
    else e.datasets.append(ds.arn, type, 'bulk', result.batch, fields);
    noteDataChange(e, ds);
  });
  return arn;
}
