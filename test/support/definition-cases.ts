/** Fixtures of the structural checks: each a change to the reference definitions and every diagnostic it gives. */
import { formatPath, type Diagnostic } from '../../src/diagnostics/index.js';
import { modelOf, policyOf, type MutableDefinitions } from './definitions.js';

/** The moment approvals are compared with: after every approval in the reference models. */
export const NOW = new Date('2026-11-01T00:00:00Z');

export const PLATFORM = 'policies/platform.ts';
export const FRAUD = 'models/fraud-detector.ts';

/** `<file> <code> <path>` of each diagnostic, sorted: what a case asserts. */
export function summary(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file} ${d.code} ${formatPath(d.path)}`).sort();
}

export interface Case {
  readonly title: string;
  readonly change: (d: MutableDefinitions) => void;
  /** `<file> <code> <formatted path>`, every diagnostic expected. */
  readonly expected: readonly string[];
}

export const fraud = (d: MutableDefinitions) => modelOf(d, 'fraud-detector');
export const loose = (o: object) => o as Record<string, unknown>;

export const DEFINITION_CASES: Case[] = [
  // Platform
  {
    title: 'rejects a runtime whose kind cannot be told from its image',
    change: (d) => {
      const triton = d.platform.value.runtimes.triton;
      delete triton.kind;
      triton.image = `nvcr.io/acme/custom-server@sha256:${'ab'.repeat(32)}`;
    },
    expected: [`${PLATFORM} MP3015 runtimes.triton.image`],
  },
  {
    title: 'rejects Triton declared for protocol v1, which it does not serve',
    change: (d) => void (d.platform.value.runtimes.triton.protocols = ['v1', 'v2']),
    expected: [`${PLATFORM} MP3016 runtimes.triton.protocols[0]`],
  },
  {
    title: 'rejects an unknown field in a node pool',
    change: (d) => void (loose(d.platform.value.nodePools['gpu-l4']).gpuCount = 4),
    expected: [`${PLATFORM} MP2001 nodePools["gpu-l4"].gpuCount`],
  },
  {
    title: 'rejects a string where a boolean is expected',
    change: (d) => void (loose(d.platform.value.environments.prod).production = 'yes'),
    expected: [`${PLATFORM} MP2002 environments.prod.production`],
  },
  {
    title: 'rejects a platform without repoURL',
    change: (d) => void delete loose(d.platform.value).repoURL,
    expected: [`${PLATFORM} MP2003 repoURL`],
  },
  {
    title: 'rejects a taint effect Kubernetes does not know',
    change: (d) => void (loose(d.platform.value.nodePools['gpu-l4'].taints![0]).effect = 'NoRun'),
    expected: [`${PLATFORM} MP2004 nodePools["gpu-l4"].taints[0].effect`],
  },
  {
    title: 'rejects a team GitHub handle without @',
    change: (d) => void (d.platform.value.teams.risk.github = 'acme/risk-ml'),
    expected: [`${PLATFORM} MP2004 teams.risk.github`],
  },
  {
    title: 'rejects a team name that is not a DNS label',
    change: (d) => void (d.platform.value.teams.Risk_Team = structuredClone(d.platform.value.teams.risk)),
    expected: [`${PLATFORM} MP2004 teams.Risk_Team`],
  },
  {
    title: 'rejects a GPU pool that does not describe its GPUs',
    change: (d) => void delete d.platform.value.nodePools['gpu-l4'].gpu,
    expected: [`${PLATFORM} MP2003 nodePools["gpu-l4"].gpu`],
  },
  {
    title: 'rejects an environment whose default policy does not exist',
    change: (d) => void (d.platform.value.environments.prod.defaultPolicy = 'yolo'),
    expected: [`${PLATFORM} MP3005 environments.prod.defaultPolicy`],
  },
  // Rollout policies
  {
    title: 'rejects a canary step weight of 100',
    change: (d) => void (policyOf(d, 'direct').steps = [{ weight: 100, pause: '5m' }]),
    expected: ['policies/direct.ts MP2004 steps[0].weight'],
  },
  {
    title: 'rejects a pause that is not a duration',
    change: (d) => void (policyOf(d, 'direct').steps = [{ weight: 10, pause: '10 minutes' }]),
    expected: ['policies/direct.ts MP2004 steps[0].pause'],
  },
  {
    title: 'rejects a negative measurement count',
    change: (d) => void (policyOf(d, 'direct').analysis.count = -1),
    expected: ['policies/direct.ts MP2004 analysis.count'],
  },
  {
    title: 'rejects a fractional failure limit',
    change: (d) => void (policyOf(d, 'direct').analysis.failureLimit = 1.5),
    expected: ['policies/direct.ts MP2002 analysis.failureLimit'],
  },
  {
    title: 'rejects a policy without analysis',
    change: (d) => void delete loose(policyOf(d, 'direct')).analysis,
    expected: ['policies/direct.ts MP2003 analysis'],
  },
  {
    title: "rejects a policy whose environments leave out the environment the platform makes it the default of",
    // The platform's prod defaultPolicy is 'progressive'.
    change: (d) => void (policyOf(d, 'progressive').environments = ['staging']),
    expected: ['policies/progressive.ts MP3017 environments', 'policies/progressive.ts MP3017 environments[0]'],
  },
  {
    title: "rejects a policy that claims an environment whose platform default is another policy",
    change: (d) => void (policyOf(d, 'direct').environments = ['prod']),
    expected: ['policies/direct.ts MP3017 environments[0]'],
  },
  {
    title: 'accepts a policy whose environments agree with the platform',
    change: (d) => void (policyOf(d, 'progressive').environments = ['prod']),
    expected: [],
  },
  {
    title: 'rejects a policy for an environment the platform does not have',
    change: (d) => void (policyOf(d, 'direct').environments = ['qa']),
    expected: ['policies/direct.ts MP3004 environments[0]'],
  },
  // Models: schema
  {
    title: 'rejects a string where replicas.min must be an integer',
    change: (d) => void (fraud(d).deploy.prod.replicas = { min: 'two' as unknown as number, max: 3 }),
    expected: [`${FRAUD} MP2002 deploy.prod.replicas.min`],
  },
  {
    title: 'rejects an unknown field in a deployment',
    change: (d) => void (loose(fraud(d).deploy.prod).gpuType = 'a100'),
    expected: [`${FRAUD} MP2001 deploy.prod.gpuType`],
  },
  {
    title: 'rejects a version without lineage',
    change: (d) => void delete loose(fraud(d).versions[0]).lineage,
    expected: [`${FRAUD} MP2003 versions[0].lineage`],
  },
  {
    title: 'rejects a data class that is not public, internal or pii',
    change: (d) => void (fraud(d).dataClass = 'secret' as never),
    expected: [`${FRAUD} MP2004 dataClass`],
  },
  {
    title: 'rejects a version that is not a semantic version',
    change: (d) => void (fraud(d).versions[1].version = '4.2'),
    expected: [`${FRAUD} MP2004 versions[1].version`],
  },
  {
    title: 'rejects an artifact sha256 in upper case',
    change: (d) => void (fraud(d).versions[1].artifact.sha256 = fraud(d).versions[1].artifact.sha256.toUpperCase()),
    expected: [`${FRAUD} MP2004 versions[1].artifact.sha256`],
  },
  {
    title: 'rejects an artifact sha256 of the wrong length',
    change: (d) => void (fraud(d).versions[0].artifact.sha256 = 'abc123'),
    expected: [`${FRAUD} MP2004 versions[0].artifact.sha256`],
  },
  {
    title: 'rejects NaN',
    change: (d) => void (fraud(d).versions[0].profile.maxRpsPerReplica = Number.NaN),
    expected: [`${FRAUD} MP1007 versions[0].profile.maxRpsPerReplica`],
  },
  {
    title: 'rejects Infinity',
    change: (d) => void (fraud(d).deploy.prod.traffic = { peakRps: Number.POSITIVE_INFINITY }),
    expected: [`${FRAUD} MP1007 deploy.prod.traffic.peakRps`],
  },
  {
    title: 'rejects a circular reference',
    change: (d) => {
      const prod = fraud(d).deploy.prod;
      loose(prod.traffic!).loop = prod;
    },
    expected: [`${FRAUD} MP1007 deploy.prod.traffic.loop`],
  },
  {
    title: 'rejects a function',
    change: (d) => void (loose(fraud(d)).description = () => 'scores fraud'),
    expected: [`${FRAUD} MP1007 description`],
  },
  {
    title: 'rejects 1e308 replicas',
    change: (d) => void (fraud(d).deploy.prod.replicas = { min: 3, max: 1e308 }),
    expected: [`${FRAUD} MP2004 deploy.prod.replicas.max`],
  },
  {
    title: 'rejects a negative replica count',
    change: (d) => void (fraud(d).deploy.prod.replicas = { min: -1, max: 3 }),
    expected: [`${FRAUD} MP2004 deploy.prod.replicas.min`],
  },
  {
    title: 'rejects an empty feature schema',
    change: (d) => void (fraud(d).features = {}),
    expected: [`${FRAUD} MP2004 features`],
  },
  // Models: references
  {
    title: 'rejects an owner that is not a team',
    change: (d) => void (fraud(d).owner = 'payments'),
    expected: [`${FRAUD} MP3001 owner`],
  },
  {
    title: 'rejects a tier the platform does not have',
    change: (d) => void (fraud(d).tier = 'gold'),
    expected: [`${FRAUD} MP3002 tier`],
  },
  {
    title: 'rejects a node pool the platform does not have',
    change: (d) => void (fraud(d).deploy.prod.pool = 'gpu-h100'),
    expected: [`${FRAUD} MP3003 deploy.prod.pool`],
  },
  {
    title: 'rejects a retirement that is neither true nor { since } with one diagnostic',
    change: (d) => void (loose(fraud(d).deploy.staging).retired = 'yes'),
    expected: [`${FRAUD} MP2002 deploy.staging.retired`],
  },
  {
    title: 'rejects a retirement date that is not a date',
    change: (d) => void (loose(fraud(d).deploy.staging).retired = { since: 'last week' }),
    expected: [`${FRAUD} MP2004 deploy.staging.retired.since`],
  },
  {
    title: 'rejects a deployment to an environment the platform does not have',
    change: (d) => void (fraud(d).deploy.qa = structuredClone(fraud(d).deploy.staging)),
    expected: [`${FRAUD} MP3004 deploy.qa`],
  },
  {
    title: 'rejects a canary under a policy that does not exist',
    change: (d) => void (fraud(d).deploy.prod.canary = { version: fraud(d).versions[1].version, policy: 'yolo', step: 0 }),
    expected: [`${FRAUD} MP3005 deploy.prod.canary.policy`],
  },
  {
    title: 'rejects a stable version that is not declared',
    change: (d) => void (fraud(d).deploy.prod.version = '9.9.9'),
    expected: [`${FRAUD} MP3006 deploy.prod.version`],
  },
  {
    title: 'rejects a tenant pinned to a version that is not declared',
    change: (d) => void (fraud(d).deploy.prod.tenants = { 'tenant-a': '9.9.9' }),
    expected: [`${FRAUD} MP3006 deploy.prod.tenants["tenant-a"]`],
  },
  {
    title: 'rejects a format no platform runtime serves',
    change: (d) => void (fraud(d).versions[0].format = 'catboost'),
    expected: [`${FRAUD} MP3007 versions[0].format`],
  },
  {
    title: 'rejects a runtime that does not serve the version format',
    change: (d) => void (fraud(d).versions[0].runtime = 'kserve-sklearnserver'),
    expected: [`${FRAUD} MP3008 versions[0].runtime`],
  },
  {
    title: 'rejects a version declared twice',
    change: (d) => void fraud(d).versions.push(structuredClone(fraud(d).versions[0])),
    expected: [`${FRAUD} MP3009 versions[2].version`],
  },
  {
    title: 'rejects a canary step past the last step of its policy',
    change: (d) => {
      policyOf(d, 'progressive').steps = [5, 25, 50, 75].map((weight) => ({ weight, pause: '10m' }));
      fraud(d).deploy.prod.canary = { version: fraud(d).versions[1].version, policy: 'progressive', step: 4 };
    },
    expected: [`${FRAUD} MP3010 deploy.prod.canary.step`],
  },
  {
    title: 'rejects a canary under a policy without steps',
    change: (d) => void (fraud(d).deploy.prod.canary = { version: fraud(d).versions[1].version, policy: 'direct', step: 0 }),
    expected: [`${FRAUD} MP3010 deploy.prod.canary.step`],
  },
  {
    title: 'rejects a canary of the stable version',
    change: (d) => void (fraud(d).deploy.prod.canary = { version: fraud(d).deploy.prod.version, policy: 'progressive', step: 0 }),
    expected: [`${FRAUD} MP3011 deploy.prod.canary.version`],
  },
  {
    title: 'rejects a version whose InferenceService name is longer than 63 characters',
    change: (d) => {
      const version = { ...structuredClone(fraud(d).versions[0]), version: `4.3.0-rc.${'1'.repeat(31)}` };
      fraud(d).versions.push(version);
    },
    // Once per version, although the model is deployed in two environments (the message names the first).
    expected: [`${FRAUD} MP4001 versions[2].version`],
  },
  // Files
  {
    title: 'rejects the same model id declared in two files',
    change: (d) => void d.models.push({ value: structuredClone(fraud(d)), file: 'models/fraud-detector-copy.ts' }),
    expected: ['models/fraud-detector-copy.ts MP1004 id', 'models/fraud-detector-copy.ts MP1006 id'],
  },
  {
    title: 'rejects a model file not named after its model id',
    change: (d) => void (d.models.find((m) => m.value.id === 'fraud-detector')!.file = 'models/fraud.ts'),
    expected: ['models/fraud.ts MP1006 id'],
  },
];
