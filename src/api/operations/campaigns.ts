// Campaigns and the runtime operations that query them.
import type { Engine } from '../../engine/core/engine.js';
import { createCampaign, deleteCampaign, updateCampaign } from '../../engine/resources/campaigns.js';
import { getPersonalizedRanking, getRecommendationsAsync } from '../../engine/serving/recommend.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerCampaignOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateCampaign', (i: In) => ({ campaignArn: createCampaign(e, i as never) }));
  api.register('UpdateCampaign', (i: In) => ({ campaignArn: updateCampaign(e, i as never) }));
  api.register('DeleteCampaign', (i: In) => { deleteCampaign(e, i.campaignArn); return undefined; });
  registerDescribe(api, e, 'DescribeCampaign', 'campaign', 'campaign');
  registerList(api, e, 'ListCampaigns', 'campaign', 'campaigns', { member: 'solutionArn', kind: 'solution' });

  api.register('GetRecommendations', (i: In) => getRecommendationsAsync(e, i));
  api.register('GetPersonalizedRanking', (i: In) => getPersonalizedRanking(e, i as never));
}
