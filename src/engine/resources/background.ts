// The clock-driven work of the operations, attached to an engine with them: automatic training
// (performAutoTraining) and campaigns' 2-hourly updates (and trending-now windows).
import type { Engine } from '../core/engine.js';
import { runDueAutoTraining } from './auto-training.js';
import { runDueCampaignUpdates } from './auto-update.js';

export function attachBackgroundWork(e: Engine): void {
  e.attach('auto-training', () => ({ tick: () => runDueAutoTraining(e) }));
  e.attach('campaign-updates', () => ({ tick: () => runDueCampaignUpdates(e) }));
}
