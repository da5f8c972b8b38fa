import type { ResolvedPlatform } from '../resolve/index.js';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';

/** Annotation of an InferenceService: seconds it may stay not Ready before its health is Degraded. */
export const PROGRESS_DEADLINE_ANNOTATION = 'modelplane.io/progress-deadline-seconds';

/** `argocd-cm` key of a resource's health script (`/` of the group becomes `_`). */
export const healthKey = (group: string, kind: string) => `resource.customizations.health.${group}_${kind}`;
/** `argocd-cm` key that gives a resource's health script the full Lua libraries (`string` above all). */
export const openLibsKey = (group: string, kind: string) => `resource.customizations.useOpenLibs.${group}_${kind}`;

/**
 * Health of a KServe InferenceService (Standard/raw mode and serverless),
 * for Argo CD, whose sync waits for each wave's health and has no timeout:
 *
 * - `Stopped=True` is Suspended; `Stopped=False` (KServe ≥ 0.15 on every
 *   running service) is ignored;
 * - a model that failed to load (`modelStatus.transitionStatus` other than
 *   `UpToDate`/`InProgress`) is Degraded;
 * - status of an older generation, or no conditions yet: Progressing;
 * - every condition True (Ready included): Healthy;
 * - otherwise Progressing until the deadline (the
 *   `modelplane.io/progress-deadline-seconds` annotation, else the platform
 *   default) counted from the Ready condition's last transition (else the
 *   object's creation), then Degraded with the conditions that are not True,
 *   so a wave whose GPU pods stay Pending fails instead of waiting forever.
 *
 * Timestamps are parsed with `string.match`, so Argo CD must load the open
 * libraries for this kind (`useOpenLibs`); `os.time{...}` reads a table in the
 * controller's local zone, so the script measures that zone's offset itself.
 * Lua 5.1 (gopher-lua), 1 s budget: no loops beyond the conditions.
 */
export function inferenceServiceHealthLua(defaultDeadlineSeconds: number): string {
  return `-- modelplane: InferenceService health (generated; see README "Argo CD").
local function epoch(ts)
  if ts == nil then return nil end
  local y, mo, d, h, mi, s = string.match(ts, "^(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)")
  if y == nil then return nil end
  local asLocal = os.time({year = tonumber(y), month = tonumber(mo), day = tonumber(d), hour = tonumber(h), min = tonumber(mi), sec = tonumber(s)})
  local offset = os.time() - os.time(os.date("!*t"))
  return asLocal + offset
end

local status = obj.status
if status == nil or status.conditions == nil or #status.conditions == 0 then
  return {status = "Progressing", message = "Waiting for the InferenceService to report its conditions"}
end
if status.observedGeneration ~= nil and obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation then
  return {status = "Progressing", message = "Waiting for KServe to observe generation " .. obj.metadata.generation}
end

local ready = nil
local notTrue = {}
for _, c in ipairs(status.conditions) do
  if c.type == "Stopped" then
    if c.status == "True" then
      return {status = "Suspended", message = "The InferenceService is stopped" .. (c.message and (": " .. c.message) or "")}
    end
  else
    if c.type == "Ready" then ready = c end
    if c.status ~= "True" then
      table.insert(notTrue, c.type .. "=" .. tostring(c.status) .. (c.reason and (" (" .. c.reason .. ")") or "") .. (c.message and (": " .. c.message) or ""))
    end
  end
end

local model = status.modelStatus
if model ~= nil and model.transitionStatus ~= nil and model.transitionStatus ~= "" and model.transitionStatus ~= "UpToDate" and model.transitionStatus ~= "InProgress" then
  local failure = model.lastFailureInfo
  local why = ""
  if failure ~= nil then why = ": " .. tostring(failure.reason) .. (failure.message and (" " .. failure.message) or "") end
  return {status = "Degraded", message = "Model " .. model.transitionStatus .. why}
end

if ready ~= nil and #notTrue == 0 then
  return {status = "Healthy", message = "Ready"}
end

local deadline = ${defaultDeadlineSeconds}
local annotations = obj.metadata.annotations
if annotations ~= nil and tonumber(annotations["${PROGRESS_DEADLINE_ANNOTATION}"]) ~= nil then
  deadline = tonumber(annotations["${PROGRESS_DEADLINE_ANNOTATION}"])
end
local since = nil
if ready ~= nil then since = epoch(ready.lastTransitionTime) end
if since == nil then since = epoch(obj.metadata.creationTimestamp) end
local waiting = table.concat(notTrue, "; ")
if waiting == "" then waiting = "no Ready condition" end
if since ~= nil then
  local elapsed = os.time() - since
  if elapsed > deadline then
    return {status = "Degraded", message = "Not Ready after " .. elapsed .. " s (deadline " .. deadline .. " s): " .. waiting}
  end
  return {status = "Progressing", message = "Not Ready for " .. elapsed .. " s of " .. deadline .. " s: " .. waiting}
end
return {status = "Progressing", message = waiting}
`;
}

