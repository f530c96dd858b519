// Every implemented operation, registered on one PersonalizeApi over one Engine, with the background work
// (automatic training, campaign updates) that the operations imply.
import type { Engine } from '../../engine/core/engine.js';
import { attachBackgroundWork } from '../../engine/resources/background.js';
import type { PersonalizeApi } from '../api.js';
import { registerActionOperations } from './actions.js';
import { registerBatchOperations } from './batch.js';
import { registerCampaignOperations } from './campaigns.js';
import { registerDataJobOperations } from './data-jobs.js';
import { registerDatasetOperations } from './datasets.js';
import { registerEventOperations } from './events.js';
import { registerFilterOperations } from './filters.js';
import { registerRecommenderOperations } from './recommenders.js';
import { registerSolutionOperations } from './solutions.js';
import { registerTagOperations } from './tags.js';

export function registerAll(api: PersonalizeApi, e: Engine): void {
  registerDatasetOperations(api, e);
  registerSolutionOperations(api, e);
  registerCampaignOperations(api, e);
  registerActionOperations(api, e);
  registerEventOperations(api, e);
  registerDataJobOperations(api, e);
  registerBatchOperations(api, e);
  registerRecommenderOperations(api, e);
  registerFilterOperations(api, e);
  registerTagOperations(api, e);
  attachBackgroundWork(e);
}
