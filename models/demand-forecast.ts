import { defineModel } from '../src/index.js';

// Owned by @acme/logistics-ml.
export default defineModel({
  id: 'demand-forecast',
  owner: 'logistics',
  description: 'Weekly SKU x store demand forecast, scored in bulk by the replenishment job.',
  taskType: 'regression',
  tier: 'batch',
  dataClass: 'internal',
  features: {
    sku_id: 'category',
    store_id: 'category',
    region: 'category',
    week_of_year: 'int',
    price: 'double',
    promo_flag: 'bool',
    holiday_flag: 'bool',
    lag_sales_1w: 'double',
    lag_sales_52w: 'double',
    rolling_mean_4w: 'double',
  },
  versions: [
    {
      version: '3.0.0',
      format: 'lightgbm',
      artifact: {
        uri: 's3://acme-ml-prod/logistics/demand-forecast/3.0.0/',
        sha256: 'e685587ce85e5698b07b85dba95df60fd242867aa2b303bf71931e2b0a931d2c',
      },
      features: {
        sku_id: 'category',
        store_id: 'category',
        region: 'category',
        week_of_year: 'int',
        price: 'double',
        promo_flag: 'bool',
        holiday_flag: 'bool',
        lag_sales_1w: 'double',
        lag_sales_52w: 'double',
        rolling_mean_4w: 'double',
      },
      lineage: {
        dataset: 's3://acme-datasets/logistics/store-sales@2026-07-01',
        featureCode: 'github.com/acme/feature-store@79f281f14a2c',
        trainingRun: 'mlflow:runs/694851757d913c70a23a7dd8fbd45f68',
        image: 'docker.io/kserve/lgbserver@sha256:82cef4264d9d5555af5d53c58649a91b2e29ad023248dd42264a33b05777049c',
      },
      evaluation: {
        metrics: { rmse: 11.7, wape: 0.192, p99LatencyMs: 120 },
        artifactSha256: 'e685587ce85e5698b07b85dba95df60fd242867aa2b303bf71931e2b0a931d2c',
      },
      approval: { by: 'omar.haddad@acme.com', at: '2026-07-29T12:30:00Z' },
      profile: { p99LatencyMs: 120, maxRpsPerReplica: 40, warmupSeconds: 20 },
    },
    {
      version: '3.1.0',
      format: 'lightgbm',
      artifact: {
        uri: 's3://acme-ml-staging/logistics/demand-forecast/3.1.0/',
        sha256: '2375e8238815e9e4a5cc9b97487e37c3c35a308d7db9cc01efc1dd48382c1822',
      },
      features: {
        sku_id: 'category',
        store_id: 'category',
        region: 'category',
        week_of_year: 'int',
        price: 'double',
        promo_flag: 'bool',
        holiday_flag: 'bool',
        lag_sales_1w: 'double',
        lag_sales_52w: 'double',
        rolling_mean_4w: 'double',
      },
      lineage: {
        dataset: 's3://acme-datasets/logistics/store-sales@2026-10-01',
        featureCode: 'github.com/acme/feature-store@b66bfd987040',
        trainingRun: 'mlflow:runs/43bbba2e0a56cc22a3115613b41511ae',
        image: 'docker.io/kserve/lgbserver@sha256:82cef4264d9d5555af5d53c58649a91b2e29ad023248dd42264a33b05777049c',
      },
      evaluation: {
        metrics: { rmse: 11.2, wape: 0.185, p99LatencyMs: 125 },
        artifactSha256: '2375e8238815e9e4a5cc9b97487e37c3c35a308d7db9cc01efc1dd48382c1822',
      },
      approval: { by: 'omar.haddad@acme.com', at: '2026-10-28T10:10:00Z' },
      profile: { p99LatencyMs: 125, maxRpsPerReplica: 40, warmupSeconds: 20 },
    },
  ],
  deploy: {
    // The forecast ensemble holds ~20 GiB in memory, hence the high-memory pool.
    staging: {
      version: '3.1.0',
      pool: 'cpu-highmem',
      resources: { cpu: 4, memoryGiB: 32 },
    },
    prod: {
      version: '3.0.0',
      pool: 'cpu-highmem',
      resources: { cpu: 4, memoryGiB: 32 },
      traffic: { peakRps: 3 },
    },
  },
});
