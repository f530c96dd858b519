// The domain dataset groups' use cases (CreateRecommender recipeArn), each mapped onto a local recipe:
// which events it trains on, what a request must carry, and what it leaves out for the user.
import type { ResourceRecord } from '../store/types.js';

export const RECIPE_PREFIX = 'arn:aws:personalize:::recipe/';

export interface UseCase {
  domain: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  /** Local recipes to train, first one registered wins. */
  recipes: string[];
  /** Train only on this event type (matched case-insensitively), with at least 1000 of them. */
  eventType?: string;
  needsUser: boolean;
  needsItem: boolean;
  /** Items the user interacted with by this event type are never recommended to them. */
  excludeEventType?: string;
  explores: boolean;
}

export const USE_CASES: Record<string, UseCase> = {
  'aws-ecomm-popular-items-by-views': { domain: 'ECOMMERCE', recipes: ['aws-popularity-count'], eventType: 'View', needsUser: true, needsItem: false, explores: false },
  'aws-ecomm-popular-items-by-purchases': { domain: 'ECOMMERCE', recipes: ['aws-popularity-count'], eventType: 'Purchase', needsUser: true, needsItem: false, explores: false },
  'aws-ecomm-frequently-bought-together': { domain: 'ECOMMERCE', recipes: ['aws-sims'], eventType: 'Purchase', needsUser: false, needsItem: true, explores: false },
  'aws-ecomm-customers-who-viewed-x-also-viewed': { domain: 'ECOMMERCE', recipes: ['aws-sims'], eventType: 'View', needsUser: true, needsItem: true, excludeEventType: 'Purchase', explores: false },
  'aws-ecomm-recommended-for-you': { domain: 'ECOMMERCE', recipes: ['aws-user-personalization-v2', 'aws-user-personalization'], needsUser: true, needsItem: false, excludeEventType: 'Purchase', explores: true },
  'aws-vod-because-you-watched-x': { domain: 'VIDEO_ON_DEMAND', recipes: ['aws-sims'], eventType: 'Watch', needsUser: true, needsItem: true, excludeEventType: 'Watch', explores: false },
  'aws-vod-more-like-x': { domain: 'VIDEO_ON_DEMAND', recipes: ['aws-similar-items', 'aws-sims'], needsUser: true, needsItem: true, excludeEventType: 'Watch', explores: false },
  'aws-vod-most-popular': { domain: 'VIDEO_ON_DEMAND', recipes: ['aws-popularity-count'], eventType: 'Watch', needsUser: true, needsItem: false, explores: false },
  'aws-vod-trending-now': { domain: 'VIDEO_ON_DEMAND', recipes: ['aws-trending-now'], needsUser: false, needsItem: false, explores: false },
  'aws-vod-top-picks': { domain: 'VIDEO_ON_DEMAND', recipes: ['aws-user-personalization-v2', 'aws-user-personalization'], needsUser: true, needsItem: false, excludeEventType: 'Watch', explores: true },
};

/** The use case of a recommender record (its recipeArn). */
export function useCaseOf(rec: ResourceRecord): UseCase {
  return USE_CASES[String(rec.props.recipeArn).slice(RECIPE_PREFIX.length)]!;
}
