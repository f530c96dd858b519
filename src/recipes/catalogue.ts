// Every recipe Personalize offers (reference §2.1-2.3), built locally or not: what DescribeRecipe,
// ListRecipes, DescribeAlgorithm and DescribeFeatureTransformation report.
import type { HyperParameterSpec, RecipeType } from './types.js';

export interface CatalogueEntry {
  name: string;
  recipeType: RecipeType;
  algorithm: string;
  featureTransformation?: string;
  description: string;
  domain?: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  hyperParameters: HyperParameterSpec[];
  featureParameters: Record<string, string>;
}

const int = (name: string, d: number, min: number, max: number, tunable = true): HyperParameterSpec =>
  ({ name, type: 'integer', default: String(d), min, max, tunable });
const cont = (name: string, d: number, min: number, max: number, tunable = true): HyperParameterSpec =>
  ({ name, type: 'continuous', default: String(d), min, max, tunable });
const cat = (name: string, d: string, values: string[], tunable = true): HyperParameterSpec =>
  ({ name, type: 'categorical', default: d, values, tunable });

const HRNN_FEATURES = { min_user_history_length_percentile: '0.0', max_user_history_length_percentile: '0.99' };
const UP_PARAMS = [int('hidden_dimension', 149, 32, 256), int('bptt', 32, 2, 32), cat('recency_mask', 'true', ['true', 'false'])];
const V2_PARAMS = [cat('apply_recency_bias', 'true', ['true', 'false'], false)];

const e = (
  name: string, recipeType: RecipeType, description: string,
  opts: Partial<Omit<CatalogueEntry, 'name' | 'recipeType' | 'description'>> = {},
): CatalogueEntry => ({
  name, recipeType, description, algorithm: opts.algorithm ?? name, featureTransformation: opts.featureTransformation,
  domain: opts.domain, hyperParameters: opts.hyperParameters ?? [], featureParameters: opts.featureParameters ?? {},
});

