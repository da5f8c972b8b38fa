/** MP7xxx: privacy and supply chain (src/validate/gates-security.ts, gates-serving.ts). */
import type { Entries } from '../entry.js';
import { describePlace, type FieldPath, formatPath, formatValue, type Place, quoted } from '../text.js';

const NOT_PINNED = 'not pinned by digest: expected <repository>@sha256:<64 hex characters>';

export const SECURITY = {
  MP7001: {
    severity: 'error',
    meaning: 'a pii model logs request or response payloads to a sink other than the platform\'s scrubbing sink',
    messages: {
      /** `destination`: where the payloads go (logging.url, else the platform's sink). */
      default: (a: { readonly env: string; readonly mode: string; readonly model: string; readonly destination?: string; readonly scrubbingSink: string }) =>
        `deploy.${a.env}.logging sends '${a.mode}' payloads of pii model '${a.model}' to ${formatValue(a.destination)}: payloads of pii models may only go to the scrubbing sink ${formatValue(a.scrubbingSink)}; set logging.url to it, or logging.mode to 'summary' or 'none'`,
      /** The platform declares no log sinks. */
      noSink: ({ env, mode, model }: { readonly env: string; readonly mode: string; readonly model: string }) =>
        `deploy.${env}.logging.mode is '${mode}' on pii model '${model}', but the platform declares no scrubbing sink (logging.scrubbingSink): set logging.mode to 'summary' or 'none'`,
    },
  },
  MP7002: {
    severity: 'error',
    meaning: 'logging.url is not one of the platform\'s log sinks',
    messages: {
      default: ({ env, url, allowed }: { readonly env: string; readonly url: string; readonly allowed: readonly string[] }) =>
        `deploy.${env}.logging.url is ${formatValue(url)}, not a log sink of the platform: allowed are ${allowed.length ? quoted(allowed) : '(none: the platform declares no logging sinks)'}`,
    },
  },
  MP7003: {
    severity: 'error',
    meaning: 'a quality query uses a per-user label (user_id, email, ...) that would put user ids into metrics',
    messages: {
      default: ({ path, check, label }: { readonly path: FieldPath; readonly check: string; readonly label: string }) =>
        `${formatPath(path)} of check '${check}' uses the label '${label}': user identifiers must never be metric labels (privacy and cardinality); aggregate them away in the recording rule`,
    },
  },
  MP7004: {
    severity: 'error',
    meaning: 'an artifact is outside the owner team\'s storage prefixes for an environment it is live in',
    messages: {
      /** `place`: where the version is live; `prefixes`: the team's storage prefixes in that environment. */
      default: (a: { readonly index: number; readonly uri: string; readonly team: string; readonly version: string; readonly place: Place; readonly prefixes: readonly string[] }) =>
        `versions[${a.index}].artifact.uri is ${formatValue(a.uri)}, outside the storage of team '${a.team}' in ${a.place.env}, where ${a.version} is ${describePlace(a.place, false)}: allowed prefixes (teams.${a.team}.artifactPrefixes.${a.place.env}) are ${quoted(a.prefixes)}`,
    },
  },
  MP7005: {
    severity: 'error',
    meaning: 'an artifact URI uses a scheme that is not allowed (e.g. http://)',
    messages: {
      default: ({ index, uri, schemes }: { readonly index: number; readonly uri: string; readonly schemes: readonly string[] }) =>
        `versions[${index}].artifact.uri is ${formatValue(uri)}: allowed schemes are ${schemes.join(', ')} (never plain http://)`,
    },
  },
  MP7006: {
    severity: 'error',
    meaning: 'an image is not pinned by digest (@sha256:<64 hex>)',
    messages: {
      /** A version's lineage.image. */
      default: ({ index, image }: { readonly index: number; readonly image: string }) => `versions[${index}].lineage.image is ${formatValue(image)}, ${NOT_PINNED}`,
      runtime: ({ runtime, image }: { readonly runtime: string; readonly image: string }) => `runtimes.${runtime}.image is ${formatValue(image)}, ${NOT_PINNED}`,
    },
  },
  MP7007: {
    severity: 'warning',
    meaning: 'a live version\'s lineage.image differs from the image of the runtime that serves it',
    messages: {
      default: (a: { readonly index: number; readonly version: string; readonly image: string; readonly runtime: string; readonly runtimeImage: string }) =>
        `versions[${a.index}].lineage.image is '${a.image}', but runtime '${a.runtime}' serves ${a.version} with '${a.runtimeImage}': the version would be served by an image it was not evaluated with; re-evaluate it with the runtime's image`,
    },
  },
  MP7008: {
    severity: 'error',
    meaning: 'a definition contains what looks like a credential (access key, private key, token, password)',
    messages: {
      /** Names where, never what: `isKey`, the key at `path` (not shown) looks like `what`; else the value at `path`. */
      default: ({ path, what, isKey }: { readonly path: FieldPath; readonly what: string; readonly isKey: boolean }) =>
        `${isKey ? `a key of ${formatPath(path.slice(0, -1))}` : `the value at ${formatPath(path)}`} looks like ${what} (not shown here): credentials must never be committed; remove it, rotate it, and reference a secret store instead`,
    },
  },
  MP7009: {
    severity: 'error',
    meaning: 'a GPU pool without taints, or a CPU pool with a GPU taint',
    messages: {
      default: ({ pool }: { readonly pool: string }) =>
        `nodePools.${pool} is a GPU pool without taints: CPU work could land on its GPU nodes; add a taint such as { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }`,
      gpuKey: ({ pool, index, key }: { readonly pool: string; readonly index: number; readonly key: string }) =>
        `nodePools.${pool}.taints[${index}].key is '${key}' on a CPU pool: that key marks GPU nodes, and the GPU pools' tolerations would let GPU work onto these nodes; remove the taint or use another key`,
    },
  },
  MP7010: {
    severity: 'error',
    meaning: 'a Pod Security level that rejects the containers the mesh injects (istio-init without Istio CNI)',
    messages: {
      /** Istio without its CNI node agent, under `baseline` or `restricted`. */
      default: ({ enforce }: { readonly enforce: string }) =>
        `podSecurity.enforce is '${enforce}' in namespaces with Istio injection, but mesh.cni is false: the injected istio-init container adds NET_ADMIN and NET_RAW, which '${enforce}' rejects, so no model pod would start: install Istio with the CNI node agent and set mesh.cni to true, or set podSecurity.enforce to 'privileged' (warn and audit stay at 'baseline')`,
      restricted: ({ istio, cni }: { readonly istio: boolean; readonly cni: boolean }) =>
        `podSecurity.enforce is 'restricted', which needs a seccomp profile on every container, but the model container and the containers KServe${istio ? ' and Istio' : ''} inject set none: use 'baseline'${istio && !cni ? " (with mesh.cni) or 'privileged'" : ''}`,
    },
  },
} as const satisfies Entries;
