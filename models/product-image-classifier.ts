import { defineModel } from '../src/index.js';

// Owned by @acme/vision-ml.
export default defineModel({
  id: 'product-image-classifier',
  owner: 'vision',
  description: 'Predicts the catalogue category of a product photo (ViT-B/16 fine-tune).',
  taskType: 'vision',
  tier: 'standard',
  dataClass: 'public',
  features: {
    image: 'image',
    image_id: 'string',
    image_width: 'int',
    image_height: 'int',
    marketplace: 'category',
    seller_category_hint: 'category',
  },
  versions: [
    {
      version: '5.0.0',
      format: 'pytorch',
      artifact: {
        uri: 's3://acme-ml-prod/vision/product-image-classifier/5.0.0/',
        sha256: 'e7abbb5f8f608cb7e0466a84dcc240385a79da4080633fc2f689835645c79b97',
      },
      features: {
        image: 'image',
        image_id: 'string',
        image_width: 'int',
        image_height: 'int',
        marketplace: 'category',
        seller_category_hint: 'category',
      },
      lineage: {
        dataset: 's3://acme-datasets/vision/catalogue-images@2026-07-20',
        featureCode: 'github.com/acme/feature-store@d922531b8e60',
        trainingRun: 'mlflow:runs/eaeb316619453cd02dd9a84c9ac2d0a1',
        image: 'docker.io/pytorch/torchserve-kfs@sha256:09e950dfe4911d98cb66c72d8948961b0f67c6c7ed7a0b85d0d655efb47c3a76',
      },
      evaluation: {
        metrics: { top1Accuracy: 0.874, top5Accuracy: 0.971, p99LatencyMs: 80 },
        artifactSha256: 'e7abbb5f8f608cb7e0466a84dcc240385a79da4080633fc2f689835645c79b97',
      },
      approval: { by: 'li.wei@acme.com', at: '2026-08-12T11:55:00Z' },
      profile: { p99LatencyMs: 80, maxRpsPerReplica: 120, warmupSeconds: 60, gpuMemoryGiB: 10 },
    },
  ],
  deploy: {
    staging: {
      version: '5.0.0',
      pool: 'gpu-l4',
      batching: { maxBatchSize: 16, maxLatencyMs: 20 },
    },
    prod: {
      version: '5.0.0',
      pool: 'gpu-l4',
      traffic: { peakRps: 300 },
      batching: { maxBatchSize: 16, maxLatencyMs: 20 },
    },
  },
});
