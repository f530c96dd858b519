// CreateBatchInferenceJob: JSON-lines input in the recipe type's format, one output line per input line
// through the same ranking pipeline as campaigns; a bad line gets its own `error` and the job goes on.
// Lines are streamed, so memory stays bounded by the model, not the input.
import { mkdirSync } from 'node:fs';
import { recipeByName } from '../../recipes/index.js';
import type { Engine } from '../engine.js';
import { localPath } from '../data/location.js';
import { InvalidInputException, LimitExceededException, NotImplementedException } from '../errors.js';
import { rank } from '../serving/pipeline.js';
import { explorationFor, filterStage, predictedItems, queryFor, rankList, requestRng, versionOwner } from '../serving/recommend.js';
import { answerLines, type BatchJobInput, inputFiles } from './batch-lines.js';
import { activeFilter } from './filters.js';
import { versionObjective } from '../serving/objective-stage.js';

export interface CreateBatchInferenceInput extends BatchJobInput {
  batchInferenceJobConfig?: { itemExplorationConfig?: Record<string, string>; rankingInfluence?: Record<string, number> };
  batchInferenceJobMode?: string;
  themeGenerationConfig?: unknown;
}

const NO_BATCH = new Set(['aws-trending-now', 'aws-next-best-action']);

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
  const inPath = localPath(input.jobInput.s3DataSource.path, e.opts.bucketsDir);
  const outDir = localPath(input.jobOutput.s3DataDestination.path, e.opts.bucketsDir);
  const running = e.store.list('batchInferenceJob').filter((j) => ['PENDING', 'IN PROGRESS'].includes(e.status(j)!));
  if (running.length >= 5) throw new LimitExceededException('More than 5 batch inference jobs are PENDING or IN PROGRESS.');
  const arn = e.arns.make('batchInferenceJob', jobName);
  const rec = e.create('batchInferenceJob', arn, jobName, {
    solutionVersionArn: version.arn, jobInput: input.jobInput, jobOutput: input.jobOutput, roleArn: input.roleArn, filterArn: input.filterArn,
    numResults, batchInferenceJobConfig: input.batchInferenceJobConfig, batchInferenceJobMode: input.batchInferenceJobMode ?? 'BATCH_INFERENCE',
  }, { parentArn: version.arn, status: 'PENDING', tags: input.tags });

  await e.runWork(rec, async () => {
    const m = e.models.load(version.arn);
    const owner = versionOwner(e, version.arn);
    const type = m.recipe.recipeType;
    const cfg = input.batchInferenceJobConfig;
    const objective = versionObjective(e, m, version.arn);
    const answer = (line: Record<string, unknown>): Record<string, unknown> => {
      if (type === 'PERSONALIZED_RANKING') {
        if (typeof line.userId !== 'string' || !Array.isArray(line.itemList)) throw new Error('Each line needs "userId" and "itemList" for a personalized-ranking solution version.');
        const filter = filterStage(e, m, owner.groupArn, input.filterArn, line.filterValues as Record<string, string> | undefined, line.userId, -1);
        const ranked = rankList(e, m, owner, line.userId, line.itemList.map(String), filter, objective);
        return { recommendedItems: ranked.map((p) => p.itemId), scores: ranked.map((p) => p.score) };
      }
      const key = type === 'RELATED_ITEMS' ? 'itemId' : 'userId';
      if (typeof line[key] !== 'string') throw new Error(`Each line needs "${key}" (a string) for a ${type} solution version.`);
      const item = type === 'RELATED_ITEMS' ? (m.itemIndex.get(line.itemId as string) ?? -1) : -1;
      const userId = type === 'RELATED_ITEMS' ? undefined : (line.userId as string);
      const ranked = rank(m, {
        query: { ...queryFor(e, owner, m, userId), item },
        numResults,
        excludeQueryItem: type === 'RELATED_ITEMS',
        filter: filterStage(e, m, owner.groupArn, input.filterArn, line.filterValues as Record<string, string> | undefined, userId, item),
        influence: cfg?.rankingInfluence,
        exploration: explorationFor(m.recipe.name, cfg?.itemExplorationConfig),
        objective,
        rng: requestRng(e, arn, userId, line.itemId as string | undefined, numResults, JSON.stringify(line.filterValues ?? {})),
      });
      const items = predictedItems(m, ranked);
      return { recommendedItems: items.map((p) => p.itemId), ...(m.recipe.hasScores && ranked.personal ? { scores: items.map((p) => p.score) } : {}) };
    };
    mkdirSync(outDir, { recursive: true });
    for (const file of inputFiles(inPath)) await answerLines(file, outDir, answer);
  }, { running: 'IN PROGRESS' });
  return arn;
}
