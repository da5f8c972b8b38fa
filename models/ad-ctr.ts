import { defineModel } from '../src/index.js';

// Owned by @acme/growth-ml.
export default defineModel({
  id: 'ad-ctr',
  owner: 'growth',
  description: 'Predicts click-through rate of sponsored listings for the ad auction.',
  taskType: 'tabular-classification',
  tier: 'critical',
  dataClass: 'internal',
  features: {
    ad_id: 'category',
    campaign_id: 'category',
    placement: 'category',
    device_type: 'category',
    user_ctr_30d: 'float',
    ad_ctr_7d: 'float',
    query_ad_similarity: 'float',
    bid_price: 'double',
    hour_of_day: 'int',
    user_interest_embedding: 'embedding',
  },
  versions: [
    {
      version: '7.4.0',
      format: 'xgboost',
      artifact: {
        uri: 's3://acme-ml-prod/growth/ad-ctr/7.4.0/',
        sha256: 'd2a6ad90a7d25c13dd74bdeeea8cf2fb9b6587d2d0de6da5c0ed7bf74b3dd29d',
      },
      features: {
        ad_id: 'category',
        campaign_id: 'category',
        placement: 'category',
        device_type: 'category',
        user_ctr_30d: 'float',
        ad_ctr_7d: 'float',
        query_ad_similarity: 'float',
        bid_price: 'double',
        hour_of_day: 'int',
        user_interest_embedding: 'embedding',
      },
      lineage: {
        dataset: 's3://acme-datasets/growth/ad-impressions@2026-09-01',
        featureCode: 'github.com/acme/feature-store@d9bcbca2a246',
        trainingRun: 'mlflow:runs/340a24f5207bef7484b3bb14526c761e',
        image: 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58',
      },
      evaluation: {
        metrics: { auc: 0.781, logLoss: 0.121, calibration: 1.02, p99LatencyMs: 15 },
        artifactSha256: 'd2a6ad90a7d25c13dd74bdeeea8cf2fb9b6587d2d0de6da5c0ed7bf74b3dd29d',
      },
      approval: { by: 'ana.kowalski@acme.com', at: '2026-09-12T10:15:00Z' },
      profile: { p99LatencyMs: 15, maxRpsPerReplica: 500, warmupSeconds: 12 },
    },
    {
      version: '7.5.0',
      format: 'xgboost',
      artifact: {
        uri: 's3://acme-ml-staging/growth/ad-ctr/7.5.0/',
        sha256: '24fe18b3195d8088f7059cac1fc3880f07df566387978cdf91a4d1ab5a74cc74',
      },
      features: {
        ad_id: 'category',
        campaign_id: 'category',
        placement: 'category',
        device_type: 'category',
        user_ctr_30d: 'float',
        ad_ctr_7d: 'float',
        query_ad_similarity: 'float',
        bid_price: 'double',
        hour_of_day: 'int',
        user_interest_embedding: 'embedding',
      },
      lineage: {
        dataset: 's3://acme-datasets/growth/ad-impressions@2026-10-01',
        featureCode: 'github.com/acme/feature-store@1eee230dd430',
        trainingRun: 'mlflow:runs/6cadfa55e932cc4a1bb15426252dbeb0',
        image: 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58',
      },
      evaluation: {
        metrics: { auc: 0.786, logLoss: 0.119, calibration: 1.01, p99LatencyMs: 15 },
        artifactSha256: '24fe18b3195d8088f7059cac1fc3880f07df566387978cdf91a4d1ab5a74cc74',
      },
      approval: { by: 'ana.kowalski@acme.com', at: '2026-10-17T16:05:00Z' },
      profile: { p99LatencyMs: 15, maxRpsPerReplica: 500, warmupSeconds: 12 },
    },
  ],
  deploy: {
    staging: {
      version: '7.5.0',
      pool: 'cpu-general',
      resources: { cpu: 2, memoryGiB: 4 },
      traffic: { peakRps: 150 },
    },
    prod: {
      version: '7.4.0',
      pool: 'cpu-general',
      resources: { cpu: 2, memoryGiB: 4 },
      traffic: { peakRps: 5000 },
    },
  },
});
