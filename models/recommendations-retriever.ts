import { defineModel } from '../src/index.js';

// Owned by @acme/search-ml.
export default defineModel({
  id: 'recommendations-retriever',
  owner: 'search',
  description: 'Two-tower user encoder that retrieves recommendation candidates from the item index.',
  taskType: 'embeddings',
  tier: 'standard',
  dataClass: 'internal',
  features: {
    user_embedding: 'embedding',
    recent_item_embedding: 'embedding',
    locale: 'category',
    device_type: 'category',
    hour_of_day: 'int',
    day_of_week: 'int',
    candidate_count: 'int',
  },
  versions: [
    {
      version: '1.2.0',
      format: 'onnx',
      artifact: {
        uri: 's3://acme-ml-prod/search/recommendations-retriever/1.2.0/',
        sha256: 'c96b5b38f6d0de22b48a7b66bb1b102962f9ea9e7346b5287e82ccf930f07d1e',
      },
      features: {
        user_embedding: 'embedding',
        recent_item_embedding: 'embedding',
        locale: 'category',
        device_type: 'category',
        hour_of_day: 'int',
        day_of_week: 'int',
        candidate_count: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/search/user-item-interactions@2026-08-10',
        featureCode: 'github.com/acme/feature-store@8f730a3def25',
        trainingRun: 'mlflow:runs/56baae623b2a8ffb2b88e6d7c014dd9a',
        image: 'nvcr.io/nvidia/tritonserver@sha256:ff616715eb87e4bab54379b18a826e108dc3e4615e2ddc78d58ea95b17cb6616',
      },
      evaluation: {
        metrics: { recallAt50: 0.312, coverage: 0.64, p99LatencyMs: 28 },
        artifactSha256: 'c96b5b38f6d0de22b48a7b66bb1b102962f9ea9e7346b5287e82ccf930f07d1e',
      },
      approval: { by: 'priya.nair@acme.com', at: '2026-08-27T12:00:00Z' },
      profile: { p99LatencyMs: 28, maxRpsPerReplica: 500, warmupSeconds: 35, gpuMemoryGiB: 6 },
    },
  ],
  deploy: {
    staging: {
      version: '1.2.0',
      pool: 'gpu-l4',
      batching: { maxBatchSize: 64, maxLatencyMs: 5 },
    },
    prod: {
      version: '1.2.0',
      pool: 'gpu-l4',
      traffic: { peakRps: 1500 },
      batching: { maxBatchSize: 64, maxLatencyMs: 5 },
    },
  },
});
