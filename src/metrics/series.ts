/**
 * What each exporter really exports, read from upstream sources: the one table
 * the recording rules, alerts, dashboards and analysis checks are held to. A
 * query may select a series only if the model's pods (its runtime, the Istio
 * sidecar) or a platform component listed here exports it, or if the model's
 * own rules record it (`modelplane:*`). Pure data, imports nothing.
 */

/** Who exports a series modelplane reads. */
export type SeriesExporter =
  | 'kserve-model-server'
  | 'vllm'
  | 'torchserve'
  | 'triton'
  | 'istio-proxy'
  | 'kube-state-metrics'
  | 'dcgm-exporter'
  | 'argo-rollouts';

export interface ExporterSeries {
  /** Metric names as Prometheus stores them (a histogram as its `_bucket`, `_sum` and `_count`). */
  readonly series: readonly string[];
  /** Where the series are scraped from. */
  readonly scraped: string;
  /** The upstream source the names were read in. */
  readonly upstream: string;
}

const histogram = (name: string) => [`${name}_bucket`, `${name}_sum`, `${name}_count`];

/** prometheus_client's default collectors, in every Python server that serves its default registry. */
const PYTHON_PROCESS = ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'process_open_fds', 'python_gc_collections_total', 'python_info'];

export const EXPORTED_SERIES: Readonly<Record<SeriesExporter, ExporterSeries>> = {
  'kserve-model-server': {
    // Per-step latency histograms labelled model_name; no queue or batch series.
    series: [...['request_preprocess_seconds', 'request_predict_seconds', 'request_postprocess_seconds', 'request_explain_seconds'].flatMap(histogram), ...PYTHON_PROCESS],
    scraped: 'model container, port `http` (8080), `/metrics`',
    upstream: 'kserve/kserve v0.20.0 python/kserve/kserve/metrics.py; /metrics route in python/kserve/kserve/protocol/rest/server.py',
  },
  vllm: {
    // vLLM's V1 engine (AsyncLLM, built inside the Hugging Face server's process) publishes to the default registry.
    series: [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
      'vllm:request_success_total',
      ...['vllm:time_to_first_token_seconds', 'vllm:time_per_output_token_seconds', 'vllm:e2e_request_latency_seconds', 'vllm:request_queue_time_seconds', 'vllm:iteration_tokens_total'].flatMap(histogram),
    ],
    scraped: 'model container of the Hugging Face server with the vLLM backend (generative tasks), port `http` (8080), `/metrics`',
    upstream: 'vllm-project/vllm docs/source/design/v1/metrics.md; kserve/kserve v0.20.0 python/huggingfaceserver/huggingfaceserver/vllm/utils.py (AsyncLLM in-process)',
  },
  torchserve: {
    // Cumulative counters; on the metrics API only in metrics_mode `prometheus` or `legacy` (the model's config.properties).
    series: ['ts_inference_requests_total', 'ts_inference_latency_microseconds', 'ts_queue_latency_microseconds'],
    scraped: 'model container, port `metrics` (8082), `/metrics`',
    upstream: 'pytorch/serve docs/metrics_api.md and docs/metrics.md (metrics modes); KServe chart annotation prometheus.kserve.io/port 8082',
  },
  triton: {
    series: [
      'nv_inference_request_success',
      'nv_inference_request_failure',
      'nv_inference_count',
      'nv_inference_exec_count',
      'nv_inference_request_duration_us',
      'nv_inference_queue_duration_us',
      'nv_inference_compute_input_duration_us',
      'nv_inference_compute_infer_duration_us',
      'nv_inference_compute_output_duration_us',
      'nv_gpu_utilization',
      'nv_gpu_memory_total_bytes',
      'nv_gpu_memory_used_bytes',
      'nv_gpu_power_usage',
    ],
    scraped: 'model container, port `metrics` (8002, `--metrics-port`), `/metrics`',
    upstream: 'triton-inference-server/server docs/user_guide/metrics.md; kserve/kserve v0.20.0 config/runtimes/kserve-tritonserver.yaml',
  },
  'istio-proxy': {
    series: [
      'istio_requests_total',
      ...['istio_request_duration_milliseconds', 'istio_request_bytes', 'istio_response_bytes'].flatMap(histogram),
      'istio_tcp_sent_bytes_total',
      'istio_tcp_received_bytes_total',
      'istio_tcp_connections_opened_total',
      'istio_tcp_connections_closed_total',
    ],
    scraped: 'injected `istio-proxy` container, port `http-envoy-prom` (15090), `/stats/prometheus`',
    upstream: 'Istio standard metrics; the sidecar injection template declares containerPort 15090 named http-envoy-prom',
  },
  'kube-state-metrics': {
    series: ['kube_deployment_status_replicas_ready', 'kube_deployment_spec_replicas', 'kube_pod_start_time'],
    scraped: 'the platform\'s kube-state-metrics',
    upstream: 'kubernetes/kube-state-metrics docs (deployment and pod metrics)',
  },
  'dcgm-exporter': {
    series: ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED'],
    scraped: 'the platform\'s NVIDIA DCGM exporter on GPU nodes (pod labels per GPU)',
    upstream: 'NVIDIA dcgm-exporter default counters',
  },
  'argo-rollouts': {
    series: ['analysis_run_info', 'analysis_run_metric_phase'],
    scraped: 'the Argo Rollouts controller',
    upstream: 'argoproj/argo-rollouts v1.9 controller/metrics/prommetrics.go (analysis_run_phase is deprecated)',
  },
};

/** Exporters in a model pod, by the runtime kind of its ServingRuntime; vLLM only when the model generates text. */
export function runtimeExporters(runtimeKind: string, generative: boolean): SeriesExporter[] {
  switch (runtimeKind) {
    case 'kserve-sklearnserver':
    case 'kserve-xgbserver':
    case 'kserve-lgbserver':
      return ['kserve-model-server'];
    case 'kserve-huggingfaceserver':
      return generative ? ['kserve-model-server', 'vllm'] : ['kserve-model-server'];
    case 'kserve-torchserve':
      return ['torchserve'];
    case 'triton':
      return ['triton'];
    default:
      return [];
  }
}

/** Platform exporters every model may read: replicas and pod starts, the analysis controller, and GPU utilisation on GPU pools. */
export function platformExporters(gpuPool: boolean): SeriesExporter[] {
  return ['kube-state-metrics', 'argo-rollouts', ...(gpuPool ? (['dcgm-exporter'] as const) : [])];
}
