// CreateBatchSegmentJob: per input line (an itemId, or an item-attribute query) the users most likely to
// interact, from a USER_SEGMENTATION model, narrowed by a UserID filter; streamed like batch inference.
import { mkdirSync, statSync } from 'node:fs';
import { topK } from '../../lib/topk.js';
import { parseAttributeQuery } from '../../recipes/item-affinity.js';
import { recipeByName } from '../../recipes/index.js';
import type { Engine } from '../engine.js';
import { localPath } from '../data/location.js';
import { InvalidInputException, LimitExceededException } from '../errors.js';
import type { CompiledFilter } from '../filters/index.js';
import { itemFilterContext } from '../serving/filter-context.js';
import type { ServingModel } from '../serving/model-store.js';
import { versionOwner, type ModelOwner } from '../serving/recommend.js';
import { userFilterContext } from '../serving/user-filter-context.js';
import { answerLines, type BatchJobInput, countLines, inputFiles } from './batch-lines.js';
import { datasetFields, groupDataset } from './datasets.js';
import { activeFilter } from './filters.js';

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
  const inPath = localPath(input.jobInput.s3DataSource.path, e.opts.bucketsDir);
  const outDir = localPath(input.jobOutput.s3DataDestination.path, e.opts.bucketsDir);
  const running = e.store.list('batchSegmentJob').filter((j) => ['PENDING', 'IN PROGRESS'].includes(e.status(j)!));
  if (running.length >= MAX_RUNNING) throw new LimitExceededException(`More than ${MAX_RUNNING} batch segment jobs are PENDING or IN PROGRESS.`);
  const arn = e.arns.make('batchSegmentJob', jobName);
  const rec = e.create('batchSegmentJob', arn, jobName, {
    solutionVersionArn: version.arn, jobInput: input.jobInput, jobOutput: input.jobOutput, roleArn: input.roleArn, filterArn: input.filterArn, numResults,
  }, { parentArn: version.arn, status: 'PENDING', tags: input.tags });

  await e.runWork(rec, async () => {
    const files = inputFiles(inPath);
    if (files.length > MAX_INPUT_FILES) throw new Error(`The input has ${files.length} files; a batch segment job reads at most ${MAX_INPUT_FILES}.`);
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    if (bytes > MAX_INPUT_BYTES) throw new Error(`The input is ${bytes} bytes; a batch segment job reads at most 1 GB.`);
    // Every file is checked before any output is written: over the quota fails the job, as in Personalize.
    for (const f of files) {
      const n = await countLines(f);
      if (n > limits.max) throw new Error(`The input file ${f} has ${n} queries; ${recipeName} takes at most ${limits.max} per input file. Split the input into several files.`);
    }
    const answer = segmenter(e, e.models.load(version.arn), versionOwner(e, version.arn), recipeName, input.filterArn, numResults);
    mkdirSync(outDir, { recursive: true });
    for (const f of files) await answerLines(f, outDir, answer);
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

/** The per-line answer of a job: input line -> `{recommendedUsers}`; throws for the line's own error. */
function segmenter(e: Engine, m: ServingModel, owner: ModelOwner, recipeName: string, filterArn: string | undefined, numResults: number): (line: Record<string, unknown>) => Record<string, unknown> {
  const { key } = SEGMENT_QUERY_LIMITS[recipeName]!;
  const userIds = m.bundle.userIds, nUsers = userIds.length;
  if (!m.model.scoreUsers) throw new Error(`The model of ${recipeName} cannot score users; retrain the solution version.`);
  const scoreUsers = m.model.scoreUsers.bind(m.model);
  const scores = new Float32Array(nUsers);
  const top = new Int32Array(Math.min(numResults, nUsers));
  // Users a data deletion job removed after training never appear in a segment (as for recommendations).
  const base = new Uint8Array(nUsers).fill(1);
  const deleted = (e.store.find(owner.groupArn)?.props.deletedUsers as Record<string, number> | undefined) ?? {};
  for (const [id, at] of Object.entries(deleted)) {
    const u = m.userIndex.get(id);
    if (u !== undefined && at >= owner.trainedAt) base[u] = 0;
  }
  const filter = filterArn ? activeFilter(e, filterArn, owner.groupArn) : undefined;
  const ctx = filter ? userFilterContext(e, m, owner.groupArn) : undefined;
  // Lines usually repeat the same filterValues (or none): reuse the last mask instead of re-filtering.
  let lastKey: string | null = null;
  const mask = new Uint8Array(nUsers);
  const maskFor = (filterValues: unknown): Uint8Array => {
    if (!filter) return base;
    if (filterValues !== undefined && (typeof filterValues !== 'object' || filterValues === null || Array.isArray(filterValues))) {
      throw new Error('"filterValues" must be an object of parameter names to quoted values, e.g. {"GENRES": "\\"comedy\\""}.');
    }
    const k = JSON.stringify(filterValues ?? {});
    if (k === lastKey) return mask;
    lastKey = null;
    mask.set(base);
    filter.apply(ctx!, { filterValues: filterValues as Record<string, string> | undefined }, mask);
    lastKey = k;
    return mask;
  };
  return (line) => {
    const q = line[key];
    if (typeof q !== 'string') throw new Error(`Each line needs "${key}" (a string) for an ${recipeName} solution version.`);
    const items = key === 'itemId' ? Int32Array.of(knownItem(m, q)) : attributeItems(e, m, owner.groupArn, q);
    const use = maskFor(line.filterValues);
    if (!scoreUsers(items, scores)) throw new Error(`The model has no factors for the query ${JSON.stringify(q)}.`);
    const found = topK(scores, use, top.length, top);
    const recommendedUsers: string[] = new Array(found);
    for (let r = 0; r < found; r++) recommendedUsers[r] = userIds[top[r]!]!;
    return { recommendedUsers };
  };
}

function knownItem(m: ServingModel, itemId: string): number {
  const i = m.itemIndex.get(itemId);
  if (i === undefined) throw new Error(`The item ${itemId} was not in the training data of this solution version; train a new version to segment users for it.`);
  return i;
}

/**
 * The model's items matching every `ITEMS.<column> = "<value>"` condition (column names case-insensitive,
 * values exact; a multi-valued categorical value matches when any of its `|` parts equals the value).
 * The Items data is read as it is now, over the items the model was trained on.
 */
function attributeItems(e: Engine, m: ServingModel, groupArn: string, query: string): Int32Array {
  const conds = parseAttributeQuery(query);
  const ds = groupDataset(e, groupArn, 'ITEMS');
  if (!ds) throw new Error('itemAttributes needs an Items dataset in the dataset group.');
  const fields = datasetFields(e, ds);
  const ctx = itemFilterContext(e, m, groupArn, undefined);
  const n = m.bundle.itemIds.length;
  const ok = new Uint8Array(n).fill(1);
  for (const c of conds) {
    const f = fields.find((x) => x.name.toLowerCase() === c.column.toLowerCase());
    if (!f) throw new Error(`itemAttributes: the Items dataset has no column ${c.column} (columns: ${fields.map((x) => x.name).join(', ')}).`);
    if (f.type !== 'string' || f.textual || f.name === 'ITEM_ID') throw new Error(`itemAttributes: ${f.name} is not a non-textual string metadata column; only = on such columns is supported.`);
    const col = ctx.column(f.name);
    if (!col || col.kind !== 'categorical') throw new Error(`itemAttributes: the Items dataset column ${f.name} has no values.`);
    const code = col.dictionary.indexOf(c.value);
    for (let i = 0; i < n; i++) {
      if (!ok[i]) continue;
      let hit = false;
      for (let p = col.ptr[i]!; p < col.ptr[i + 1]! && !hit; p++) hit = col.codes[p] === code;
      if (!hit) ok[i] = 0;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += ok[i]!;
  if (count === 0) throw new Error(`No item of this solution version's training data matches ${JSON.stringify(query)}.`);
  const items = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (ok[i]) items[k++] = i;
  return items;
}
