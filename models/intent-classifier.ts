import { defineModel } from '../src/index.js';

// Owned by @acme/assistant-ml.
export default defineModel({
  id: 'intent-classifier',
  owner: 'assistant',
  description: 'Classifies the intent of an assistant utterance to pick a tool or a human queue.',
  taskType: 'nlp',
  tier: 'standard',
  dataClass: 'pii',
  features: {
    utterance: 'text',
    channel: 'category',
    locale: 'category',
    previous_intent: 'category',
    turn_index: 'int',
  },
  versions: [
    {
      version: '2.0.1',
      format: 'huggingface',
      artifact: {
        uri: 's3://acme-ml-prod/assistant/intent-classifier/2.0.1/',
        sha256: '6a1fa7ed991d7c1f12a429e63d80a4120d8cbb3ef3ab47137ee9824125f09db1',
      },
      features: {
        utterance: 'text',
        channel: 'category',
        locale: 'category',
        previous_intent: 'category',
        turn_index: 'int',
      },
      lineage: {
        dataset: 's3://acme-datasets/assistant/labelled-utterances@2026-07-01',
        featureCode: 'github.com/acme/feature-store@1e03f24a801b',
        trainingRun: 'mlflow:runs/7d103caa77b2ac336a0474bb109d9837',
        image: 'docker.io/kserve/huggingfaceserver@sha256:c09a8994e055a44dd40043917e43486964e195281643d404289508d75d39f423',
      },
      evaluation: {
        metrics: { macroF1: 0.887, accuracy: 0.912, p99LatencyMs: 60 },
        artifactSha256: '6a1fa7ed991d7c1f12a429e63d80a4120d8cbb3ef3ab47137ee9824125f09db1',
      },
      approval: { by: 'sofia.alvarez@acme.com', at: '2026-07-22T09:05:00Z' },
      profile: { p99LatencyMs: 60, maxRpsPerReplica: 80, warmupSeconds: 40, gpuMemoryGiB: 8 },
    },
  ],
  deploy: {
    staging: { version: '2.0.1', pool: 'gpu-l4' },
    prod: {
      version: '2.0.1',
      pool: 'gpu-l4',
      traffic: { peakRps: 200 },
    },
  },
});
