// CreateBatchInferenceJob: JSON-lines input in the recipe type's format, one output line per input line
// through the same ranking pipeline as campaigns; a bad line gets its own `error` and the job goes on.
// Lines are streamed (large inputs in chunks on worker threads, batch/run.ts), so memory stays bounded
// by the model and its data, not by the input.
import { recipeByName } from '../../recipes/index.js';
import type { Engine } from '../core/engine.js';
import { checkedLocation, outputFolder } from '../data/location.js';
import { InvalidInputException, LimitExceededException, NotImplementedException } from '../errors.js';
import { answerFiles } from '../batch/run.js';
import { type BatchJobInput, inputFiles } from '../batch/lines.js';
import { activeFilter } from '../serving/active-filter.js';

export interface CreateBatchInferenceInput extends BatchJobInput {
  batchInferenceJobConfig?: { itemExplorationConfig?: Record<string, string>; rankingInfluence?: Record<string, number> };
  batchInferenceJobMode?: string;
  themeGenerationConfig?: unknown;
}

const NO_BATCH = new Set(['aws-trending-now', 'aws-next-best-action']);
/** Lines per task on the batch workers: tens of milliseconds of work, so messages cost little beside it. */
const CHUNK_LINES = 1000;

export async function createBatchInferenceJob(e: Engine, input: CreateBatchInferenceInput): Promise<string> {
  const jobName = e.checkName('jobName', input.jobName);
  if (input.batchInferenceJobMode === 'THEME_GENERATION') {
    throw new NotImplementedException('THEME_GENERATION batch inference needs Amazon Bedrock content generation, which personalize-local cannot run offline; use BATCH_INFERENCE.');
  }
  const version = e.store.get('solutionVersion', input.solutionVersionArn);
  e.requireStatus(version, ['ACTIVE'], 'run batch inference with it');
  const recipe = String(version.props.recipeArn).slice('arn:aws:personalize:::recipe/'.length);
  if (NO_BATCH.has(recipe)) throw new InvalidInputException(`Batch inference is not available for ${recipe} (as in Personalize); use its campaign instead.`);
  if (recipeByName(recipe)?.recipeType === 'USER_SEGMENTATION') throw new InvalidInputException(`${recipe} is a USER_SEGMENTATION recipe: use CreateBatchSegmentJob with it, not CreateBatchInferenceJob.`);
  if (input.filterArn) activeFilter(e, input.filterArn, version.props.datasetGroupArn as string);
  const numResults = input.numResults ?? 25;
  if (!Number.isInteger(numResults) || numResults < 1 || numResults > 500) throw new InvalidInputException(`numResults must be an integer from 1 to 500 (got ${numResults}).`);
  const inLoc = checkedLocation(input.jobInput.s3DataSource.path, e.opts.bucketsDir);
  const outLoc = checkedLocation(input.jobOutput.s3DataDestination.path, e.opts.bucketsDir);
  const running = e.store.list('batchInferenceJob').filter((j) => ['PENDING', 'IN PROGRESS'].includes(e.status(j)!));
  if (running.length >= 5) throw new LimitExceededException('More than 5 batch inference jobs are PENDING or IN PROGRESS.');
  const arn = e.arns.make('batchInferenceJob', jobName);
  const rec = e.create('batchInferenceJob', arn, jobName, {
    solutionVersionArn: version.arn, jobInput: input.jobInput, jobOutput: input.jobOutput, roleArn: input.roleArn, filterArn: input.filterArn,
    numResults, batchInferenceJobConfig: input.batchInferenceJobConfig, batchInferenceJobMode: input.batchInferenceJobMode ?? 'BATCH_INFERENCE',
  }, { parentArn: version.arn, status: 'PENDING', tags: input.tags });

  await e.runWork(rec, async () => {
    const files = inputFiles(inLoc);
    const outDir = outputFolder(outLoc);
    const spec = { kind: 'inference', jobArn: arn, solutionVersionArn: version.arn, filterArn: input.filterArn, numResults, config: input.batchInferenceJobConfig } as const;
    const answeredOn = await answerFiles(e, spec, files, outDir, CHUNK_LINES);
    e.update(rec, { props: { ...rec.props, answeredOn } });
  }, { running: 'IN PROGRESS' });
  return arn;
}
