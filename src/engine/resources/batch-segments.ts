// CreateBatchSegmentJob: per input line (an itemId, or an item-attribute query) the users most likely to
// interact, from a USER_SEGMENTATION model, narrowed by a UserID filter; answered like batch inference
// (per-line code: batch/segment-answer.ts).
import { statSync } from 'node:fs';
import { recipeByName } from '../../recipes/index.js';
import type { Engine } from '../core/engine.js';
import { answerFiles } from '../batch/run.js';
import { checkedLocation, outputFolder } from '../data/location.js';
import { InvalidInputException, LimitExceededException } from '../errors.js';
import type { CompiledFilter } from '../filters/index.js';
import { type BatchJobInput, countLines, inputFiles } from '../batch/lines.js';
import { activeFilter } from '../serving/active-filter.js';

/** CreateBatchSegmentJob takes exactly the members common to batch jobs. */
export type CreateBatchSegmentInput = BatchJobInput;

/** Personalize's quotas (reference §13): queries per input file by recipe, users per segment, files, bytes, running jobs. */
export const SEGMENT_QUERY_LIMITS: Readonly<Record<string, { key: 'itemId' | 'itemAttributes'; max: number }>> = {
  'aws-item-affinity': { key: 'itemId', max: 500 },
  'aws-item-attribute-affinity': { key: 'itemAttributes', max: 10 },
};
export const MAX_USERS_PER_SEGMENT = 5_000_000;
const MAX_INPUT_FILES = 1000;
const MAX_INPUT_BYTES = 1024 ** 3;
const MAX_RUNNING = 5;
const DEFAULT_NUM_RESULTS = 25; // the console's default; the API documents none
/** Lines per task on the batch workers: each line scores every user of the model, so fewer than inference sends. */
const CHUNK_LINES = 32;

export async function createBatchSegmentJob(e: Engine, input: CreateBatchSegmentInput): Promise<string> {
  const jobName = e.checkName('jobName', input.jobName);
  const version = e.store.get('solutionVersion', input.solutionVersionArn);
  const recipeName = String(version.props.recipeArn).slice('arn:aws:personalize:::recipe/'.length);
  const recipe = recipeByName(recipeName);
  const limits = SEGMENT_QUERY_LIMITS[recipeName];
  if (!recipe || recipe.recipeType !== 'USER_SEGMENTATION' || !limits) {
    throw new InvalidInputException(
      `Batch segment jobs need a solution version of a USER_SEGMENTATION recipe (aws-item-affinity or aws-item-attribute-affinity); ${version.arn} was trained with ${recipeName}${recipe ? ` (${recipe.recipeType})` : ''}. Use CreateBatchInferenceJob for it.`,
    );
  }
  e.requireStatus(version, ['ACTIVE'], 'run a batch segment job with it');
  const groupArn = version.props.datasetGroupArn as string;
  if (input.filterArn) checkSegmentFilter(activeFilter(e, input.filterArn, groupArn), input.filterArn, recipeName);
  const numResults = input.numResults ?? DEFAULT_NUM_RESULTS;
  if (!Number.isInteger(numResults) || numResults < 1 || numResults > MAX_USERS_PER_SEGMENT) {
    throw new InvalidInputException(`numResults (users per segment) must be an integer from 1 to ${MAX_USERS_PER_SEGMENT} (got ${numResults}).`);
  }
  const inLoc = checkedLocation(input.jobInput.s3DataSource.path, e.opts.bucketsDir);
  const outLoc = checkedLocation(input.jobOutput.s3DataDestination.path, e.opts.bucketsDir);
  const running = e.store.list('batchSegmentJob').filter((j) => ['PENDING', 'IN PROGRESS'].includes(e.status(j)!));
  if (running.length >= MAX_RUNNING) throw new LimitExceededException(`More than ${MAX_RUNNING} batch segment jobs are PENDING or IN PROGRESS.`);
  const arn = e.arns.make('batchSegmentJob', jobName);
  const rec = e.create('batchSegmentJob', arn, jobName, {
    solutionVersionArn: version.arn, jobInput: input.jobInput, jobOutput: input.jobOutput, roleArn: input.roleArn, filterArn: input.filterArn, numResults,
  }, { parentArn: version.arn, status: 'PENDING', tags: input.tags });

  await e.runWork(rec, async () => {
    const files = inputFiles(inLoc);
    if (files.length > MAX_INPUT_FILES) throw new Error(`The input has ${files.length} files; a batch segment job reads at most ${MAX_INPUT_FILES}.`);
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    if (bytes > MAX_INPUT_BYTES) throw new Error(`The input is ${bytes} bytes; a batch segment job reads at most 1 GB.`);
    // Every file is checked before any output is written: over the quota fails the job, as in Personalize.
    for (const f of files) {
      const n = await countLines(f);
      if (n > limits.max) throw new Error(`The input file ${f} has ${n} queries; ${recipeName} takes at most ${limits.max} per input file. Split the input into several files.`);
    }
    const outDir = outputFolder(outLoc);
    const spec = { kind: 'segment', solutionVersionArn: version.arn, recipeName, queryKey: limits.key, filterArn: input.filterArn, numResults } as const;
    const answeredOn = await answerFiles(e, spec, files, outDir, CHUNK_LINES);
    e.update(rec, { props: { ...rec.props, answeredOn } });
  }, { running: 'IN PROGRESS' });
  return arn;
}

function checkSegmentFilter(f: CompiledFilter, filterArn: string, recipeName: string): void {
  if (f.target !== 'UserID') {
    throw new InvalidInputException(`The filter ${filterArn} selects ${f.target === 'ItemID' ? 'items' : 'actions'}; batch segment jobs take a UserID filter (INCLUDE/EXCLUDE UserID WHERE Users.X ... | Interactions.EVENT_TYPE ...).`);
  }
  if (recipeName === 'aws-item-attribute-affinity' && f.fields.some((x) => x.startsWith('Interactions.'))) {
    throw new InvalidInputException(`The filter ${filterArn} uses item interactions, which ${recipeName} does not allow; filter on Users fields instead.`);
  }
}

