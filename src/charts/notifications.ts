import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedPlatform } from '../resolve/index.js';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { syncWave, SyncWave } from './meta.js';

/** Trigger that model Applications subscribe to. */
export const ANALYSIS_TRIGGER = 'on-analysis-finished';
/** Annotation of a model's Application: the AnalysisRun of its current canary step. */
export const ANALYSIS_RUN_ANNOTATION = 'modelplane.io/analysisrun';
/** repository_dispatch event type that starts the promote workflow. */
export const DISPATCH_EVENT = 'analysis-finished';


/**
 * Argo CD Notifications: when the AnalysisRun of a model's current step (the
 * one its Application's `modelplane.io/analysisrun` annotation names, never
 * the previous step's, which is pruned last) turns Healthy (Successful),
 * Degraded (Failed, Error) or Unknown (Inconclusive), send GitHub a
 * `repository_dispatch`, so the promote workflow runs at once and a failed
 * canary is rolled back in minutes, not at the next schedule. The token is the
 * `github-token` key of the `argocd-notifications-secret`.
 */
export class NotificationsConfig extends ApiObject {
  constructor(scope: Construct, id: string, { platform }: { platform: ResolvedPlatform }) {
    super(scope, id, { ...notificationsManifest(platform) });
  }
}

/** Argo CD's notifications ConfigMap (one per Argo CD); namespace and managed-by come from the shared Argo CD chart. */
export function notificationsManifest(platform: ResolvedPlatform): IConfigMap & { apiVersion: 'v1'; kind: 'ConfigMap' } {
    const repository = platform.githubRepository;
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'argocd-notifications-cm',
        labels: { 'app.kubernetes.io/part-of': 'argocd' },
        annotations: syncWave(SyncWave.projects),
      },
      data: {
        'service.webhook.github': [
          'url: https://api.github.com',
          'headers:',
          '- name: Authorization',
          '  value: token $github-token',
          '- name: Accept',
          '  value: application/vnd.github+json',
          '',
        ].join('\n'),
        [`trigger.${ANALYSIS_TRIGGER}`]: [
          "- description: The current canary step's AnalysisRun finished (Successful, Failed, Error or Inconclusive)",
          `  when: app.metadata.annotations != nil && app.metadata.annotations['${ANALYSIS_RUN_ANNOTATION}'] != nil && any(app.status.resources ?? [], {.kind == 'AnalysisRun' && .name == app.metadata.annotations['${ANALYSIS_RUN_ANNOTATION}'] && .health != nil && .health.status in ['Healthy', 'Degraded', 'Unknown']})`,
          `  oncePer: app.metadata.annotations['${ANALYSIS_RUN_ANNOTATION}']`,
          '  send: [github-repository-dispatch]',
          '',
        ].join('\n'),
        'template.github-repository-dispatch': [
          'webhook:',
          '  github:',
          '    method: POST',
          `    path: /repos/${repository}/dispatches`,
          '    body: |',
          `      {"event_type": "${DISPATCH_EVENT}", "client_payload": {"application": "{{.app.metadata.name}}", "analysisRun": "{{index .app.metadata.annotations \"${ANALYSIS_RUN_ANNOTATION}\"}}", "revision": "{{.app.status.sync.revision}}"}}`,
          '',
        ].join('\n'),
      },
    };
}
