import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { ResolvedPlatform } from '../resolve/index.js';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { syncWave, SyncWave } from './meta.js';

/** Trigger that model Applications subscribe to. */
export const ANALYSIS_TRIGGER = 'on-analysis-finished';
/** repository_dispatch event type that starts the promote workflow. */
export const DISPATCH_EVENT = 'analysis-finished';


/**
 * Argo CD Notifications: when an AnalysisRun of a model's Application turns
 * Healthy (Successful) or Degraded (Failed, Error), send GitHub a
 * `repository_dispatch`, so the promote workflow runs at once and a failed
 * canary is rolled back in minutes, not at the next schedule. The token is the
 * `github-token` key of the `argocd-notifications-secret`.
 */
export class NotificationsConfig extends ApiObject {
  constructor(scope: Construct, id: string, { platform }: { platform: ResolvedPlatform }) {
    super(scope, id, { ...notificationsManifest(platform) });
  }
}

/** Argo CD's notifications ConfigMap; namespace and managed-by come from the Argo CD chart. */
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
          "- description: A canary step's AnalysisRun finished (Successful, Failed or Error)",
          "  when: any(app.status.resources ?? [], {.kind == 'AnalysisRun' && .health != nil && .health.status in ['Healthy', 'Degraded']})",
          '  oncePer: app.status.sync.revision',
          '  send: [github-repository-dispatch]',
          '',
        ].join('\n'),
        'template.github-repository-dispatch': [
          'webhook:',
          '  github:',
          '    method: POST',
          `    path: /repos/${repository}/dispatches`,
          '    body: |',
          `      {"event_type": "${DISPATCH_EVENT}", "client_payload": {"application": "{{.app.metadata.name}}", "revision": "{{.app.status.sync.revision}}"}}`,
          '',
        ].join('\n'),
      },
    };
}
