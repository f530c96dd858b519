// Personalize's automatic updates: every 2 hours of the clock, a campaign serving the latest FULL version
// of a user-personalization solution gets a model derived from it plus the new data (recipe.update), if
// interactions or items changed. No new solution version and no new metrics; new items get factors (or
// stay cold) and become recommendable through exploration. Trending-now campaigns are recomputed on the
// current data at each trend_discovery_frequency window (at least every 2 hours), as Personalize does.
// aws-semantic-similarity solutions with performIncrementalUpdate: every 30 minutes, when the data changed, the
// text model is trained again on the current catalogue (it is cheap), so new and changed items are related.
import { RECIPES } from '../../recipes/index.js';
import { trendWindowSeconds } from '../../recipes/trending-now.js';
import type { Engine } from '../core/engine.js';
import { groupDataChanges } from '../core/group-data.js';
import { trainingDataConfig, trainingParams, type SolutionConfig } from './solution-config.js';
import { trainModel } from './train-model.js';

export const AUTO_UPDATE_MS = 2 * 3_600_000;
/** Personalize: with performIncrementalUpdate, catalogue changes reach a semantic-similarity model in about 30 minutes. */
export const INCREMENTAL_UPDATE_MS = 30 * 60_000;


/** Refresh the campaigns that are due; returns when to look again (Infinity when no campaign qualifies). */
export async function runDueCampaignUpdates(e: Engine): Promise<number> {
  let next = Infinity;
  for (const c of e.store.list('campaign')) {
    if (e.status(c) !== 'ACTIVE') continue;
    const version = e.store.find(c.props.servingVersionArn as string);
    if (!version || version.props.trainingMode !== 'FULL') continue;
    const recipe = RECIPES.get(version.props.recipeArn as string);
    const trending = recipe?.name === 'aws-trending-now';
    const incremental = recipe?.name === 'aws-semantic-similarity';
    if (!recipe || (!trending && !incremental && (!recipe.update || recipe.recipeType !== 'USER_PERSONALIZATION'))) continue;
    const sol = e.store.get('solution', version.parentArn!);
    if (incremental && !sol.props.performIncrementalUpdate) continue;
    const cfg = sol.props.solutionConfig as SolutionConfig | undefined;
    const params = trainingParams(recipe, cfg);
    const period = trending ? Math.min(trendWindowSeconds(params) * 1000, AUTO_UPDATE_MS) : incremental ? INCREMENTAL_UPDATE_MS : AUTO_UPDATE_MS;
    const latestFull = e.store.list('solutionVersion', version.parentArn).filter((v) => e.status(v) === 'ACTIVE' && v.props.trainingMode === 'FULL').at(-1);
    if (latestFull?.arn !== version.arn) continue; // only the latest FULL version is kept up to date
    const last = (c.props.autoUpdatedAt as number | undefined) ?? version.updatedAt;
    const due = last + period;
    if (e.now() < due) {
      next = Math.min(next, due);
      continue;
    }
    const groupArn = version.props.datasetGroupArn as string;
    const changes = groupDataChanges(e, groupArn);
    const seen = (c.props.autoUpdateChanges as number | undefined) ?? (version.props.dataChangesAtTraining as number | undefined) ?? -1;
    const count = ((c.props.autoUpdates as number | undefined) ?? 0) + (changes > seen ? 1 : 0);
    const modelArn = `${version.arn}/update-${count}`;
    if (changes > seen) {
      try {
        const bytes = await trainModel(e, {
          modelArn, groupArn, recipe, config: trainingDataConfig(sol.props.eventType as string | undefined, cfg), params,
          // Trending and the text model are recomputed from scratch (they are cheap); factor models keep what they learned.
          previous: trending || incremental ? undefined : e.models.bytesOf((c.props.servingModelArn as string | undefined) ?? version.arn),
        });
        await e.models.save(modelArn, bytes);
        e.models.load(modelArn);
      } catch (err) {
        // The campaign keeps serving its current model; the failure is kept on it and retried next slot.
        e.update(c, { props: { ...c.props, autoUpdatedAt: e.now(), autoUpdateFailure: (err as Error).message } });
        next = Math.min(next, e.now() + period);
        continue;
      }
    }
    // The campaign may have changed while the update trained; only a campaign still on this version takes it.
    if (c.props.servingVersionArn !== version.arn) continue;
    e.update(c, {
      props: {
        ...c.props, autoUpdatedAt: e.now(), autoUpdateChanges: changes, autoUpdates: count, autoUpdateFailure: undefined,
        ...(changes > seen ? { servingModelArn: modelArn } : {}),
      },
    });
    next = Math.min(next, e.now() + period);
  }
  return next;
}