export const CATALOGUE: readonly CatalogueEntry[] = [
  e('aws-user-personalization-v2', 'USER_PERSONALIZATION', 'Transformer-based personalized recommendations for up to 5 million items, with automatic exploration.', { hyperParameters: V2_PARAMS }),
  e('aws-user-personalization', 'USER_PERSONALIZATION', 'Personalized recommendations with item exploration and automatic 2-hourly updates.', { hyperParameters: UP_PARAMS, featureParameters: HRNN_FEATURES }),
  e('aws-hrnn', 'USER_PERSONALIZATION', 'Legacy hierarchical RNN recipe (no longer available for new solutions).', { featureTransformation: 'JSON-percentile-filtering', hyperParameters: [int('hidden_dimension', 43, 32, 256), int('bptt', 32, 2, 32), cat('recency_mask', 'true', ['true', 'false'])], featureParameters: HRNN_FEATURES }),
  e('aws-hrnn-metadata', 'USER_PERSONALIZATION', 'Legacy HRNN with user and item metadata.', { featureTransformation: 'featurize_metadata', hyperParameters: [int('hidden_dimension', 43, 32, 256), int('bptt', 32, 2, 32), cat('recency_mask', 'true', ['true', 'false'])], featureParameters: HRNN_FEATURES }),
  e('aws-hrnn-coldstart', 'USER_PERSONALIZATION', 'Legacy HRNN for cold items.', { featureTransformation: 'featurize_coldstart', hyperParameters: UP_PARAMS, featureParameters: { ...HRNN_FEATURES, cold_start_max_interactions: '15', cold_start_max_duration: '5.0', cold_start_relative_from: 'latestItem' } }),
  e('aws-trending-now', 'POPULAR_ITEMS', 'Items whose interactions grow fastest between consecutive time windows.', { algorithm: 'aws-trending-now-custom', featureParameters: { trend_discovery_frequency: '2 hours' } }),
  e('aws-popularity-count', 'USER_PERSONALIZATION', 'The items with the most interactions from unique users; the same for every user.', { featureTransformation: 'sims' }),
  e('aws-personalized-ranking-v2', 'PERSONALIZED_RANKING', 'Transformer-based ranking of a given list of items for a user.', { hyperParameters: V2_PARAMS }),
  e('aws-personalized-ranking', 'PERSONALIZED_RANKING', 'Ranks a given list of items for a user.', { featureTransformation: 'JSON-percentile-filtering', hyperParameters: UP_PARAMS, featureParameters: HRNN_FEATURES }),
  e('aws-semantic-similarity', 'RELATED_ITEMS', 'Items semantically similar to a given item, from the item name and description.', { featureTransformation: 'aws-semantic-similarity' }),
  e('aws-similar-items', 'RELATED_ITEMS', 'Items similar to a given item, from co-interactions and item metadata.', { hyperParameters: [cont('popularity_discount_factor', 0, 0, 1, false), int('item_id_hidden_dim', 100, 30, 200), int('item_metadata_hidden_dim', 100, 30, 200)] }),
  e('aws-sims', 'RELATED_ITEMS', 'Items similar to a given item, from co-occurrence in user histories (item-to-item collaborative filtering).', { featureTransformation: 'sims', hyperParameters: [cont('popularity_discount_factor', 0.5, 0, 1), int('min_cointeraction_count', 3, 0, 10)], featureParameters: { min_user_history_length_percentile: '0.005', max_user_history_length_percentile: '0.995', min_item_interaction_count_percentile: '0.01', max_item_interaction_count_percentile: '0.9' } }),
  e('aws-next-best-action', 'PERSONALIZED_ACTIONS', 'The actions a user is most likely to take.', { featureParameters: { action_optimization_period: '14' } }),
  e('aws-item-affinity', 'USER_SEGMENTATION', 'Users most likely to interact with each given item.', { featureTransformation: 'item-affinity', hyperParameters: [int('hidden_dimension', 149, 32, 256, false)] }),
  e('aws-item-attribute-affinity', 'USER_SEGMENTATION', 'Users most likely to interact with items having given attributes.', { featureTransformation: 'item-attribute-affinity', hyperParameters: [int('hidden_dimension', 149, 32, 256, false)] }),
  // Domain dataset group use cases (CreateRecommender recipeArn).
  e('aws-ecomm-popular-items-by-views', 'POPULAR_ITEMS', 'Most viewed items.', { domain: 'ECOMMERCE' }),
  e('aws-ecomm-popular-items-by-purchases', 'POPULAR_ITEMS', 'Best sellers.', { domain: 'ECOMMERCE' }),
  e('aws-ecomm-frequently-bought-together', 'RELATED_ITEMS', 'Items frequently bought together with a given item.', { domain: 'ECOMMERCE' }),
  e('aws-ecomm-customers-who-viewed-x-also-viewed', 'RELATED_ITEMS', 'Customers who viewed X also viewed.', { domain: 'ECOMMERCE' }),
  e('aws-ecomm-recommended-for-you', 'USER_PERSONALIZATION', 'Recommended for you.', { domain: 'ECOMMERCE' }),
  e('aws-vod-because-you-watched-x', 'RELATED_ITEMS', 'Because you watched X.', { domain: 'VIDEO_ON_DEMAND' }),
  e('aws-vod-more-like-x', 'RELATED_ITEMS', 'More like X.', { domain: 'VIDEO_ON_DEMAND' }),
  e('aws-vod-most-popular', 'POPULAR_ITEMS', 'Most popular videos.', { domain: 'VIDEO_ON_DEMAND' }),
  e('aws-vod-trending-now', 'POPULAR_ITEMS', 'Trending now.', { domain: 'VIDEO_ON_DEMAND' }),
  e('aws-vod-top-picks', 'USER_PERSONALIZATION', 'Top picks for you.', { domain: 'VIDEO_ON_DEMAND' }),
];

const BY_NAME = new Map(CATALOGUE.map((c) => [c.name, c]));
export const catalogueEntry = (name: string): CatalogueEntry | undefined => BY_NAME.get(name);
