// CreateCampaign / UpdateCampaign / DeleteCampaign: a deployed solution version (or `<solution>/$LATEST`).
import type { Engine } from '../core/engine.js';
import { InvalidInputException } from '../errors.js';
import type { ResourceRecord, Tag } from '../store/types.js';
import type { CampaignConfig } from '../serving/serving-config.js';

/** The newest ACTIVE version of a solution: what `<solutionArn>/$LATEST` names. */
export function latestActiveVersion(e: Engine, solutionArn: string): ResourceRecord | undefined {
  return e.store.list('solutionVersion', solutionArn).filter((v) => e.status(v) === 'ACTIVE').at(-1);
}

/** The ACTIVE version a campaign's solutionVersionArn names (resolving `$LATEST`). */
export function resolveVersion(e: Engine, solutionVersionArn: string): ResourceRecord {
  if (solutionVersionArn.endsWith('/$LATEST')) {
    const solutionArn = solutionVersionArn.slice(0, -'/$LATEST'.length);
    e.store.get('solution', solutionArn);
    const v = latestActiveVersion(e, solutionArn);
    if (!v) throw new InvalidInputException(`The solution ${solutionArn} has no ACTIVE solution version for $LATEST; train one first.`);
    return v;
  }
  const v = e.store.get('solutionVersion', solutionVersionArn);
  e.requireStatus(v, ['ACTIVE'], 'deploy it in a campaign');
  return v;
}

/** CreateCampaign's checks of campaignConfig (also used by the evaluation workbench). */
export function checkCampaignConfig(cfg: CampaignConfig | undefined, solutionVersionArn: string): void {
  if (!cfg) return;
  if (cfg.syncWithLatestSolutionVersion && !solutionVersionArn.endsWith('/$LATEST')) {
    throw new InvalidInputException('syncWithLatestSolutionVersion needs solutionVersionArn in the form <solutionArn>/$LATEST.');
  }
  for (const [k, v] of Object.entries(cfg.rankingInfluence ?? {})) {
    if (k !== 'POPULARITY' && k !== 'FRESHNESS') throw new InvalidInputException(`rankingInfluence key ${k} is not valid; use POPULARITY or FRESHNESS.`);
    if (typeof v !== 'number' || v < 0 || v > 1) throw new InvalidInputException(`rankingInfluence ${k} must be a number from 0 to 1 (got ${v}).`);
  }
  const x = cfg.itemExplorationConfig ?? {};
  for (const [k, v] of Object.entries(x)) {
    if (k !== 'explorationWeight' && k !== 'explorationItemAgeCutOff') {
      throw new InvalidInputException(`itemExplorationConfig key ${k} is not valid; use explorationWeight and explorationItemAgeCutOff.`);
    }
    const n = Number(v);
    if (k === 'explorationWeight' && !(n >= 0 && n <= 1)) throw new InvalidInputException(`explorationWeight must be a number from 0 to 1 in a string (got ${JSON.stringify(v)}).`);
    if (k === 'explorationItemAgeCutOff' && !(n >= 1)) throw new InvalidInputException(`explorationItemAgeCutOff must be a number of days, at least 1 (got ${JSON.stringify(v)}).`);
  }
}

export function createCampaign(
  e: Engine,
  input: { name: string; solutionVersionArn: string; minProvisionedTPS?: number; campaignConfig?: CampaignConfig; tags?: Tag[] },
): string {
  const name = e.checkName('name', input.name);
  checkCampaignConfig(input.campaignConfig, input.solutionVersionArn);
  const version = resolveVersion(e, input.solutionVersionArn);
  if (input.minProvisionedTPS !== undefined && !(Number.isInteger(input.minProvisionedTPS) && input.minProvisionedTPS >= 1)) {
    throw new InvalidInputException(`minProvisionedTPS must be an integer of at least 1 (got ${input.minProvisionedTPS}).`);
  }
  const arn = e.arns.make('campaign', name);
  // Fail now, not at the first request, if the model cannot be loaded or served.
  if (e.models.load(version.arn).recipe.recipeType === 'USER_SEGMENTATION') {
    throw new InvalidInputException(`${version.arn} is a user-segmentation model: use it with CreateBatchSegmentJob; it cannot be deployed in a campaign.`);
  }
  e.create('campaign', arn, name, {
    solutionVersionArn: input.solutionVersionArn,
    servingVersionArn: version.arn,
    minProvisionedTPS: input.minProvisionedTPS ?? 1,
    campaignConfig: input.campaignConfig ?? {},
  }, { status: 'ACTIVE', tags: input.tags, parentArn: version.parentArn });
  return arn;
}

export function updateCampaign(
  e: Engine,
  input: { campaignArn: string; solutionVersionArn?: string; minProvisionedTPS?: number; campaignConfig?: CampaignConfig },
): string {
  const c = e.store.get('campaign', input.campaignArn);
  e.requireStatus(c, ['ACTIVE', 'CREATE FAILED'], 'update it');
  const svArn = input.solutionVersionArn ?? (c.props.solutionVersionArn as string);
  const cfg = input.campaignConfig ?? (c.props.campaignConfig as CampaignConfig);
  checkCampaignConfig(cfg, svArn);
  const version = resolveVersion(e, svArn);
  e.models.load(version.arn);
  const t = e.now() / 1000;
  const tps = input.minProvisionedTPS ?? (c.props.minProvisionedTPS as number);
  e.update(c, {
    parentArn: version.parentArn,
    props: {
      ...c.props,
      solutionVersionArn: svArn,
      servingVersionArn: version.arn,
      // A new deployment starts from its own model; automatic updates start over from it.
      servingModelArn: undefined, autoUpdatedAt: undefined, autoUpdateChanges: undefined, autoUpdates: undefined,
      minProvisionedTPS: tps,
      campaignConfig: cfg,
      latestCampaignUpdate: { solutionVersionArn: svArn, minProvisionedTPS: tps, campaignConfig: cfg, status: 'ACTIVE', creationDateTime: t, lastUpdatedDateTime: t },
    },
  });
  return c.arn;
}

export function deleteCampaign(e: Engine, arn: string): void {
  e.store.get('campaign', arn);
  e.store.remove(arn);
}

/**
 * Campaigns created with `<solution>/$LATEST` and syncWithLatestSolutionVersion follow the newest ACTIVE
 * version. The new model is loaded before the switch, so requests never see a half-swapped campaign.
 */
export function syncCampaigns(e: Engine, solutionArn: string): void {
  const latest = latestActiveVersion(e, solutionArn);
  if (!latest) return;
  for (const c of e.store.list('campaign')) {
    const cfg = c.props.campaignConfig as CampaignConfig | undefined;
    if (c.props.solutionVersionArn !== `${solutionArn}/$LATEST` || !cfg?.syncWithLatestSolutionVersion) continue;
    if (c.props.servingVersionArn === latest.arn) continue;
    e.models.load(latest.arn);
    e.update(c, { props: { ...c.props, servingVersionArn: latest.arn, servingModelArn: undefined, autoUpdatedAt: undefined, autoUpdateChanges: undefined, autoUpdates: undefined } });
  }
}
