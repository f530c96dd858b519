// GetActionRecommendations: a next-best-action campaign's propensities for one user, after the rules
// Personalize applies itself (expired actions, REPEAT_FREQUENCY waits) and the request's ActionID filter;
// ordered by score, then VALUE, then action id.
import { actionOutcome } from '../../recipes/next-best-action.js';
import type { Engine } from '../core/engine.js';
import { InvalidInputException } from '../errors.js';
import { groupDataset } from '../core/group-data.js';
import { activeFilter } from './active-filter.js';
import { actionFilterContext, actionNumbers, userActionInteractions, type UserActionInteractions } from './action-filter-context.js';
import type { ServingModel } from '../store/model-store.js';
import { versionOwner, type ModelOwner } from './recommend.js';
import { ownValue } from '../../lib/own.js';

export interface GetActionRecommendationsInput {
  campaignArn?: string;
  userId?: string;
  numResults?: number;
  filterArn?: string;
  filterValues?: Record<string, string>;
}

export interface PredictedAction { actionId: string; score: number }

const DAY = 86_400;
const MAX_RESULTS = 100;

/**
 * The model's query for a user: their index at training (-1 if unknown, or forgotten by a data deletion
 * job since) and the action outcomes streamed after training (oldest first, with their times), which the
 * model adds to what it trained on.
 */
function actionQuery(e: Engine, owner: ModelOwner, m: ServingModel, userId: string): Parameters<ServingModel['model']['score']>[0] {
  const deletedAt = ownValue(e.store.find(owner.groupArn)?.props.deletedUsers as Record<string, number> | undefined, userId);
  const forgotten = deletedAt !== undefined && deletedAt >= owner.trainedAt;
  const user = forgotten ? -1 : (m.userIndex.get(userId) ?? -1);
  const ds = groupDataset(e, owner.groupArn, 'ACTION_INTERACTIONS');
  if (!ds) return { user, item: -1, history: null };
  const put = e.datasets.get(ds.arn, 'put', []);
  const rows = e.live.rowsOf(ds.arn, put, e.datasets.generation(ds.arn, 'put'), userId, (m.bundle.info.putRowsAtTraining as number | undefined) ?? 0);
  const actions = put.columns.ACTION_ID as { dictionary: string[]; codes: Int32Array } | undefined;
  const types = put.columns.EVENT_TYPE as { dictionary: string[]; codes: Int32Array } | undefined;
  const ts = put.columns.TIMESTAMP as { values: Float64Array } | undefined;
  const kept: { a: number; y: number; t: number }[] = [];
  for (const r of rows) {
    const a = actions && actions.codes[r]! >= 0 ? m.itemIndex.get(actions.dictionary[actions.codes[r]!]!) : undefined;
    const y = types && types.codes[r]! >= 0 ? actionOutcome(types.dictionary[types.codes[r]!]!) : -1;
    // Actions unknown to the model wait for the next training; other event types say nothing of taking.
    if (a !== undefined && y >= 0) kept.push({ a, y, t: ts?.values[r] ?? 0 });
  }
  if (!kept.length) return { user, item: -1, history: null };
  kept.sort((x, y) => x.t - y.t); // stable: streamed order breaks ties
  return {
    user, item: -1,
    history: Int32Array.from(kept, (k) => k.a), outcomes: Uint8Array.from(kept, (k) => k.y), times: Float64Array.from(kept, (k) => k.t),
  };
}

/** Clear the actions Personalize never recommends now: expired ones, and ones the user interacted with less than REPEAT_FREQUENCY days ago. */
function applyActionRules(e: Engine, m: ServingModel, groupArn: string, history: UserActionInteractions, mask: Uint8Array): void {
  const now = e.now() / 1000;
  // The schema's reserved name; the docs' prose also calls it ACTION_EXPIRATION_TIMESTAMP.
  const expires = actionNumbers(e, m, groupArn, 'EXPIRATION_TIMESTAMP', 'ACTION_EXPIRATION_TIMESTAMP');
  if (expires) for (let a = 0; a < mask.length; a++) if (expires[a]! < now) mask[a] = 0; // NaN (no expiry) never compares true
  const repeat = actionNumbers(e, m, groupArn, 'REPEAT_FREQUENCY');
  if (!repeat) return;
  // Any recorded interaction (taken, not taken or viewed) starts the wait.
  for (let k = 0; k < history.actionIds.length; k++) {
    const a = m.itemIndex.get(history.actionIds[k]!);
    if (a !== undefined && repeat[a]! > 0 && now < history.timestamps[k]! + repeat[a]! * DAY) mask[a] = 0;
  }
}

export function getActionRecommendations(e: Engine, input: GetActionRecommendationsInput): { actionList: PredictedAction[]; recommendationId: string } {
  if (!input.campaignArn) throw new InvalidInputException('campaignArn is required: the ARN of a campaign serving an aws-next-best-action model.');
  if (!input.userId) throw new InvalidInputException('userId is required for GetActionRecommendations.');
  const numResults = input.numResults ?? 5;
  if (!Number.isInteger(numResults) || numResults < 1 || numResults > MAX_RESULTS) {
    throw new InvalidInputException(`numResults must be an integer from 1 to ${MAX_RESULTS} (got ${input.numResults}).`);
  }
  const campaign = e.store.get('campaign', input.campaignArn);
  e.requireStatus(campaign, ['ACTIVE'], 'get action recommendations from it');
  const versionArn = campaign.props.servingVersionArn as string;
  const m = e.models.load(versionArn);
  if (m.recipe.recipeType !== 'PERSONALIZED_ACTIONS') {
    throw new InvalidInputException(`The campaign ${campaign.arn} serves a ${m.recipe.name} model; GetActionRecommendations needs a campaign of aws-next-best-action.`);
  }
  const owner = versionOwner(e, versionArn);
  const n = m.bundle.itemIds.length;
  const scores = new Float32Array(n);
  m.model.score(actionQuery(e, owner, m, input.userId), scores);

  const history = userActionInteractions(e, owner.groupArn, input.userId);
  const mask = new Uint8Array(n).fill(1);
  applyActionRules(e, m, owner.groupArn, history, mask);
  if (input.filterArn) {
    const f = activeFilter(e, input.filterArn, owner.groupArn);
    if (f.target !== 'ActionID') throw new InvalidInputException(`The filter ${input.filterArn} selects ${f.target === 'UserID' ? 'users' : 'items'}; use an ActionID filter to filter recommended actions.`);
    f.apply(actionFilterContext(e, m, owner.groupArn, input.userId, history), { userId: input.userId, currentItem: -1, filterValues: input.filterValues }, mask);
  }

  // Equal (shown) propensities go to the higher VALUE (missing VALUE last), then to the action id.
  const shown = Float64Array.from(scores, (x) => Number(x.toPrecision(7)));
  const value = actionNumbers(e, m, owner.groupArn, 'VALUE');
  const valueOf = (a: number) => (value && !Number.isNaN(value[a]!) ? value[a]! : -Infinity);
  const candidates: number[] = [];
  for (let a = 0; a < n; a++) if (mask[a]) candidates.push(a);
  // Action ids are sorted, so the index is the last tie-break.
  candidates.sort((a, b) => shown[b]! - shown[a]! || valueOf(b) - valueOf(a) || a - b);
  const actionList = candidates.slice(0, numResults).map((a) => ({ actionId: m.bundle.itemIds[a]!, score: shown[a]! }));
  return { actionList, recommendationId: `RID-${e.randomUuid()}` };
}
