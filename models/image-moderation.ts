import { defineModel } from '../src/index.js';

// Owned by @acme/vision-ml.
export default defineModel({
  id: 'image-moderation',
  owner: 'vision',
  description: 'Blocks unsafe user-uploaded images before they are published (ONNX, served by Triton).',
  taskType: 'vision',
  tier: 'critical',
  dataClass: 'internal',
  features: {
    image: 'image',
    caption_text: 'text',
    upload_source: 'category',
    uploader_account_age_days: 'int',
    uploader_prior_flags: 'int',
  },
  versions: [
    {
      version: '3.2.0',
      format: 'onnx',
      artifact: {
        uri: 's3://acme-ml-prod/vision/image-moderation/3.2.0/',
        sha256: 'ca84fc643741c22d2d012ef0b25e0f6c1886afe7ff102f11560116a23a1ffaa3',
      },
      features: {
        image: 'image',
        caption_text: 'text',
        upload_source: 'category',
        uploader_account_age_days: 'int',
        uploader_prior_flags: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/vision/moderation-labels@2026-06-30',
        featureCode: 'github.com/acme/feature-store@6014a4d21e76',
        trainingRun: 'mlflow:runs/e8bf6e3dcef870163723b94c6327bb4a',
        image: 'nvcr.io/nvidia/tritonserver@sha256:ff616715eb87e4bab54379b18a826e108dc3e4615e2ddc78d58ea95b17cb6616',
      },
      evaluation: {
        metrics: { auc: 0.981, recallAtPrecision95: 0.88, p99LatencyMs: 44 },
        artifactSha256: 'ca84fc643741c22d2d012ef0b25e0f6c1886afe7ff102f11560116a23a1ffaa3',
      },
      approval: { by: 'li.wei@acme.com', at: '2026-07-15T08:20:00Z' },
      profile: { p99LatencyMs: 44, maxRpsPerReplica: 300, warmupSeconds: 50, gpuMemoryGiB: 8 },
    },
    {
      version: '3.3.0',
      format: 'onnx',
      artifact: {
        uri: 's3://acme-ml-staging/vision/image-moderation/3.3.0/',
        sha256: 'ac5bdd04ee95a060104bf4746ec337ab67fc36fbf376ad45473d728fab3dd638',
      },
      features: {
        image: 'image',
        caption_text: 'text',
        upload_source: 'category',
        uploader_account_age_days: 'int',
        uploader_prior_flags: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/vision/moderation-labels@2026-09-30',
        featureCode: 'github.com/acme/feature-store@408e4deaad59',
        trainingRun: 'mlflow:runs/b221d16518e386761c8b98391759f372',
        image: 'nvcr.io/nvidia/tritonserver@sha256:ff616715eb87e4bab54379b18a826e108dc3e4615e2ddc78d58ea95b17cb6616',
      },
      evaluation: {
        metrics: { auc: 0.985, recallAtPrecision95: 0.9, p99LatencyMs: 45 },
        artifactSha256: 'ac5bdd04ee95a060104bf4746ec337ab67fc36fbf376ad45473d728fab3dd638',
      },
      approval: { by: 'li.wei@acme.com', at: '2026-10-20T15:45:00Z' },
      profile: { p99LatencyMs: 45, maxRpsPerReplica: 300, warmupSeconds: 50, gpuMemoryGiB: 8 },
    },
  ],
  deploy: {
    staging: { version: '3.3.0', pool: 'gpu-l4' },
    prod: {
      version: '3.2.0',
      pool: 'gpu-l4',
      traffic: { peakRps: 900 },
    },
  },
});
