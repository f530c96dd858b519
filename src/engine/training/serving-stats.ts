// What serving keeps beside a model that depends on the training data alone (item popularity, item ages, the repeat
// stage's statistics). Pure, so train-job.ts can compute it on a side thread while the models train.
import { itemPopularity } from '../../recipes/popularity-count.js';
import type { TrainingData } from '../../recipes/types.js';
import { learnRepeat, type RepeatStats } from './repeat.js';

export interface ServingStats { itemPopularity: Float32Array; itemFirstSeen: Float64Array; repeat?: RepeatStats }

/** The fields servingStats reads: what a side thread is sent (the arrays as SharedArrayBuffer views). */
export type ServingStatsInput = Pick<TrainingData, 'itemIds' | 'userPtr' | 'itemIdx' | 'timestamps' | 'eventType' | 'eventTypes'>;

export function servingStats(data: ServingStatsInput, repeatAware: boolean): ServingStats {
  const { uniqueUsers } = itemPopularity(data as TrainingData);
  // Freshness needs an age for every item: CREATION_TIMESTAMP, else the item's first interaction.
  const itemFirstSeen = new Float64Array(data.itemIds.length).fill(NaN);
  for (let p = 0; p < data.itemIdx.length; p++) {
    const i = data.itemIdx[p]!, t = data.timestamps[p]!;
    if (!(itemFirstSeen[i]! <= t)) itemFirstSeen[i] = t;
  }
  return { itemPopularity: uniqueUsers, itemFirstSeen, ...(repeatAware ? { repeat: learnRepeat(data as TrainingData) } : {}) };
}
