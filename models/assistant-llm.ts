import { defineModel } from '../src/index.js';

// Owned by @acme/assistant-ml.
export default defineModel({
  id: 'assistant-llm',
  owner: 'assistant',
  description: 'Instruction-tuned 34B model behind the customer support assistant (short answers, streamed).',
  taskType: 'llm',
  tier: 'standard',
  dataClass: 'pii',
  features: {
    prompt: 'text',
    system_prompt: 'text',
    conversation_id: 'string',
    max_new_tokens: 'int',
    temperature: 'float',
  },
  versions: [
    {
      version: '1.0.0',
      format: 'huggingface',
      artifact: {
        uri: 's3://acme-ml-prod/assistant/assistant-llm/1.0.0/',
        sha256: '009f2505786346834b09b6d40c8c648431aafe6b738d59ab3f8f485049f3b0f8',
      },
      features: {
        prompt: 'text',
        system_prompt: 'text',
        conversation_id: 'string',
        max_new_tokens: 'int',
        temperature: 'float',
      },
      lineage: {
        dataset: 's3://acme-datasets/assistant/support-conversations@2026-04-01',
        featureCode: 'github.com/acme/feature-store@a4786de78c6c',
        trainingRun: 'mlflow:runs/eaca021b9ba5ec453dee0c66d47d235b',
        image: 'docker.io/kserve/huggingfaceserver@sha256:c09a8994e055a44dd40043917e43486964e195281643d404289508d75d39f423',
      },
      evaluation: {
        metrics: { winRateVsBaseline: 0.58, groundedness: 0.91, toxicityRate: 0.002, p99LatencyMs: 230 },
        artifactSha256: '009f2505786346834b09b6d40c8c648431aafe6b738d59ab3f8f485049f3b0f8',
      },
      approval: { by: 'sofia.alvarez@acme.com', at: '2026-05-06T17:15:00Z' },
      // A cold node: 140 GiB of weights read from disk into 2 GPUs, CUDA graphs captured, compile cache empty.
      profile: { p99LatencyMs: 230, maxRpsPerReplica: 4, warmupSeconds: 90, coldLoadSeconds: 300, gpuMemoryGiB: 140 },
    },
    {
      version: '1.1.0',
      format: 'huggingface',
      artifact: {
        uri: 's3://acme-ml-prod/assistant/assistant-llm/1.1.0/',
        sha256: 'af10a38b6292556f28d048f4648b11d4b0d477f50b7ace97f02ae4e7384e2abb',
      },
      features: {
        prompt: 'text',
        system_prompt: 'text',
        conversation_id: 'string',
        max_new_tokens: 'int',
        temperature: 'float',
      },
      lineage: {
        dataset: 's3://acme-datasets/assistant/support-conversations@2026-08-15',
        featureCode: 'github.com/acme/feature-store@8f99893156a6',
        trainingRun: 'mlflow:runs/527c513c7529651203453ddbc5e40b7e',
        image: 'docker.io/kserve/huggingfaceserver@sha256:c09a8994e055a44dd40043917e43486964e195281643d404289508d75d39f423',
      },
      evaluation: {
        metrics: { winRateVsBaseline: 0.63, groundedness: 0.93, toxicityRate: 0.001, p99LatencyMs: 220 },
        artifactSha256: 'af10a38b6292556f28d048f4648b11d4b0d477f50b7ace97f02ae4e7384e2abb',
      },
      approval: { by: 'sofia.alvarez@acme.com', at: '2026-09-09T10:40:00Z' },
      // A cold node: 140 GiB of weights read from disk into 2 GPUs, CUDA graphs captured, compile cache empty.
      profile: { p99LatencyMs: 220, maxRpsPerReplica: 4, warmupSeconds: 90, coldLoadSeconds: 300, gpuMemoryGiB: 140 },
    },
  ],
  deploy: {
    staging: {
      version: '1.1.0',
      pool: 'gpu-a100-80',
      resources: { gpus: 2, cpu: 12, memoryGiB: 160 },
    },
    prod: {
      version: '1.1.0',
      pool: 'gpu-a100-80',
      // 140 GiB of weights + KV cache: tensor-parallel over 2 x A100 80GB.
      resources: { gpus: 2, cpu: 12, memoryGiB: 160 },
      traffic: { peakRps: 40 },
    },
  },
});
