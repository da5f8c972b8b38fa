import { defineModel } from '../src/index.js';

// Owned by @acme/vision-ml.
export default defineModel({
  id: 'visual-search-embedder',
  owner: 'vision',
  description: 'Image encoder for "search by photo" (in staging evaluation, not yet launched).',
  taskType: 'embeddings',
  tier: 'standard',
  dataClass: 'public',
  features: {
    image: 'image',
    category_hint: 'category',
    crop_box: 'string',
    marketplace: 'category',
    image_width: 'int',
  },
  versions: [
    {
      version: '0.3.0',
      format: 'pytorch',
      artifact: {
        uri: 's3://acme-ml-staging/vision/visual-search-embedder/0.3.0/',
        sha256: '44ea5189cd7271579fe97eee7d1188619042825cdb0fac6bdd5eec13b764f8c4',
      },
      features: {
        image: 'image',
        category_hint: 'category',
        crop_box: 'string',
        marketplace: 'category',
        image_width: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/vision/catalogue-images@2026-09-10',
        featureCode: 'github.com/acme/feature-store@b08c82228d71',
        trainingRun: 'mlflow:runs/0a8fc14e553a9a2bb5c178836f3212ad',
        image: 'docker.io/pytorch/torchserve-kfs@sha256:09e950dfe4911d98cb66c72d8948961b0f67c6c7ed7a0b85d0d655efb47c3a76',
      },
      evaluation: {
        metrics: { recallAt10: 0.742, mrr: 0.533, p99LatencyMs: 90 },
        artifactSha256: '44ea5189cd7271579fe97eee7d1188619042825cdb0fac6bdd5eec13b764f8c4',
      },
      approval: { by: 'li.wei@acme.com', at: '2026-10-02T13:00:00Z' },
      profile: { p99LatencyMs: 90, maxRpsPerReplica: 60, warmupSeconds: 55, gpuMemoryGiB: 10 },
    },
  ],
  deploy: {
    staging: { version: '0.3.0', pool: 'gpu-l4' },
  },
});
