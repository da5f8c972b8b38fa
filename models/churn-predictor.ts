import { defineModel } from '../src/index.js';

// Owned by @acme/growth-ml.
export default defineModel({
  id: 'churn-predictor',
  owner: 'growth',
  description: 'Nightly churn propensity for retention campaigns; called by the campaign scheduler.',
  taskType: 'tabular-classification',
  tier: 'batch',
  dataClass: 'internal',
  features: {
    tenure_months: 'int',
    monthly_spend: 'double',
    support_tickets_90d: 'int',
    logins_30d: 'int',
    plan_type: 'category',
    has_autopay: 'bool',
    days_since_last_purchase: 'int',
    nps_score: 'int',
  },
  versions: [
    {
      version: '2.1.0',
      format: 'sklearn',
      artifact: {
        uri: 's3://acme-ml-prod/growth/churn-predictor/2.1.0/',
        sha256: 'ba3e63226ac918ea39d56d1948aabf53dc121b9c8b0627c125f6ecc13ef8f5d3',
      },
      features: {
        tenure_months: 'int',
        monthly_spend: 'double',
        support_tickets_90d: 'int',
        logins_30d: 'int',
        plan_type: 'category',
        has_autopay: 'bool',
        days_since_last_purchase: 'int',
        nps_score: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/growth/customer-activity@2026-09-01',
        featureCode: 'github.com/acme/feature-store@02001a3db3bf',
        trainingRun: 'mlflow:runs/efd9ab03cb5418e821042c7d6781493b',
        image: 'docker.io/kserve/sklearnserver@sha256:82702b285aa99e0e7dbf730380fb558ba02ba6814d06375dd8cad190ed36795c',
      },
      evaluation: {
        metrics: { auc: 0.842, liftAt10pct: 3.1, p99LatencyMs: 35 },
        artifactSha256: 'ba3e63226ac918ea39d56d1948aabf53dc121b9c8b0627c125f6ecc13ef8f5d3',
      },
      approval: { by: 'ana.kowalski@acme.com', at: '2026-09-25T09:00:00Z' },
      profile: { p99LatencyMs: 35, maxRpsPerReplica: 200, warmupSeconds: 10 },
    },
  ],
  deploy: {
    staging: { version: '2.1.0', pool: 'cpu-general' },
    prod: {
      version: '2.1.0',
      pool: 'cpu-general',
      traffic: { peakRps: 2 },
      replicas: { min: 1, max: 2 },
    },
  },
});
