/** Fixtures of the gates: each a change to the reference definitions and the gate diagnostics it gives. */
import { formatPath, type Diagnostic } from '../../src/diagnostics/index.js';
import { checkGates } from '../../src/validate/gates.js';
import type { Definitions } from '../../src/load/index.js';
import { resolvePlatform } from '../../src/resolve/index.js';
import { checkStructure, withoutErrors } from '../../src/validate/index.js';
import { asDefinitions, modelOf, policyOf, type MutableDefinitions } from './definitions.js';

export const NOW = new Date('2026-11-01T00:00:00Z');
export const PLATFORM = 'policies/platform.ts';
export const FRAUD = 'models/fraud-detector.ts';
export const ASSISTANT = 'models/assistant-llm.ts';
export const INTENT = 'models/intent-classifier.ts';
export const SINKS = { sink: 'https://logs.acme.internal/predictions', scrubbingSink: 'https://logs-scrubbed.acme.internal/predictions' };
export const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;

/** `<file> <code> <path>` of each diagnostic, sorted: what a case asserts. */
export function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file} ${d.code} ${formatPath(d.path)}`).sort();
}

/** The gates alone, the way `checkDefinitions` runs them: on what passed the structural checks, resolved once. */
export function gatesOf(definitions: Definitions, now: Date): Diagnostic[] {
  const valid = withoutErrors(definitions, checkStructure(definitions));
  return valid.platform ? checkGates(resolvePlatform(valid), valid, now) : [];
}
export const gates = (d: MutableDefinitions, now = NOW) => gatesOf(asDefinitions(d), now);
export const fraud = (d: MutableDefinitions) => modelOf(d, 'fraud-detector');

/** A copy of 'progressive' named 'strict' with the given offline gates, used by fraud-detector's prod canary. */
export function strictCanary(d: MutableDefinitions, offline: Record<string, string>): void {
  const strict = { ...structuredClone(policyOf(d, 'progressive')), name: 'strict', environments: [], gates: { offline, requireApproval: true } };
  d.policies.push({ value: strict, file: 'policies/strict.ts' });
  fraud(d).deploy.prod.canary!.policy = 'strict';
}

export function withTokenTenant(d: MutableDefinitions): MutableDefinitions {
  modelOf(d, 'search-ranker').deploy.prod.tenants = { [GITHUB_TOKEN]: '2.3.1' };
  return d;
}

export interface Case {
  readonly title: string;
  readonly change: (d: MutableDefinitions) => void;
  /** `<file> <code> <formatted path>`, every gate diagnostic expected; [] for a passing fixture. */
  readonly expected: readonly string[];
}

export const GATE_CASES: Case[] = [
  // 1. Approval
  {
    title: 'rejects a prod canary without approval',
    change: (d) => void delete fraud(d).versions[1].approval,
    expected: [`${FRAUD} MP5001 versions[1]`],
  },
  {
    title: 'rejects a prod stable version without approval',
    change: (d) => void delete modelOf(d, 'ad-ctr').versions[0].approval,
    expected: ['models/ad-ctr.ts MP5001 versions[0]'],
  },
  {
    title: 'rejects a version pinned for a tenant in prod without approval',
    change: (d) => void delete modelOf(d, 'search-ranker').versions[0].approval,
    expected: ['models/search-ranker.ts MP5001 versions[0]'],
  },
  {
    title: 'requires approval by default where the environment has no rollout policy',
    change: (d) => {
      delete d.platform.value.environments.prod.defaultPolicy;
      policyOf(d, 'progressive').environments = [];
      delete modelOf(d, 'ad-ctr').versions[0].approval;
    },
    expected: ['models/ad-ctr.ts MP5001 versions[0]'],
  },
  {
    title: 'accepts an unapproved version that only receives staging traffic under a policy without approval',
    change: (d) => void delete modelOf(d, 'price-elasticity').versions[0].approval,
    expected: [],
  },
  {
    title: 'accepts an unapproved version kept warm as previous (it receives no traffic)',
    change: (d) => {
      const m = modelOf(d, 'ad-ctr');
      m.deploy.prod.previous = { version: '7.5.0', until: '2026-11-02T00:00:00Z' };
      m.versions[1].artifact.uri = 's3://acme-ml-prod/growth/ad-ctr/7.5.0/';
      delete m.versions[1].approval;
    },
    expected: [],
  },
  {
    title: 'rejects an approval dated in the future',
    change: (d) => void (fraud(d).versions[1].approval!.at = '2026-11-02T09:30:00Z'),
    expected: [`${FRAUD} MP5006 versions[1].approval.at`],
  },
  {
    title: 'rejects an approval date that does not exist',
    change: (d) => void (fraud(d).versions[0].approval!.at = '2026-02-30'),
    expected: [`${FRAUD} MP5006 versions[0].approval.at`],
  },
  // 2. Offline evaluation gates
  {
    title: 'rejects a canary that fails an offline gate of its policy',
    change: (d) => strictCanary(d, { auc: '>= 0.97' }),
    expected: [`${FRAUD} MP5002 versions[1].evaluation.metrics.auc`],
  },
  {
    title: 'rejects a canary over an upper-bound offline gate',
    change: (d) => strictCanary(d, { p99LatencyMs: '<= 18' }),
    expected: [`${FRAUD} MP5002 versions[1].evaluation.metrics.p99LatencyMs`],
  },
  {
    title: 'treats a metric the evaluation lacks as a failure, not a pass',
    change: (d) => strictCanary(d, { ndcgAt10: '>= 0.5' }),
    expected: [`${FRAUD} MP5003 versions[1].evaluation.metrics.ndcgAt10`],
  },
  {
    title: 'rejects a canary without evaluation under a policy with offline gates',
    change: (d) => {
      strictCanary(d, { auc: '>= 0.9' });
      delete fraud(d).versions[1].evaluation;
    },
    expected: [`${FRAUD} MP5003 versions[1].evaluation`],
  },
  {
    title: 'rejects a stable version that fails the offline gates of the environment default policy',
    change: (d) => {
      policyOf(d, 'fast').gates!.offline = { p99LatencyMs: '<= 200' };
    },
    // assistant-llm 1.1.0 (220 ms) is the only staging version over 200 ms.
    expected: [`${ASSISTANT} MP5002 versions[1].evaluation.metrics.p99LatencyMs`],
  },
  {
    title: 'accepts a canary that passes every offline gate',
    change: (d) => strictCanary(d, { auc: '>= 0.95', p99LatencyMs: '<= 20' }),
    expected: [],
  },
  {
    title: 'rejects an evaluation of another artifact',
    change: (d) => void (fraud(d).versions[0].evaluation!.artifactSha256 = 'a'.repeat(64)),
    expected: [`${FRAUD} MP5004 versions[0].evaluation.artifactSha256`],
  },
  // 3. Training/serving skew
  {
    title: 'rejects a version that does not serve a training feature',
    change: (d) => void delete fraud(d).versions[1].features.card_present,
    expected: [`${FRAUD} MP5005 versions[1].features.card_present`],
  },
  {
    title: 'rejects a version that serves a feature the model was not trained with',
    change: (d) => void (fraud(d).versions[1].features.ip_risk_score = 'float'),
    expected: [`${FRAUD} MP5005 versions[1].features.ip_risk_score`],
  },
  {
    title: 'rejects a feature served with another type than it was trained with',
    change: (d) => void (fraud(d).versions[0].features.hour_of_day = 'long'),
    expected: [`${FRAUD} MP5005 versions[0].features.hour_of_day`],
  },
  // 4. Capacity
  {
    title: 'rejects a GPU pool that cannot hold the warm pools of its models',
    change: (d) => void (d.platform.value.nodePools['gpu-l4'].nodes.prod = 5),
    expected: [`${PLATFORM} MP6001 nodePools["gpu-l4"].nodes.prod`, `${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.prod`],
  },
  {
    title: 'warns when the burst at maximum replicas needs more GPUs than the pool has, though the warm pools fit',
    change: (d) => void (d.platform.value.nodePools['gpu-l4'].nodes.prod = 10),
    expected: [`${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.prod`],
  },
  {
    title: 'rejects a declared quota that does not hold the real pods (agent and sidecar counted) at maximum replicas plus surge',
    change: (d) => void (d.platform.value.teams.risk.quota = { prod: { cpu: 120 } }),
    expected: [`${PLATFORM} MP6012 teams.risk.quota.prod.cpu`],
  },
  {
    title: 'warns about a declared quota larger than the pools of the team',
    change: (d) => void (d.platform.value.teams.vision.quota = { prod: { gpus: 60 } }),
    expected: [`${PLATFORM} MP6014 teams.vision.quota.prod.gpus`],
  },
  {
    title: 'rejects a GPU runtime on a CPU pool, naming the GPU pools',
    change: (d) => void (modelOf(d, 'product-image-classifier').deploy.prod.pool = 'cpu-general'),
    // Its profile.gpuMemoryGiB cannot be met on a CPU pool either.
    expected: ['models/product-image-classifier.ts MP6003 deploy.prod.pool', 'models/product-image-classifier.ts MP6015 deploy.prod.pool'],
  },
  {
    title: 'rejects a CPU-only runtime on a GPU pool, naming the CPU pools',
    change: (d) => void (modelOf(d, 'churn-predictor').deploy.prod.pool = 'gpu-a100-80'),
    expected: ['models/churn-predictor.ts MP6016 deploy.prod.pool'],
  },
  {
    title: 'rejects a replica that asks for more GPUs than a node has',
    change: (d) => {
      const prod = modelOf(d, 'assistant-llm').deploy.prod;
      prod.resources = { gpus: 9, cpu: 12, memoryGiB: 160 };
      prod.replicas = { min: 1, max: 2 };
    },
    // min 1 is also below the warm pool: ceil(40 rps × headroom 1.3 / 4 rps per replica) = 13 (MP6011, a warning on the standard tier).
    expected: [`${ASSISTANT} MP6002 deploy.prod.resources.gpus`, `${ASSISTANT} MP6011 deploy.prod.replicas.min`],
  },
  {
    title: 'rejects GPU memory that needs more GPUs than a node has, in every environment',
    change: (d) => {
      const m = modelOf(d, 'intent-classifier');
      m.versions[0].profile.gpuMemoryGiB = 200;
      m.deploy.prod.replicas = { min: 1, max: 2 };
    },
    // 9 L4 GPUs per replica: more than a node (4), and more than staging's two nodes (8).
    // min 1 in prod is below the warm pool ceil(200 rps × 1.3 / 80) = 4 (MP6011, a warning on the standard tier).
    expected: [
      `${INTENT} MP6002 deploy.prod.pool`,
      `${INTENT} MP6002 deploy.staging.pool`,
      `${PLATFORM} MP6001 nodePools["gpu-l4"].nodes.staging`,
      // The shortage is this model's doing: it also points at its deploy.staging.
      `${INTENT} MP6001 deploy.staging`,
      `${INTENT} MP6011 deploy.prod.replicas.min`,
      // At maximum replicas, 9 GPUs a replica overflow both environments' L4 pools (warnings).
      `${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.prod`,
      `${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.staging`,
    ],
  },
  {
    title: 'rejects GPU memory larger than the GPUs a replica asks for',
    change: (d) => void (modelOf(d, 'assistant-llm').deploy.prod.resources!.gpus = 1),
    expected: [`${ASSISTANT} MP6003 deploy.prod.resources.gpus`],
  },
  {
    title: 'rejects a GPU model on a CPU pool',
    change: (d) => void (modelOf(d, 'intent-classifier').deploy.staging.pool = 'cpu-general'),
    // No GPU memory there, and its runtime (the Hugging Face server) needs a GPU.
    expected: [`${INTENT} MP6003 deploy.staging.pool`, `${INTENT} MP6015 deploy.staging.pool`],
  },
  {
    title: 'rejects a CPU pool whose cores cannot hold the warm pools',
    change: (d) => void (d.platform.value.nodePools['cpu-general'].nodes.prod = 4),
    expected: [`${PLATFORM} MP6004 nodePools["cpu-general"].nodes.prod`, `${PLATFORM} MP6013 nodePools["cpu-general"].nodes.prod`],
  },
  {
    title: 'rejects a pool whose memory cannot hold the warm pools',
    change: (d) => {
      const prod = modelOf(d, 'demand-forecast').deploy.prod;
      prod.resources = { cpu: 4, memoryGiB: 200 };
      prod.replicas = { min: 3, max: 4 };
    },
    // The pool error, and the model change that pushes the pool over, at its deploy.prod.
    expected: [`${PLATFORM} MP6004 nodePools["cpu-highmem"].nodes.prod`, `${PLATFORM} MP6013 nodePools["cpu-highmem"].nodes.prod`, 'models/demand-forecast.ts MP6004 deploy.prod'],
  },
  {
    title: 'rejects a replica with more CPU than one node has',
    change: (d) => void (modelOf(d, 'search-ranker').deploy.staging.resources!.cpu = 40),
    expected: ['models/search-ranker.ts MP6004 deploy.staging.resources.cpu'],
  },
  {
    title: 'counts the canary, tenant pins and previous versions at their minimum replicas',
    change: (d) => {
      // 24 of 32 GPUs are used; a previous version of image-moderation (4 warm replicas) and one more node less tip it over.
      modelOf(d, 'image-moderation').deploy.prod.previous = { version: '3.3.0', until: '2026-11-02T00:00:00Z' };
      modelOf(d, 'image-moderation').versions[1].artifact.uri = 's3://acme-ml-prod/vision/image-moderation/3.3.0/';
      d.platform.value.nodePools['gpu-l4'].nodes.prod = 6;
    },
    // Each of the two biggest deployments alone tips the pool over (5 GPUs short): both are pointed at.
    expected: [`${PLATFORM} MP6001 nodePools["gpu-l4"].nodes.prod`, `${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.prod`, 'models/image-moderation.ts MP6001 deploy.prod', 'models/query-embedder.ts MP6001 deploy.prod'],
  },
  {
    title: 'accepts a pool filled exactly to capacity by the warm pools, warning only about the burst',
    change: (d) => void (d.platform.value.nodePools['gpu-l4'].nodes.prod = 6),
    expected: [`${PLATFORM} MP6013 nodePools["gpu-l4"].nodes.prod`],
  },
  // 5. Latency budget
  {
    title: 'rejects batching that pushes a version over the tier p99 budget',
    change: (d) => void (modelOf(d, 'product-image-classifier').deploy.prod.batching!.maxLatencyMs = 250),
    expected: ['models/product-image-classifier.ts MP6005 deploy.prod.batching.maxLatencyMs'],
  },
  {
    title: 'rejects a version whose own p99 latency is over the tier budget',
    change: (d) => void (modelOf(d, 'eta-predictor').versions[0].profile.p99LatencyMs = 350),
    expected: ['models/eta-predictor.ts MP6005 versions[0].profile.p99LatencyMs'],
  },
  {
    title: 'rejects batching on a tier that does not batch',
    change: (d) => void (fraud(d).deploy.prod.batching = { maxBatchSize: 8, maxLatencyMs: 5 }),
    expected: [`${FRAUD} MP6006 deploy.prod.batching`],
  },
  {
    title: 'accepts batching within the budget',
    change: (d) => void (modelOf(d, 'product-image-classifier').deploy.prod.batching!.maxLatencyMs = 220),
    expected: [],
  },
  // 6. Replicas
  {
    title: 'rejects replicas.min above replicas.max',
    change: (d) => void (modelOf(d, 'churn-predictor').deploy.prod.replicas = { min: 3, max: 2 }),
    expected: ['models/churn-predictor.ts MP6007 deploy.prod.replicas.min'],
  },
  {
    title: 'rejects a critical model with one replica in production',
    change: (d) => void (modelOf(d, 'credit-limit').deploy.prod.replicas = { min: 1, max: 4 }),
    // One mistake, one diagnostic with one number: below 2 in production (MP6008), below the warm pool
    // max(3, ceil(800 rps × 1.5 / 500)) = 3 (MP6011), and one replica (500 rps) cannot serve the 240 → 800 rps
    // ramp (MP6010, 2 would): one diagnostic, the gravest code (dropped requests) and the one number 3.
    expected: ['models/credit-limit.ts MP6010 deploy.prod.replicas.min'],
  },
  {
    title: 'rejects a critical model sized to one replica by a low tier minimum',
    change: (d) => {
      d.platform.value.tiers.critical.minReplicas = { staging: 1, prod: 1 };
      modelOf(d, 'credit-limit').deploy.prod.traffic = { peakRps: 100 };
    },
    expected: ['models/credit-limit.ts MP6008 deploy.prod.replicas'],
  },
  {
    title: 'rejects scale to zero on a tier with a latency budget',
    change: (d) => void (modelOf(d, 'eta-predictor').deploy.prod.replicas = { min: 0, max: 4 }),
    // And 0 is below the warm pool ceil(1500 rps × 1.3 / 600) = 4 (MP6011, a warning on the standard tier).
    expected: ['models/eta-predictor.ts MP6009 deploy.prod.replicas.min', 'models/eta-predictor.ts MP6011 deploy.prod.replicas.min'],
  },
  {
    title: 'rejects a tier minimum of zero on a tier with a latency budget',
    change: (d) => void (d.platform.value.tiers.standard.minReplicas = { staging: 0, prod: 2 }),
    expected: [`${PLATFORM} MP6009 tiers.standard.minReplicas.staging`],
  },
  {
    title: 'allows scale to zero on the batch tier, with a warning that it is below the warm pool',
    change: (d) => void (modelOf(d, 'churn-predictor').deploy.prod.replicas = { min: 0, max: 2 }),
    // No MP6009 (the batch tier has no latency budget); the warm pool is max(1, ceil(2 rps × 1.1 / 200)) = 1 (MP6011, a warning).
    expected: ['models/churn-predictor.ts MP6011 deploy.prod.replicas.min'],
  },
  // 6b. Warm pools
  {
    title: 'accepts a critical model whose explicit replicas.min is exactly its warm pool',
    // max(3, ceil(800 rps × 1.5 / 500)) = 3; three replicas (1500 rps) serve the whole ramp to 800 rps.
    change: (d) => void (modelOf(d, 'credit-limit').deploy.prod.replicas = { min: 3, max: 4 }),
    expected: [],
  },
  {
    title: 'accepts a standard model whose explicit replicas.min is above its warm pool',
    change: (d) => void (modelOf(d, 'eta-predictor').deploy.prod.replicas = { min: 5, max: 8 }),
    expected: [],
  },
  {
    title: 'rejects a critical model below its warm pool although it meets the production minimum of 2',
    change: (d) => void (modelOf(d, 'credit-limit').deploy.prod.replicas = { min: 2, max: 6 }),
    // 2 < 3; two replicas (1000 rps) still serve the 800 rps peak, so no MP6010.
    expected: ['models/credit-limit.ts MP6011 deploy.prod.replicas.min'],
  },
  {
    title: 'warns about a standard model below its warm pool',
    change: (d) => void (modelOf(d, 'eta-predictor').deploy.prod.replicas = { min: 2, max: 8 }),
    expected: ['models/eta-predictor.ts MP6011 deploy.prod.replicas.min'],
  },
  {
    title: 'warns about a standard model without declared traffic below its tier minimum',
    change: (d) => {
      const prod = modelOf(d, 'support-ticket-router').deploy.prod;
      delete prod.traffic;
      prod.replicas = { min: 1, max: 4 };
    },
    expected: ['models/support-ticket-router.ts MP6011 deploy.prod.replicas.min'],
  },
  // 7. Privacy
  {
    title: 'rejects payload logging of a pii model when the platform has no scrubbing sink',
    change: (d) => void (fraud(d).deploy.prod.logging = { mode: 'request' }),
    expected: [`${FRAUD} MP7001 deploy.prod.logging.mode`],
  },
  {
    title: 'rejects payload logging of a pii model to the default sink',
    change: (d) => {
      d.platform.value.logging = { ...SINKS };
      fraud(d).deploy.prod.logging = { mode: 'all' };
    },
    expected: [`${FRAUD} MP7001 deploy.prod.logging.mode`],
  },
  {
    title: 'rejects payload logging of a pii model to an allowed sink that does not scrub',
    change: (d) => {
      d.platform.value.logging = { ...SINKS, allowedUrls: ['https://logs.acme.internal/risk'] };
      fraud(d).deploy.prod.logging = { mode: 'response', url: 'https://logs.acme.internal/risk' };
    },
    expected: [`${FRAUD} MP7001 deploy.prod.logging.url`],
  },
  {
    title: 'accepts payload logging of a pii model to the scrubbing sink, and summaries anywhere allowed',
    change: (d) => {
      d.platform.value.logging = { ...SINKS };
      fraud(d).deploy.prod.logging = { mode: 'request', url: SINKS.scrubbingSink };
      fraud(d).deploy.staging.logging = { mode: 'summary' };
      modelOf(d, 'eta-predictor').deploy.prod.logging = { mode: 'all', url: SINKS.sink };
    },
    expected: [],
  },
  {
    title: 'rejects a log URL outside the allow-list',
    change: (d) => {
      d.platform.value.logging = { ...SINKS };
      modelOf(d, 'eta-predictor').deploy.staging.logging = { mode: 'summary', url: 'https://logs.example.com/ingest' };
    },
    expected: ['models/eta-predictor.ts MP7002 deploy.staging.logging.url'],
  },
  {
    title: 'rejects a model quality query grouped by user id',
    change: (d) => void (fraud(d).quality![1].query = 'max by (user_id) (model_feature_psi{namespace="{{namespace}}"})'),
    expected: [`${FRAUD} MP7003 quality[1].query`],
  },
  {
    title: 'rejects a policy quality query that selects a customer id label',
    change: (d) =>
      void (policyOf(d, 'progressive').analysis.quality = [{ name: 'conversion', query: 'sum(rate(conversions_total{customer_id!=""}[5m]))', condition: '>= 0.1' }]),
    expected: ['policies/progressive.ts MP7003 analysis.quality[0].query'],
  },
  {
    title: 'rejects a quality query that creates a session id label with label_replace',
    change: (d) => void (fraud(d).quality![0].query = 'label_replace(up, "session_id", "$1", "pod", "(.*)")'),
    expected: [`${FRAUD} MP7003 quality[0].query`],
  },
  {
    title: 'accepts a quality query that mentions email only as a label value',
    change: (d) => void (fraud(d).quality![0].query = 'sum(rate(fraud_decisions_total{channel="email",namespace="{{namespace}}"}[10m]))'),
    expected: [],
  },
  // 8. Artifacts and images
  {
    title: 'rejects a prod version whose artifact is in the staging bucket',
    change: (d) => void (modelOf(d, 'ad-ctr').deploy.prod.version = '7.5.0'),
    expected: ['models/ad-ctr.ts MP7004 versions[1].artifact.uri'],
  },
  {
    title: "rejects an artifact under another team's prefix",
    change: (d) => void (fraud(d).versions[1].artifact.uri = 's3://acme-ml-prod/search/fraud-detector/4.2.0/'),
    expected: [`${FRAUD} MP7004 versions[1].artifact.uri`],
  },
  {
    title: "rejects an artifact that escapes the team's prefix with '..'",
    change: (d) => void (fraud(d).versions[1].artifact.uri = 's3://acme-ml-prod/risk/../search/ranker/2.4.0/'),
    expected: [`${FRAUD} MP7004 versions[1].artifact.uri`],
  },
  {
    title: 'rejects an artifact served over plain http',
    change: (d) => {
      d.platform.value.teams.growth.artifactPrefixes.staging.push('http://models.acme.internal/growth/');
      modelOf(d, 'price-elasticity').versions[0].artifact.uri = 'http://models.acme.internal/growth/price-elasticity/0.2.0/';
    },
    expected: ['models/price-elasticity.ts MP7005 versions[0].artifact.uri'],
  },
  {
    title: "accepts an hf:// artifact under the team's prefixes",
    change: (d) => {
      d.platform.value.teams.risk.artifactPrefixes.staging.push('hf://acme/risk/');
      d.platform.value.teams.risk.artifactPrefixes.prod.push('hf://acme/risk/');
      fraud(d).versions[1].artifact.uri = 'hf://acme/risk/fraud-detector-4.2.0';
    },
    expected: [],
  },
  {
    title: 'rejects a lineage image pinned by tag',
    change: (d) => void (fraud(d).versions[0].lineage.image = 'docker.io/kserve/xgbserver:v0.14.1'),
    expected: [`${FRAUD} MP7006 versions[0].lineage.image`, `${FRAUD} MP7007 versions[0].lineage.image`],
  },
  {
    title: 'rejects a runtime image pinned by tag, and warns about the versions evaluated with the old digest',
    change: (d) => void (d.platform.value.runtimes.triton.image = 'nvcr.io/nvidia/tritonserver:24.08-py3'),
    expected: [
      `${PLATFORM} MP7006 runtimes.triton.image`,
      'models/image-moderation.ts MP7007 versions[0].lineage.image',
      'models/image-moderation.ts MP7007 versions[1].lineage.image',
      'models/recommendations-retriever.ts MP7007 versions[0].lineage.image',
    ],
  },
  {
    title: 'warns about a live version evaluated with another image than its runtime',
    change: (d) => void (fraud(d).versions[1].lineage.image = `docker.io/kserve/xgbserver@sha256:${'b'.repeat(64)}`),
    expected: [`${FRAUD} MP7007 versions[1].lineage.image`],
  },
  // 9. Credentials
  {
    title: 'rejects an AWS access key in a description',
    change: (d) => void (fraud(d).description = 'Scores transactions. Debug bucket key AKIAIOSFODNN7EXAMPLE'),
    expected: [`${FRAUD} MP7008 description`],
  },
  {
    title: 'rejects a private key in a team identity',
    change: (d) => void (d.platform.value.teams.risk.identity!.prod = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'),
    expected: [`${PLATFORM} MP7008 teams.risk.identity.prod`],
  },
  {
    title: 'rejects a GitHub token in lineage',
    change: (d) => void (fraud(d).versions[0].lineage.trainingRun = `mlflow:runs/abc?auth=${GITHUB_TOKEN}`),
    expected: [`${FRAUD} MP7008 versions[0].lineage.trainingRun`],
  },
  {
    title: 'rejects a URL with a user name and password',
    change: (d) => void (d.platform.value.metricSources.prometheus.address = 'http://admin:hunter22@prometheus-operated.monitoring.svc:9090'),
    expected: [`${PLATFORM} MP7008 metricSources.prometheus.address`],
  },
  {
    title: 'rejects a password in runtime arguments',
    change: (d) => void (d.platform.value.runtimes.triton.args = ['--model-control-mode=poll', '--password=hunter22']),
    expected: [`${PLATFORM} MP7008 runtimes.triton.args[1]`],
  },
  {
    title: 'rejects a token used as a key (a tenant id)',
    change: (d) => void withTokenTenant(d),
    expected: [`models/search-ranker.ts MP7008 deploy.prod.tenants.${GITHUB_TOKEN}`],
  },
  {
    title: 'rejects a secret in a rollout policy',
    change: (d) =>
      void (policyOf(d, 'progressive').analysis.quality = [{ name: 'ctr', query: 'sum(rate(clicks_total{api_key="sk12345678"}[5m]))', condition: '>= 0.1' }]),
    expected: ['policies/progressive.ts MP7008 analysis.quality[0].query'],
  },
  // 9b. Pod Security and the mesh
  {
    title: 'rejects Pod Security baseline in injected namespaces without Istio CNI (istio-init needs NET_ADMIN and NET_RAW)',
    change: (d) => void (d.platform.value.mesh = { istio: true, cni: false }),
    expected: [`${PLATFORM} MP7010 podSecurity.enforce`],
  },
  {
    title: 'rejects Pod Security restricted, which no injected container satisfies',
    change: (d) => void (d.platform.value.podSecurity = { enforce: 'restricted' }),
    expected: [`${PLATFORM} MP7010 podSecurity.enforce`],
  },
  {
    title: 'accepts injection without Istio CNI when the namespaces enforce privileged',
    change: (d) => {
      d.platform.value.mesh = { istio: true, cni: false };
      d.platform.value.podSecurity = { enforce: 'privileged' };
    },
    expected: [],
  },
  // 10. Isolation
  {
    title: 'rejects a GPU pool without taints',
    change: (d) => void delete d.platform.value.nodePools['gpu-l4'].taints,
    expected: [`${PLATFORM} MP7009 nodePools["gpu-l4"].taints`],
  },
  {
    title: 'rejects a CPU pool carrying the GPU taint',
    change: (d) => void d.platform.value.nodePools['cpu-highmem'].taints!.push({ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }),
    expected: [`${PLATFORM} MP7009 nodePools["cpu-highmem"].taints[1].key`],
  },
  {
    title: 'accepts a CPU pool with its own taint',
    change: (d) => void (d.platform.value.nodePools['cpu-general'].taints = [{ key: 'modelplane.io/pool', value: 'cpu-general', effect: 'NoSchedule' }]),
    expected: [],
  },
  // 8. Routes the API server would reject (the HTTPRoute CRD's CEL rules)
  {
    title: 'rejects a route with more than 128 matches across its rules, though each rule is within 64',
    change: (d) => {
      const m = modelOf(d, 'search-ranker');
      m.versions.push({ ...structuredClone(m.versions[0]), version: '2.2.0' });
      const tenants: Record<string, string> = {};
      for (let i = 0; i < 15; i++) tenants[`tenant-a${i}`] = '2.3.1';
      for (let i = 0; i < 15; i++) tenants[`tenant-b${i}`] = '2.2.0';
      m.deploy.prod.tenants = tenants;
    },
    expected: ['models/search-ranker.ts MP8001 deploy.prod.tenants'],
  },
  // 9. Canary analysis: no late regression passes a step; each tier's rollback fits its objective
  {
    title: 'rejects a declared count that ends the analysis before a late regression can fail the step',
    change: (d) => void (policyOf(d, 'progressive').analysis.count = 10),
    expected: ['policies/progressive.ts MP8002 analysis.count'],
  },
  {
    title: "rejects analysis whose worst-case rollback exceeds the tier's rollbackObjectiveSeconds",
    change: (d) => void (d.platform.value.tiers.critical.rollbackObjectiveSeconds = 120),
    expected: ['policies/progressive.ts MP8003 analysis.tiers.critical', 'policies/fast.ts MP8003 analysis'],
  },
  {
    title: 'accepts a slower declared sync while every critical worst case still fits 180 s (staging: 89 + 90 = 179 s)',
    change: (d) => void (d.platform.value.rollbackPath = { syncSeconds: 40 }),
    expected: [],
  },
  {
    title: 'rejects the staging policy once a slower declared sync pushes its critical worst case past 180 s (89 + 95 = 184 s)',
    change: (d) => void (d.platform.value.rollbackPath = { syncSeconds: 45 }),
    expected: ['policies/fast.ts MP8003 analysis'],
  },
];
