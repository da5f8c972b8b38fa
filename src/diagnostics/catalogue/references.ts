/** MP3xxx: references between definitions; MP4xxx: derived names (src/validate/references.ts, runtimes.ts, names.ts). */
import type { Entries } from '../entry.js';
import { formatValue, quoted } from '../text.js';

/** A name that is not among the known ones: the value written and every valid name. */
export interface UnknownName {
  readonly value: unknown;
  /** Every valid name, in the order to show them. */
  readonly known: readonly string[];
}

/** An unknown name, in the words of one reference kind: `pool "x" is not a node pool of the platform: pools are 'a', 'b'`. */
const unknown = (field: string, what: string, plural: string) => (a: UnknownName & { readonly field?: string }) =>
  `${a.field ?? field} ${formatValue(a.value)} is not ${what}: ${plural} are ${quoted(a.known)}`;

export const REFERENCES = {
  MP3001: { severity: 'error', meaning: 'unknown owner team', messages: { default: unknown('owner', 'a team of the platform', 'teams') } },
  MP3002: { severity: 'error', meaning: 'unknown tier', messages: { default: unknown('tier', 'a tier of the platform', 'tiers') } },
  MP3003: { severity: 'error', meaning: 'unknown node pool', messages: { default: unknown('pool', 'a node pool of the platform', 'pools') } },
  MP3004: { severity: 'error', meaning: 'unknown environment', messages: { default: unknown('environment', 'an environment of the platform', 'environments') } },
  MP3005: { severity: 'error', meaning: 'unknown rollout policy', messages: { default: unknown('policy', 'a rollout policy', 'policies') } },
  MP3006: {
    severity: 'error',
    meaning: 'unknown version',
    messages: {
      /** `role`: `stable`, `canary`, `previous` or `tenant 'x'`. */
      default: (a: UnknownName & { readonly role: string }) => `${a.role} version ${formatValue(a.value)} is not in versions: declared versions are ${quoted(a.known)}`,
    },
  },
  MP3007: {
    severity: 'error',
    meaning: 'no serving runtime serves the version format',
    messages: {
      default: ({ format, served }: { readonly format: string; readonly served: readonly string[] }) =>
        `no platform runtime serves format ${formatValue(format)}: served formats are ${quoted(served)}`,
    },
  },
  MP3008: {
    severity: 'error',
    meaning: 'unknown serving runtime, or a runtime that does not serve the format',
    messages: {
      default: unknown('runtime', 'a runtime of the platform', 'runtimes'),
      format: ({ runtime, format, served }: { readonly runtime: string; readonly format: string; readonly served: readonly string[] }) =>
        `runtime '${runtime}' does not serve format ${formatValue(format)}: it serves ${quoted(served)}`,
    },
  },
  MP3009: {
    severity: 'error',
    meaning: 'duplicate version in a model',
    messages: { default: ({ version }: { readonly version: string }) => `version ${formatValue(version)} is declared twice in versions: each version appears once` },
  },
  MP3010: {
    severity: 'error',
    meaning: 'canary step out of range of its policy',
    messages: {
      /** `steps`: how many steps the policy has. */
      default: ({ env, step, policy, steps }: { readonly env: string; readonly step: number; readonly policy: string; readonly steps: number }) =>
        steps === 0
          ? `canary.step ${step} is out of range: policy '${policy}' has no steps (it deploys directly); set deploy.${env}.version instead of a canary`
          : `canary.step ${step} is out of range: policy '${policy}' has ${steps} steps (0–${steps - 1})`,
    },
  },
  MP3011: {
    severity: 'error',
    meaning: 'a canary or previous version is also the stable version',
    messages: {
      default: ({ role, version }: { readonly role: 'canary' | 'previous'; readonly version: string }) =>
        role === 'canary'
          ? `canary version ${formatValue(version)} is also the stable version: a canary must be a different version`
          : `previous version ${formatValue(version)} is also the stable version: previous is the last stable before it`,
    },
  },
  MP3012: {
    severity: 'error',
    meaning: 'rollout policy weights do not strictly increase',
    messages: {
      default: ({ index, weight, before }: { readonly index: number; readonly weight: number; readonly before: number }) =>
        `steps[${index}].weight ${weight} is not above steps[${index - 1}].weight ${before}: canary weights must strictly increase`,
    },
  },
  MP3013: {
    severity: 'error',
    meaning: 'a quality check name is used twice or clashes with a built-in check',
    messages: {
      /** A model's quality check: `builtIn` are the names of the built-in checks. */
      default: ({ name, builtIn }: { readonly name: string; readonly builtIn: readonly string[] }) =>
        `quality check name '${name}' is already used (built-in checks: ${builtIn.join(', ')}): choose another name`,
      /** A policy's quality check; `first`: the index of the check declared first with the name. */
      policy: ({ name, first }: { readonly name: string; readonly first: number }) =>
        `quality check '${name}' is declared twice (first as analysis.quality[${first}]): give each check of the policy its own name`,
    },
  },
  MP3014: {
    severity: 'error',
    meaning: 'too many tenants or pinned versions for one HTTPRoute',
    messages: {
      default: ({ env, live, pinned }: { readonly env: string; readonly live: number; readonly pinned: number }) =>
        `deploy.${env} routes ${live} live versions and ${pinned} pinned versions: an HTTPRoute holds at most 16 rules (live + pinned + 1); pin fewer versions`,
      tenants: ({ env, tenants, version }: { readonly env: string; readonly tenants: number; readonly version: string }) =>
        `${tenants} tenants are pinned to ${version} in deploy.${env}: at most 16 tenants per pinned version fit one HTTPRoute rule`,
    },
  },
  MP3015: {
    severity: 'error',
    meaning: 'a runtime declares no kind and its image names no model server modelplane knows the container contract of',
    messages: {
      default: ({ runtime, image, kinds }: { readonly runtime: string; readonly image: string; readonly kinds: readonly string[] }) =>
        `runtime '${runtime}' declares no kind and its image '${image}' is none of KServe's model servers: declare runtimes.${runtime}.kind, one of ${quoted(kinds)}`,
    },
  },
  MP3016: {
    severity: 'error',
    meaning: 'a runtime declares a protocol its model server does not serve (e.g. Triton and v1)',
    messages: {
      default: ({ runtime, kind, protocol, served }: { readonly runtime: string; readonly kind: string; readonly protocol: string; readonly served: readonly string[] }) =>
        `runtime '${runtime}' (${kind}) declares protocol '${protocol}', which its server does not serve: it serves ${quoted(served)}; remove '${protocol}' or leave protocols out`,
    },
  },
  MP3017: {
    severity: 'error',
    meaning: 'a rollout policy\'s environments contradict the platform\'s defaultPolicy of an environment',
    messages: {
      /** The policy is the default of `env` but does not list it in `claimed`. */
      default: ({ policy, claimed, env }: { readonly policy: string; readonly claimed: readonly string[]; readonly env: string }) =>
        `policy '${policy}' lists environments ${quoted(claimed)}, but the platform makes it the default policy of '${env}' (environments.${env}.defaultPolicy in policies/platform.ts): add '${env}' to environments, or change the platform's defaultPolicy`,
      /** The policy lists `env`, whose default is the policy `chosen`. */
      claims: ({ policy, env, chosen }: { readonly policy: string; readonly env: string; readonly chosen: string }) =>
        `policy '${policy}' lists environment '${env}', but the platform's default policy there is '${chosen}' (environments.${env}.defaultPolicy in policies/platform.ts): remove '${env}' from environments, or set the platform's defaultPolicy to '${policy}'`,
    },
  },
  // MP4xxx: names
  MP4001: {
    severity: 'error',
    meaning: 'a derived Kubernetes name is not a valid DNS-1035 label of at most 63 characters',
    messages: {
      /** `what`: the kind of object the name is for (`InferenceService`, `HTTPRoute`, ...). */
      default: ({ model, version, env, what, name }: { readonly model: string; readonly version: string; readonly env: string; readonly what: string; readonly name: string }) =>
        `model '${model}' version '${version}' in '${env}' gives the ${what} name '${name}' (${name.length} characters), not a DNS-1035 label of at most 63 characters: shorten the model id or the version`,
      /** A team's namespace in an environment. */
      namespace: ({ team, env, name }: { readonly team: string; readonly env: string; readonly name: string }) =>
        `team '${team}' in environment '${env}' gives the namespace '${name}' (${name.length} characters), not a DNS-1035 label of at most 63 characters: shorten the team or environment name`,
      /** A model's owner, whose namespaces are `<owner>-<env>`. */
      owner: ({ owner }: { readonly owner: string }) =>
        `owner ${formatValue(owner)} gives an invalid namespace name (<owner>-<env> must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter, at most 63 characters): name a team of the platform whose name is such a label`,
    },
  },
  // MP4002 (a version is not a semantic version) is retired: the schema reports it as MP2004 on the version field.
  MP4003: {
    severity: 'error',
    meaning: 'two versions of a model give the same object name',
    messages: {
      default: ({ first, second, suffix }: { readonly first: string; readonly second: string; readonly suffix: string }) =>
        `versions '${first}' and '${second}' both give the object name suffix '${suffix}': rename one (versions are compared lower-case, with '.' and '-' alike)`,
    },
  },
} as const satisfies Entries;
