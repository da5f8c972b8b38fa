import { defineModel } from '../src/index.js';

// Owned by @acme/risk-ml.
export default defineModel({
  id: 'fraud-detector',
  owner: 'risk',
  description: 'Scores card transactions for fraud at authorization time.',
  taskType: 'tabular-classification',
  tier: 'critical',
  dataClass: 'pii',
  // Checked at every canary step, against the same query for the stable version.
  quality: [
    {
      name: 'approval-rate',
      query: 'sum(rate(fraud_decisions_total{namespace="{{namespace}}",pod=~"{{workload}}-.*",decision="approve"}[10m])) / sum(rate(fraud_decisions_total{namespace="{{namespace}}",pod=~"{{workload}}-.*"}[10m]))',
      condition: '>= 0.90',
      maxDelta: 0.02,
    },
    {
      name: 'score-drift-psi',
      query: 'max(model_feature_psi{namespace="{{namespace}}",pod=~"{{workload}}-.*",feature="score"})',
      condition: '<= 0.2',
    },
  ],
  features: {
    transaction_amount: 'double',
    merchant_category: 'category',
    merchant_country: 'category',
    card_present: 'bool',
    hour_of_day: 'int',
    txn_count_1h: 'int',
    txn_count_24h: 'int',
    avg_amount_30d: 'double',
    distance_from_home_km: 'float',
    device_age_days: 'int',
    account_age_days: 'int',
    is_new_merchant: 'bool',
  },
  versions: [
    {
      version: '4.1.0',
      format: 'xgboost',
      artifact: {
        uri: 's3://acme-ml-prod/risk/fraud-detector/4.1.0/',
        sha256: '1ce56d66a65779cb1125f1b505f7bf43af75cd0588971a8e14b9a1a223b3b806',
      },
      features: {
        transaction_amount: 'double',
        merchant_category: 'category',
        merchant_country: 'category',
        card_present: 'bool',
        hour_of_day: 'int',
        txn_count_1h: 'int',
        txn_count_24h: 'int',
        avg_amount_30d: 'double',
        distance_from_home_km: 'float',
        device_age_days: 'int',
        account_age_days: 'int',
        is_new_merchant: 'bool',
      },
      lineage: {
        dataset: 's3://acme-datasets/risk/card-transactions@2026-08-01',
        featureCode: 'github.com/acme/feature-store@adac0329a569',
        trainingRun: 'mlflow:runs/86ec8c66d03b4c936c8aabe77b63101b',
        image: 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58',
      },
      evaluation: {
        metrics: { auc: 0.962, precisionAt1pctFpr: 0.71, recall: 0.84, p99LatencyMs: 18 },
        artifactSha256: '1ce56d66a65779cb1125f1b505f7bf43af75cd0588971a8e14b9a1a223b3b806',
      },
      approval: { by: 'maria.chen@acme.com', at: '2026-08-19T14:02:00Z' },
      profile: { p99LatencyMs: 18, maxRpsPerReplica: 600, warmupSeconds: 12 },
    },
    {
      version: '4.2.0',
      format: 'xgboost',
      artifact: {
        uri: 's3://acme-ml-prod/risk/fraud-detector/4.2.0/',
        sha256: 'ff1bca841a14d6d4530a0549830821bd158aaeac46fb27f93929b68be1ede43d',
      },
      features: {
        transaction_amount: 'double',
        merchant_category: 'category',
        merchant_country: 'category',
        card_present: 'bool',
        hour_of_day: 'int',
        txn_count_1h: 'int',
        txn_count_24h: 'int',
        avg_amount_30d: 'double',
        distance_from_home_km: 'float',
        device_age_days: 'int',
        account_age_days: 'int',
        is_new_merchant: 'bool',
      },
      lineage: {
        dataset: 's3://acme-datasets/risk/card-transactions@2026-10-01',
        featureCode: 'github.com/acme/feature-store@47d947ca9fba',
        trainingRun: 'mlflow:runs/826c319345f4dd6296d3fee62871a24f',
        image: 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58',
      },
      evaluation: {
        metrics: { auc: 0.968, precisionAt1pctFpr: 0.74, recall: 0.86, p99LatencyMs: 19 },
        artifactSha256: 'ff1bca841a14d6d4530a0549830821bd158aaeac46fb27f93929b68be1ede43d',
      },
      approval: { by: 'maria.chen@acme.com', at: '2026-10-21T09:30:00Z' },
      profile: { p99LatencyMs: 19, maxRpsPerReplica: 600, warmupSeconds: 12 },
    },
  ],
  deploy: {
    staging: {
      version: '4.2.0',
      pool: 'cpu-general',
      resources: { cpu: 2, memoryGiB: 4 },
      traffic: { peakRps: 200 },
    },
    // 4.2.0 is a canary in prod: step 1 of 'progressive' sends it 25 % of traffic.
    prod: {
      version: '4.1.0',
      canary: { version: '4.2.0', policy: 'progressive', step: 1 },
      pool: 'cpu-general',
      resources: { cpu: 2, memoryGiB: 4 },
      traffic: { peakRps: 6000 },
    },
  },
});
