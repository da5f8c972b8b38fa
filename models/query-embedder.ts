import { defineModel } from '../src/index.js';

// Owned by @acme/search-ml.
export default defineModel({
  id: 'query-embedder',
  owner: 'search',
  description: 'Encodes search queries into 384-dimensional vectors for semantic retrieval.',
  taskType: 'embeddings',
  tier: 'standard',
  dataClass: 'internal',
  features: {
    query_text: 'text',
    locale: 'category',
    surface: 'category',
    user_segment: 'category',
    max_tokens: 'int',
  },
  versions: [
    {
      version: '3.0.0',
      format: 'pytorch',
      artifact: {
        uri: 's3://acme-ml-prod/search/query-embedder/3.0.0/',
        sha256: '7fc4e8bc0671b96de89ca5a5dcbf69a3eb2b3159a2707b71a185c3ed5952a097',
      },
      features: {
        query_text: 'text',
        locale: 'category',
        surface: 'category',
        user_segment: 'category',
        max_tokens: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/search/query-click-pairs@2026-05-01',
        featureCode: 'github.com/acme/feature-store@d000647a7e4c',
        trainingRun: 'mlflow:runs/0cb5dc8ac099ae950732cd19d3aa9b83',
        image: 'docker.io/pytorch/torchserve-kfs@sha256:09e950dfe4911d98cb66c72d8948961b0f67c6c7ed7a0b85d0d655efb47c3a76',
      },
      evaluation: {
        metrics: { recallAt100: 0.874, mrr: 0.391, p99LatencyMs: 38 },
        artifactSha256: '7fc4e8bc0671b96de89ca5a5dcbf69a3eb2b3159a2707b71a185c3ed5952a097',
      },
      approval: { by: 'j.okafor@acme.com', at: '2026-05-28T15:30:00Z' },
      profile: { p99LatencyMs: 38, maxRpsPerReplica: 250, warmupSeconds: 45, gpuMemoryGiB: 12 },
    },
    {
      version: '3.1.0',
      format: 'pytorch',
      artifact: {
        uri: 's3://acme-ml-staging/search/query-embedder/3.1.0/',
        sha256: '055324ec92051181cc8a81727a31aeef338bf3adec513127615baa0b0fa4bd7a',
      },
      features: {
        query_text: 'text',
        locale: 'category',
        surface: 'category',
        user_segment: 'category',
        max_tokens: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/search/query-click-pairs@2026-09-20',
        featureCode: 'github.com/acme/feature-store@863cf8264538',
        trainingRun: 'mlflow:runs/5f9f32673a83a48f87cbf4a438d8a01e',
        image: 'docker.io/pytorch/torchserve-kfs@sha256:09e950dfe4911d98cb66c72d8948961b0f67c6c7ed7a0b85d0d655efb47c3a76',
      },
      evaluation: {
        metrics: { recallAt100: 0.889, mrr: 0.402, p99LatencyMs: 40 },
        artifactSha256: '055324ec92051181cc8a81727a31aeef338bf3adec513127615baa0b0fa4bd7a',
      },
      approval: { by: 'priya.nair@acme.com', at: '2026-10-14T08:50:00Z' },
      profile: { p99LatencyMs: 40, maxRpsPerReplica: 250, warmupSeconds: 45, gpuMemoryGiB: 12 },
    },
  ],
  deploy: {
    staging: {
      version: '3.1.0',
      pool: 'gpu-l4',
      batching: { maxBatchSize: 32, maxLatencyMs: 10 },
    },
    prod: {
      version: '3.0.0',
      pool: 'gpu-l4',
      traffic: { peakRps: 1200 },
      batching: { maxBatchSize: 32, maxLatencyMs: 10 },
    },
  },
});
