import { defineModel } from '../src/index.js';

// Owned by @acme/growth-ml.
export default defineModel({
  id: 'price-elasticity',
  owner: 'growth',
  description: 'Estimates demand elasticity per SKU for the pricing simulator (staging only while piloted).',
  taskType: 'regression',
  tier: 'batch',
  dataClass: 'internal',
  features: {
    sku_category: 'category',
    base_price: 'double',
    competitor_price: 'double',
    discount_pct: 'float',
    inventory_days: 'int',
    season: 'category',
    elasticity_prior: 'float',
  },
  versions: [
    {
      version: '0.2.0',
      format: 'sklearn',
      artifact: {
        uri: 's3://acme-ml-staging/growth/price-elasticity/0.2.0/',
        sha256: '84bc629c7fc839a20a05b36ee732896cae0d3bc4e5ea8481d8240c3353487ebe',
      },
      features: {
        sku_category: 'category',
        base_price: 'double',
        competitor_price: 'double',
        discount_pct: 'float',
        inventory_days: 'int',
        season: 'category',
        elasticity_prior: 'float',
      },
      lineage: {
        dataset: 's3://acme-datasets/growth/price-experiments@2026-10-01',
        featureCode: 'github.com/acme/feature-store@c17d16c4fda7',
        trainingRun: 'mlflow:runs/8fc0a548faf8b0b610572f8da921cd4f',
        image: 'docker.io/kserve/sklearnserver@sha256:82702b285aa99e0e7dbf730380fb558ba02ba6814d06375dd8cad190ed36795c',
      },
      evaluation: {
        metrics: { rmse: 0.214, mape: 0.087, p99LatencyMs: 40 },
        artifactSha256: '84bc629c7fc839a20a05b36ee732896cae0d3bc4e5ea8481d8240c3353487ebe',
      },
      approval: { by: 'ana.kowalski@acme.com', at: '2026-10-23T14:30:00Z' },
      profile: { p99LatencyMs: 40, maxRpsPerReplica: 150, warmupSeconds: 10 },
    },
  ],
  deploy: {
    staging: { version: '0.2.0', pool: 'cpu-general' },
  },
});