/**
 * Health of an Argo CD Application (not assessed since Argo CD 1.8): Healthy
 * only when the child is Healthy and Synced, so a parent's sync waves wait for
 * the child to have applied its revision; Degraded, Suspended and Missing
 * pass through; anything else is Progressing. Needs no open library.
 */
export const APPLICATION_HEALTH_LUA = `-- modelplane: Application health (generated; see README "Argo CD").
local health = nil
local sync = nil
if obj.status ~= nil then
  health = obj.status.health
  sync = obj.status.sync
end
if health == nil or health.status == nil then
  return {status = "Progressing", message = "Waiting for the Application's health"}
end
local message = health.message or ""
if health.status == "Degraded" or health.status == "Suspended" or health.status == "Missing" then
  return {status = health.status, message = message}
end
if health.status == "Healthy" then
  if sync ~= nil and sync.status == "Synced" then
    return {status = "Healthy", message = message}
  end
  return {status = "Progressing", message = "Healthy but not Synced" .. ((sync ~= nil and sync.status ~= nil) and (" (" .. sync.status .. ")") or "")}
end
return {status = "Progressing", message = message}
`;

/**
 * Health of an Argo Rollouts AnalysisRun, a canary step's analysis: it runs
 * for the whole step (700 s for a critical model under \`progressive\`), and
 * Argo CD's sync waits for the health of the last wave's resources before it
 * ends, and starts no other sync while one runs. With Argo CD's own check
 * (Progressing while Running) every step's sync would stay Running until its
 * analysis ended, and a rollback committed during the step (\`modelplane
 * rollback\`, an abort) would wait for it (seen in the cluster drill). So a
 * running analysis is Healthy here, with its phase in the message; Failed,
 * Error and Inconclusive are Degraded, Successful is Healthy.
 */
export const ANALYSIS_RUN_HEALTH_LUA = `-- modelplane: AnalysisRun health (generated; see README "Argo CD").
local status = obj.status
local phase = nil
if status ~= nil then phase = status.phase end
if phase == "Failed" or phase == "Error" or phase == "Inconclusive" then
  return {status = "Degraded", message = "Analysis " .. phase .. ((status.message ~= nil and status.message ~= "") and (": " .. status.message) or "")}
end
if phase == "Successful" then
  return {status = "Healthy", message = (status.message ~= nil and status.message ~= "") and status.message or "Analysis Successful"}
end
return {status = "Healthy", message = "Analysis " .. ((phase ~= nil and phase ~= "") and phase or "Pending") .. ": the step is being measured (not a sync gate)"}
`;

/**
 * The keys modelplane adds to `argocd-cm`, the Argo CD settings ConfigMap: one
 * copy per Argo CD, synced by the shared Application. Argo CD applies it with
 * a three-way merge, so the installation's own keys stay; it is never pruned
 * nor deleted with the Application.
 */
export function argocdConfigManifest(platform: ResolvedPlatform): IConfigMap & { apiVersion: 'v1'; kind: 'ConfigMap' } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'argocd-cm',
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
      annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' },
    },
    data: {
      [healthKey('serving.kserve.io', 'InferenceService')]: inferenceServiceHealthLua(platform.argocd.defaultProgressDeadlineSeconds),
      [openLibsKey('serving.kserve.io', 'InferenceService')]: 'true',
      [healthKey('argoproj.io', 'Application')]: APPLICATION_HEALTH_LUA,
      [healthKey('argoproj.io', 'AnalysisRun')]: ANALYSIS_RUN_HEALTH_LUA,
    },
  };
}
