import { defineModel } from '../src/index.js';

// Owned by @acme/assistant-ml.
export default defineModel({
  id: 'support-ticket-router',
  owner: 'assistant',
  description: 'TF-IDF + logistic regression router that assigns incoming tickets to support queues.',
  taskType: 'nlp',
  tier: 'standard',
  dataClass: 'pii',
  features: {
    subject: 'text',
    body: 'text',
    channel: 'category',
    customer_tier: 'category',
    language: 'category',
    attachments_count: 'int',
    created_at: 'timestamp',
  },
  versions: [
    {
      version: '0.9.3',
      format: 'sklearn',
      artifact: {
        uri: 's3://acme-ml-prod/assistant/support-ticket-router/0.9.3/',
        sha256: 'ef04d7ce69d7eb478be24c30e018683ae49a3a175116e4024f218b9ceab54481',
      },
      features: {
        subject: 'text',
        body: 'text',
        channel: 'category',
        customer_tier: 'category',
        language: 'category',
        attachments_count: 'int',
        created_at: 'timestamp',
      },
      lineage: {
        dataset: 's3://acme-datasets/assistant/resolved-tickets@2026-06-01',
        featureCode: 'github.com/acme/feature-store@190a1b5ba320',
        trainingRun: 'mlflow:runs/c7d6ffe6f9239bcbd21f67febfa92bd4',
        image: 'docker.io/kserve/sklearnserver@sha256:82702b285aa99e0e7dbf730380fb558ba02ba6814d06375dd8cad190ed36795c',
      },
      evaluation: {
        metrics: { macroF1: 0.804, top3Accuracy: 0.951, p99LatencyMs: 30 },
        artifactSha256: 'ef04d7ce69d7eb478be24c30e018683ae49a3a175116e4024f218b9ceab54481',
      },
      approval: { by: 'tom.becker@acme.com', at: '2026-06-18T14:25:00Z' },
      profile: { p99LatencyMs: 30, maxRpsPerReplica: 150, warmupSeconds: 10 },
    },
  ],
  deploy: {
    staging: { version: '0.9.3', pool: 'cpu-general' },
    prod: {
      version: '0.9.3',
      pool: 'cpu-general',
      traffic: { peakRps: 50 },
      replicas: { min: 2, max: 4 },
    },
  },
});
