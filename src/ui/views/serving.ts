// A campaign or a recommender: what it serves, its configuration and status, and the way into Try it.
import { control } from '../api.js';
import { arn, facts, h, json, section, status } from '../dom.js';
import { recipeName, route, time } from '../format.js';
import type { View } from './context.js';

export const campaignView: View = async (campaignArn, _params, ctx) => {
  const { campaign: c } = await control('DescribeCampaign', { campaignArn });
  const { solutionVersion: v } = await control('DescribeSolutionVersion', { solutionVersionArn: c.solutionVersionArn });
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: v.datasetGroupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name, route('group', g.datasetGroupArn)], [`campaign ${c.name}`]]);
  const cfg = c.campaignConfig ?? {};
  return h('div', null,
    h('div', { class: 'title-row' },
      h('h1', null, `${c.name} `, h('span', { class: 'muted' }, recipeName(v.recipeArn))),
      h('a', { class: 'button', href: route('try', g.datasetGroupArn, { a: campaignArn }), 'data-test': 'try-campaign' }, 'Try it')),
    facts([
      ['ARN', arn(campaignArn, campaignArn)], ['status', status(c.status)],
      ['solution', h('a', { href: route('solution', v.solutionArn) }, v.solutionArn.slice(v.solutionArn.lastIndexOf('/') + 1))],
      ['solution version', arn(c.solutionVersionArn)], ['recipe', h('code', null, v.recipeArn)],
      ['minProvisionedTPS', String(c.minProvisionedTPS ?? 1)],
      ['exploration', cfg.itemExplorationConfig ? `weight ${cfg.itemExplorationConfig.explorationWeight ?? '0.3'}, item age cut-off ${cfg.itemExplorationConfig.explorationItemAgeCutOff ?? '30'} days` : undefined],
      ['rankingInfluence', cfg.rankingInfluence ? Object.entries(cfg.rankingInfluence).map(([k, w]) => `${k} ${w}`).join(', ') : undefined],
      ['metadata with recommendations', cfg.enableMetadataWithRecommendations ? 'enabled' : undefined],
      ['sync with latest version', cfg.syncWithLatestSolutionVersion ? 'yes' : undefined],
      ['created (UTC)', time(c.creationDateTime)], ['updated (UTC)', time(c.lastUpdatedDateTime)],
      ['failure', c.failureReason],
    ]),
    c.campaignConfig ? json('campaignConfig', c.campaignConfig) : null,
    c.latestCampaignUpdate ? section('Latest update', facts([
      ['status', status(c.latestCampaignUpdate.status)], ['solution version', arn(c.latestCampaignUpdate.solutionVersionArn)],
      ['created (UTC)', time(c.latestCampaignUpdate.creationDateTime)], ['failure', c.latestCampaignUpdate.failureReason],
    ])) : null,
  );
};

export const recommenderView: View = async (recommenderArn, _params, ctx) => {
  const { recommender: r } = await control('DescribeRecommender', { recommenderArn });
  const { datasetGroup: g } = await control('DescribeDatasetGroup', { datasetGroupArn: r.datasetGroupArn });
  ctx.crumbs([['Dataset groups', '#/'], [g.name, route('group', g.datasetGroupArn)], [`recommender ${r.name}`]]);
  return h('div', null,
    h('div', { class: 'title-row' },
      h('h1', null, `${r.name} `, h('span', { class: 'muted' }, recipeName(r.recipeArn))),
      h('a', { class: 'button', href: route('try', g.datasetGroupArn, { a: recommenderArn }) }, 'Try it')),
    facts([
      ['ARN', arn(recommenderArn, recommenderArn)], ['status', status(r.status)], ['use case', h('code', null, r.recipeArn)],
      ['created (UTC)', time(r.creationDateTime)], ['failure', r.failureReason],
    ]),
    r.recommenderConfig ? json('recommenderConfig', r.recommenderConfig) : null,
    r.modelMetrics && Object.keys(r.modelMetrics).length ? json('modelMetrics', r.modelMetrics) : null,
  );
};
