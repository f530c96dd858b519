// The runtime operation of next-best-action campaigns: GetActionRecommendations.
import type { Engine } from '../../engine/core/engine.js';
import { getActionRecommendations } from '../../engine/serving/actions.js';
import type { PersonalizeApi } from '../api.js';

export function registerActionOperations(api: PersonalizeApi, e: Engine): void {
  api.register('GetActionRecommendations', (i) => getActionRecommendations(e, i as never));
}
