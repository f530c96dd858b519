// How a campaign or a recommender serves, as CreateCampaign / CreateRecommender store it: exploration, ranking
// influence, metadata in answers, and (campaigns) following the solution's latest version.

export interface CampaignConfig {
  itemExplorationConfig?: Record<string, string>;
  enableMetadataWithRecommendations?: boolean;
  syncWithLatestSolutionVersion?: boolean;
  rankingInfluence?: Record<string, number>;
}

export interface RecommenderConfig {
  itemExplorationConfig?: Record<string, string>;
  minRecommendationRequestsPerSecond?: number;
  trainingDataConfig?: { excludedDatasetColumns?: Record<string, string[]>; includedDatasetColumns?: Record<string, string[]> };
  enableMetadataWithRecommendations?: boolean;
}
