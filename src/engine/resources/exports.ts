// CreateDatasetExportJob: a dataset's rows (BULK = imported, PUT = streamed, ALL = both) written as CSV
// with a header under the destination: `<path>/<jobName>_part_00000.csv`.
import type { Engine } from '../core/engine.js';
import { batchToCsv } from '../data/csv/index.js';
import { checkedLocation, outputFolder, writeOutputFile } from '../data/location.js';
import { InvalidInputException } from '../errors.js';
import type { Tag } from '../store/types.js';
import { datasetFields, datasetType } from '../core/group-data.js';

export interface CreateExportInput {
  jobName: string;
  datasetArn: string;
  roleArn: string;
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  ingestionMode?: string;
  tags?: Tag[];
}

export async function createDatasetExportJob(e: Engine, input: CreateExportInput): Promise<string> {
  const jobName = e.checkName('jobName', input.jobName);
  const ds = e.store.get('dataset', input.datasetArn);
  e.requireStatus(ds, ['ACTIVE'], 'export it');
  const ingestionMode = input.ingestionMode ?? 'PUT';
  if (!['BULK', 'PUT', 'ALL'].includes(ingestionMode)) throw new InvalidInputException(`ingestionMode must be BULK, PUT or ALL (got ${JSON.stringify(ingestionMode)}).`);
  const dest = checkedLocation(input.jobOutput.s3DataDestination.path, e.opts.bucketsDir);
  const arn = e.arns.make('datasetExportJob', jobName);
  const rec = e.create('datasetExportJob', arn, jobName, {
    datasetArn: ds.arn, ingestionMode, roleArn: input.roleArn, jobOutput: input.jobOutput,
  }, { parentArn: ds.arn, status: 'CREATE PENDING', tags: input.tags });
  await e.runWork(rec, async () => {
    const fields = datasetFields(e, ds);
    const type = datasetType(ds);
    const rows = ingestionMode === 'ALL' ? e.datasets.all(ds.arn, type, fields) : e.datasets.get(ds.arn, ingestionMode === 'BULK' ? 'bulk' : 'put', fields);
    writeOutputFile(outputFolder(dest), `${jobName}_part_00000.csv`, batchToCsv(rows, fields));
  });
  return arn;
}
