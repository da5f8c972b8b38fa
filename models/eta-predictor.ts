import { defineModel } from '../src/index.js';

// Owned by @acme/logistics-ml.
export default defineModel({
  id: 'eta-predictor',
  owner: 'logistics',
  description: 'Predicts delivery time shown at checkout and in order tracking.',
  taskType: 'regression',
  tier: 'standard',
  dataClass: 'internal',
  features: {
    pickup_lat: 'double',
    pickup_lng: 'double',
    dropoff_lat: 'double',
    dropoff_lng: 'double',
    distance_km: 'float',
    hour_of_day: 'int',
    day_of_week: 'int',
    traffic_index: 'float',
    couriers_nearby: 'int',
    weather_condition: 'category',
    order_placed_at: 'timestamp',
  },
  versions: [
    {
      version: '6.0.2',
      format: 'xgboost',
      artifact: {
        uri: 's3://acme-ml-prod/logistics/eta-predictor/6.0.2/',
        sha256: 'cb19e6cff78b905bd091b79fed2ad8d38a07496887d6c8fdc2bcaec4802767f2',
      },
      features: {
        pickup_lat: 'double',
        pickup_lng: 'double',
        dropoff_lat: 'double',
        dropoff_lng: 'double',
        distance_km: 'float',
        hour_of_day: 'int',
        day_of_week: 'int',
        traffic_index: 'float',
        couriers_nearby: 'int',
        weather_condition: 'category',
        order_placed_at: 'timestamp',
      },
      lineage: {
        dataset: 's3://acme-datasets/logistics/completed-deliveries@2026-08-20',
        featureCode: 'github.com/acme/feature-store@288cc161fcef',
        trainingRun: 'mlflow:runs/3261e6fe1db49833bf56961ace940d7e',
        image: 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58',
      },
      evaluation: {
        metrics: { rmse: 4.8, mae: 3.1, p90AbsErrorMin: 7.9, p99LatencyMs: 25 },
        artifactSha256: 'cb19e6cff78b905bd091b79fed2ad8d38a07496887d6c8fdc2bcaec4802767f2',
      },
      approval: { by: 'omar.haddad@acme.com', at: '2026-09-03T07:45:00Z' },
      profile: { p99LatencyMs: 25, maxRpsPerReplica: 600, warmupSeconds: 12 },
    },
  ],
  deploy: {
    staging: { version: '6.0.2', pool: 'cpu-general' },
    prod: {
      version: '6.0.2',
      pool: 'cpu-general',
      resources: { cpu: 2, memoryGiB: 4 },
      traffic: { peakRps: 1500 },
    },
  },
});
