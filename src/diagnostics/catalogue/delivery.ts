/** MP8xxx: delivery (src/validate/gates-route.ts, gates-analysis.ts); MP9xxx: lifecycle (src/validate/gates-retire.ts). */
import type { Entries } from '../entry.js';

/** A tier's analysis under a policy, in the numbers `plan` prints (metrics/budgets.ts `tierBudgets`). */
interface Coverage {
  readonly policy: string;
  readonly envs: readonly string[];
  readonly tier: string;
  readonly failuresToFail: number;
  readonly intervalSeconds: number;
}
const under = (a: Coverage) => `under policy '${a.policy}' (${a.envs.join(', ')}), ${a.tier} tier`;

/** A route of generated/ that sends traffic: its file, environment and backends. */
interface LiveRoute {
  readonly file: string;
  readonly env: string;
  readonly backends: readonly string[];
}
/** `production environment prod`, or an environment the platform no longer declares. */
const where = (route: LiveRoute, declared: boolean) =>
  declared ? `production environment ${route.env}` : `environment ${route.env} (no longer declared in policies/platform.ts, so treated as production)`;
const serving = (route: LiveRoute) => `${route.file} sends traffic to ${route.backends.join(', ')}`;

export const DELIVERY = {
  MP8001: {
    severity: 'error',
    meaning: 'an emitted HTTPRoute breaks a limit the API server enforces (Gateway API CRD schema or CEL rule: 16 rules, 64 matches per rule, 128 matches in all, path and header rules, weights)',
    messages: {
      /** `violations`: each broken limit, at a JSON path of the route, in the API server's words. */
      default: ({ route, env, violations }: { readonly route: string; readonly env: string; readonly violations: readonly { readonly at: string; readonly message: string }[] }) =>
        `the HTTPRoute ${route} of deploy.${env} would be rejected by the API server: ${violations.map((v) => `${v.at} ${v.message}`).join('; ')}; pin fewer tenants or versions, or split them across models`,
    },
  },
  MP8002: {
    severity: 'error',
    meaning: 'a rollout policy\'s analysis ends before a regression that starts late in a step can fail it (count too small)',
    messages: {
      /** `passesAfterSeconds`: a regression starting after this many seconds of the step passes it. */
      default: (
        a: Coverage & { readonly passesAfterSeconds?: number; readonly pauseSeconds: number; readonly count: number; readonly runSeconds: number; readonly windowSeconds: number },
      ) =>
        `${under(a)}: a regression that starts after ${a.passesAfterSeconds ?? 0} s of a ${a.pauseSeconds} s step passes it: ${a.count} measurements every ${a.intervalSeconds} s end at ${a.runSeconds} s, before ${a.failuresToFail} failures (window ${a.windowSeconds} s) can accumulate; remove analysis.count so each step is measured to its end`,
    },
  },
  MP8003: {
    severity: 'error',
    meaning: 'the worst case from a regression\'s start to traffic on stable exceeds the tier\'s rollbackObjectiveSeconds',
    messages: {
      default: (a: Coverage & { readonly totalSeconds: number; readonly detectionSeconds?: number; readonly pathSeconds: number; readonly objectiveSeconds: number }) =>
        `${under(a)}: the worst case from a regression's start to traffic on stable is ${a.totalSeconds} s (detection ${a.detectionSeconds} s: ${a.failuresToFail} failed measurements every ${a.intervalSeconds} s; rollback path ${a.pathSeconds} s), over the tier's rollbackObjectiveSeconds ${a.objectiveSeconds}; set analysis.tiers.${a.tier} with a shorter interval or a lower failureLimit, or raise the objective`,
    },
  },
  MP9001: {
    severity: 'error',
    meaning: 'a model, or an environment of a model, that serves traffic in a production environment (its route in generated/) was removed without being retired first (`deploy.<env>.retired`)',
    messages: {
      /** The model's file is gone: `file` is where it was; `declared`: whether the platform still declares the environment. */
      default: ({ model, route, declared, file }: { readonly model: string; readonly route: LiveRoute; readonly declared: boolean; readonly file: string }) =>
        `model '${model}' serves traffic in ${where(route, declared)} (${serving(route)}) but no definition declares it any more: removing it would delete its objects at the next sync. Retire it first: keep ${file} with \`deploy.${route.env}.retired: { since: 'YYYY-MM-DD' }\`, synthesize and sync that, then remove the file (if you moved or renamed the file, put it back at ${file})`,
      /** The model's `deploy.<env>` is gone. */
      environment: ({ model, route, declared }: { readonly model: string; readonly route: LiveRoute; readonly declared: boolean }) =>
        `deploy.${route.env} of '${model}' was removed, but the model serves traffic in ${where(route, declared)} (${serving(route)}): removing it would delete its objects at the next sync. Retire it first: put deploy.${route.env} back with \`retired: { since: 'YYYY-MM-DD' }\`, synthesize and sync that, then remove deploy.${route.env}`,
    },
  },
  MP9002: {
    severity: 'error',
    meaning: 'a retired deployment still has a canary',
    messages: {
      default: ({ env, version }: { readonly env: string; readonly version: string }) =>
        `deploy.${env} is retired (no route, no traffic) but still has a canary of ${version}: remove deploy.${env}.canary, or remove retired to keep serving`,
    },
  },
} as const satisfies Entries;
