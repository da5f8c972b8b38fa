/**
 * Validate built-in and third-party Kubernetes objects with the `kubernetes-models`
 * classes (their `.validate()` runs precompiled ajv validators of the upstream
 * OpenAPI schemas), and dispatch between those and the CRD validator.
 */
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';
import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject';
import { ApplicationSet } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { hasCrdSchema, validateCrdObject } from './crd-validator.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data?: never) => Validatable;

/** `<apiVersion>/<kind>` -> kubernetes-models class. */
const MODELS: Record<string, ModelClass> = {
  'v1/Namespace': Namespace,
  'v1/ResourceQuota': ResourceQuota,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/LimitRange': LimitRange,
  'apps/v1/Deployment': Deployment,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'argoproj.io/v1alpha1/Application': Application,
  'argoproj.io/v1alpha1/AppProject': AppProject,
  'argoproj.io/v1alpha1/ApplicationSet': ApplicationSet,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

export function hasK8sModel(apiVersion: string, kind: string): boolean {
  return Object.hasOwn(MODELS, `${apiVersion}/${kind}`);
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function formatModelErrors(err: unknown): string[] {
  const errors = (err as { errors?: AjvLikeError[] } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) {
    return [err instanceof Error ? err.message : String(err)];
  }
  const out: string[] = [];
  for (const e of errors) {
    let path = e.instancePath || '/';
    let message = e.message ?? e.keyword ?? 'invalid';
    if (e.keyword === 'additionalProperties' && typeof e.params?.additionalProperty === 'string') {
      path = `${e.instancePath ?? ''}/${e.params.additionalProperty}`;
      message += ` (${e.params.additionalProperty})`;
    } else if (e.keyword === 'enum' && e.params?.allowedValues !== undefined) {
      message += ` (${JSON.stringify(e.params.allowedValues)})`;
    }
    const line = `${path}: ${message}`;
    if (!out.includes(line)) out.push(line);
  }
  return out;
}

/** Validate with the matching kubernetes-models class; errors as strings (empty when valid). */
export function validateK8sObject(obj: unknown): string[] {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return ['/: must be object'];
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  const Model = MODELS[`${String(apiVersion)}/${String(kind)}`];
  if (!Model) return [`no kubernetes-models validator for ${String(apiVersion)}/${String(kind)}`];
  try {
    // The constructor copies the data (and sets apiVersion/kind from the class).
    new Model(obj as never).validate();
    return [];
  } catch (err) {
    return formatModelErrors(err);
  }
}

/** CRD schemas (strict) when derived for apiVersion/kind, kubernetes-models otherwise. */
export function validateAnyObject(obj: unknown): string[] {
  if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
    const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
    if (typeof apiVersion === 'string' && typeof kind === 'string' && hasCrdSchema(apiVersion, kind)) {
      return validateCrdObject(obj);
    }
  }
  return validateK8sObject(obj);
}
