// Recommenders of domain dataset groups.
import type { Engine } from '../../engine/core/engine.js';
import { createRecommender, deleteRecommender, setRecommenderRunning, updateRecommender } from '../../engine/resources/recommenders.js';
import type { PersonalizeApi } from '../api.js';
import { registerDescribe, registerList } from './common.js';

type In = Record<string, any>;

export function registerRecommenderOperations(api: PersonalizeApi, e: Engine): void {
  api.register('CreateRecommender', async (i: In) => ({ recommenderArn: await createRecommender(e, i as never) }));
  api.register('UpdateRecommender', async (i: In) => ({ recommenderArn: await updateRecommender(e, i as never) }));
  api.register('StartRecommender', (i: In) => ({ recommenderArn: setRecommenderRunning(e, i.recommenderArn, true) }));
  api.register('StopRecommender', (i: In) => ({ recommenderArn: setRecommenderRunning(e, i.recommenderArn, false) }));
  api.register('DeleteRecommender', (i: In) => { deleteRecommender(e, i.recommenderArn); return undefined; });
  registerDescribe(api, e, 'DescribeRecommender', 'recommender', 'recommender');
  registerList(api, e, 'ListRecommenders', 'recommender', 'recommenders', { member: 'datasetGroupArn', kind: 'datasetGroup' });
}
