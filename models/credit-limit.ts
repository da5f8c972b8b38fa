import { defineModel } from '../src/index.js';

// Owned by @acme/risk-ml.
export default defineModel({
  id: 'credit-limit',
  owner: 'risk',
  description: 'Recommends a credit limit for new and existing card accounts.',
  taskType: 'regression',
  tier: 'critical',
  dataClass: 'pii',
  features: {
    annual_income: 'double',
    debt_to_income: 'float',
    credit_score: 'int',
    open_accounts: 'int',
    utilization_ratio: 'float',
    months_since_delinquency: 'int',
    employment_length_years: 'int',
    current_limit: 'double',
    payment_history_score: 'float',
    application_channel: 'category',
  },
  versions: [
    {
      version: '1.4.2',
      format: 'lightgbm',
      artifact: {
        uri: 's3://acme-ml-prod/risk/credit-limit/1.4.2/',
        sha256: '8025eaed17e39f71e6d80904d7267319f0cd7ace11e32d0375a8969f9f4687cc',
      },
      features: {
        annual_income: 'double',
        debt_to_income: 'float',
        credit_score: 'int',
        open_accounts: 'int',
        utilization_ratio: 'float',
        months_since_delinquency: 'int',
        employment_length_years: 'int',
        current_limit: 'double',
        payment_history_score: 'float',
        application_channel: 'category',
      },
      lineage: {
        dataset: 's3://acme-datasets/risk/credit-applications@2026-03-01',
        featureCode: 'github.com/acme/feature-store@f4be3c4f7703',
        trainingRun: 'mlflow:runs/5840446f5af57f9d45cf309086bd1acf',
        image: 'docker.io/kserve/lgbserver@sha256:82cef4264d9d5555af5d53c58649a91b2e29ad023248dd42264a33b05777049c',
      },
      evaluation: {
        metrics: { rmse: 412.5, mae: 288.1, r2: 0.81, p99LatencyMs: 21 },
        artifactSha256: '8025eaed17e39f71e6d80904d7267319f0cd7ace11e32d0375a8969f9f4687cc',
      },
      approval: { by: 'daniel.ross@acme.com', at: '2026-03-24T16:45:00Z' },
      profile: { p99LatencyMs: 21, maxRpsPerReplica: 500, warmupSeconds: 14 },
    },
    {
      version: '1.5.0',
      format: 'lightgbm',
      artifact: {
        uri: 's3://acme-ml-prod/risk/credit-limit/1.5.0/',
        sha256: '81460e6a7f84bc51d88d4f4ba23306d352d09b4a0fb90a36f5df659f50d67c28',
      },
      features: {
        annual_income: 'double',
        debt_to_income: 'float',
        credit_score: 'int',
        open_accounts: 'int',
        utilization_ratio: 'float',
        months_since_delinquency: 'int',
        employment_length_years: 'int',
        current_limit: 'double',
        payment_history_score: 'float',
        application_channel: 'category',
      },
      lineage: {
        dataset: 's3://acme-datasets/risk/credit-applications@2026-09-01',
        featureCode: 'github.com/acme/feature-store@3a3e120a9bd5',
        trainingRun: 'mlflow:runs/abf0f4b7ae6afece1339ae80f59fb3b4',
        image: 'docker.io/kserve/lgbserver@sha256:82cef4264d9d5555af5d53c58649a91b2e29ad023248dd42264a33b05777049c',
      },
      evaluation: {
        metrics: { rmse: 398.2, mae: 279.4, r2: 0.83, p99LatencyMs: 22 },
        artifactSha256: '81460e6a7f84bc51d88d4f4ba23306d352d09b4a0fb90a36f5df659f50d67c28',
      },
      approval: { by: 'daniel.ross@acme.com', at: '2026-09-16T11:10:00Z' },
      profile: { p99LatencyMs: 22, maxRpsPerReplica: 500, warmupSeconds: 14 },
    },
  ],
  deploy: {
    staging: { version: '1.5.0', pool: 'cpu-general' },
    prod: {
      version: '1.5.0',
      pool: 'cpu-general',
      resources: { cpu: 2, memoryGiB: 4 },
      traffic: { peakRps: 800 },
    },
  },
});
