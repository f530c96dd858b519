// CreateDataDeletionJob: remove the listed users' rows from every dataset of the group (imported and
// streamed), and stop serving them from models trained before the deletion.
import type { Engine } from '../core/engine.js';
import { takeRows } from '../data/batch-ops.js';
import { readCsvFiles, formatIssue } from '../data/csv/index.js';
import { checkedLocation, resolveCsvFiles } from '../data/location.js';
import { parseSchema } from '../data/schema.js';
import { LimitExceededException } from '../errors.js';
import type { Tag } from '../store/types.js';
import { setOwn } from '../../lib/own.js';
import { datasetFields, datasetType, noteDataChange } from '../core/group-data.js';

const USER_LIST_SCHEMA = parseSchema(JSON.stringify({ type: 'record', name: 'Users', fields: [{ name: 'USER_ID', type: 'string' }] }));

export interface CreateDeletionInput { jobName: string; datasetGroupArn: string; dataSource: { dataLocation?: string }; roleArn: string; tags?: Tag[] }

export async function createDataDeletionJob(e: Engine, input: CreateDeletionInput): Promise<string> {
  const jobName = e.checkName('jobName', input.jobName);
  const group = e.store.get('datasetGroup', input.datasetGroupArn);
  const location = input.dataSource.dataLocation ?? '';
  checkedLocation(location, e.opts.bucketsDir);
  const pending = e.store.list('dataDeletionJob', group.arn).filter((j) => ['PENDING', 'IN_PROGRESS'].includes(e.status(j)!));
  if (pending.length >= 5) throw new LimitExceededException('More than 5 data deletion jobs are PENDING for this dataset group.');
  const arn = e.arns.make('dataDeletionJob', jobName);
  const rec = e.create('dataDeletionJob', arn, jobName, { datasetGroupArn: group.arn, dataSource: { dataLocation: location }, roleArn: input.roleArn }, { parentArn: group.arn, status: 'PENDING', tags: input.tags });
  await e.runWork(rec, async () => {
    const { files } = resolveCsvFiles(location, e.opts.bucketsDir);
    const read = await readCsvFiles(files, USER_LIST_SCHEMA);
    if (!read.ok) throw new Error(`The user list could not be read: ${read.issues.map(formatIssue).join('; ')}`);
    const ids = new Set((read.batch.columns.USER_ID as { dictionary: string[] }).dictionary);
    const found = new Set<string>();
    for (const ds of e.store.list('dataset', group.arn)) {
      const fields = datasetFields(e, ds);
      if (!fields.some((f) => f.name === 'USER_ID')) continue;
      for (const part of ['bulk', 'put'] as const) {
        const batch = e.datasets.get(ds.arn, part, fields);
        const users = batch.columns.USER_ID as { dictionary: string[]; codes: Int32Array };
        const drop = users.dictionary.map((u) => ids.has(u));
        const keep: number[] = [];
        for (let r = 0; r < batch.rowCount; r++) {
          const c = users.codes[r]!;
          if (c >= 0 && drop[c]) found.add(users.dictionary[c]!);
          else keep.push(r);
        }
        if (keep.length < batch.rowCount) {
          e.datasets.rewrite(ds.arn, datasetType(ds), part, takeRows(batch, Int32Array.from(keep)), fields);
          noteDataChange(e, ds);
        }
      }
    }
    const deletedUsers = { ...((group.props.deletedUsers as Record<string, number> | undefined) ?? {}) };
    for (const u of found) setOwn(deletedUsers, u, e.now()); // a user id may be `__proto__`
    e.update(group, { props: { ...group.props, deletedUsers } });
    e.live.clear();
    e.update(rec, { props: { ...rec.props, numDeleted: found.size } });
  }, { done: 'COMPLETED', failed: 'FAILED', running: 'IN_PROGRESS' });
  return arn;
}
