// One line of a batch inference job through the same ranking pipeline as campaigns: the recipe type's
// query (userId, itemId, or userId + itemList), the job's filter, exploration, objective and influence.
import type { Engine } from '../core/engine.js';
import { rank } from '../serving/pipeline.js';
import { explorationFor, filterStage, predictedItems, queryFor, rankList, requestRng, versionOwner } from '../serving/recommend.js';
import { versionObjective } from '../serving/objective-stage.js';
import type { AnswerSpec, LineAnswer } from './answer-spec.js';

export function inferenceAnswer(e: Engine, spec: Extract<AnswerSpec, { kind: 'inference' }>): LineAnswer {
  const { jobArn, solutionVersionArn, filterArn, numResults, config: cfg } = spec;
  const m = e.models.load(solutionVersionArn);
  const owner = versionOwner(e, solutionVersionArn);
  const type = m.recipe.recipeType;
  const objective = versionObjective(e, m, solutionVersionArn);
  return (line) => {
    if (type === 'PERSONALIZED_RANKING') {
      if (typeof line.userId !== 'string' || !Array.isArray(line.itemList)) throw new Error('Each line needs "userId" and "itemList" for a personalized-ranking solution version.');
      const filter = filterStage(e, m, owner.groupArn, filterArn, line.filterValues as Record<string, string> | undefined, line.userId, -1);
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
      filter: filterStage(e, m, owner.groupArn, filterArn, line.filterValues as Record<string, string> | undefined, userId, item),
      influence: cfg?.rankingInfluence,
      exploration: explorationFor(m.recipe.name, cfg?.itemExplorationConfig),
      objective,
      rng: requestRng(e, jobArn, userId, line.itemId as string | undefined, numResults, JSON.stringify(line.filterValues ?? {})),
    });
    const items = predictedItems(m, ranked);
    return { recommendedItems: items.map((p) => p.itemId), ...(m.recipe.hasScores && ranked.personal ? { scores: items.map((p) => p.score) } : {}) };
  };
}
