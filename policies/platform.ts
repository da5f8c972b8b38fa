import { definePlatform } from '../src/index.js';

/**
 * The ACME ML serving platform: two clusters, four node pools, six product teams.
 * Owned by @acme/ml-platform; changes here affect every model, so they need a platform review.
 */
export default definePlatform({
  repoURL: 'https://github.com/acme/ml-platform.git',
  targetRevision: 'main',
  argocdNamespace: 'argocd',
  platformTeam: { github: '@acme/ml-platform' },
  serviceAccountAnnotation: 'eks.amazonaws.com/role-arn',
  deploymentMode: 'Standard',

  // Istio with the CNI node agent: the injected init container is istio-validation (no added
  // capabilities), so model namespaces enforce Pod Security baseline. Sidecar resources are set on
  // every pod (Istio's own default limit is 2 CPU / 1 GiB) and counted in the team quotas.
  mesh: {
    istio: true,
    cni: true,
    sidecar: { requests: { cpu: 0.1, memoryGiB: 0.125 }, limits: { cpu: 0.5, memoryGiB: 0.5 } },
  },
  // What the clusters' KServe inferenceservice-config injects (keys agent and storageInitializer): KServe's defaults.
  kserve: {
    agent: { requests: { cpu: 0.1, memoryGiB: 0.1 }, limits: { cpu: 1, memoryGiB: 1 } },
    storageInitializer: { requests: { cpu: 0.1, memoryGiB: 0.1 }, limits: { cpu: 1, memoryGiB: 1 } },
  },
  podSecurity: { enforce: 'baseline', warn: 'baseline', audit: 'baseline' },

  // Prediction logs: KServe's logger sends each request/response as a CloudEvent.
  // PII models may only send to the scrubbing sink, which keeps summaries
  // (feature hash, output summary, latency, model, version, request id).
  logging: {
    sink: 'http://prediction-logs.ml-platform.svc.cluster.local/v1/events',
    scrubbingSink: 'http://pii-scrubber.ml-platform.svc.cluster.local/v1/events',
  },

  // Canary analysis reads Istio's standard metrics, reported by the sidecar of
  // the serving pod: one version = one predictor Deployment.
  metricSources: {
    prometheus: { address: 'http://prometheus-operated.monitoring.svc:9090', timeoutSeconds: 30 },
    requests: {
      total: 'istio_requests_total',
      errorMatcher: 'response_code=~"5.."',
      durationBucketMs: 'istio_request_duration_milliseconds_bucket',
      selector: 'reporter="destination",destination_workload_namespace="{{namespace}}",destination_workload="{{workload}}"',
    },
  },

  environments: {
    staging: {
      cluster: 'https://staging.k8s.acme.internal',
      production: false,
      gateway: { name: 'ml-gateway', namespace: 'gateway-system', hostname: 'ml.staging.acme.internal' },
      defaultPolicy: 'fast',
    },
    prod: {
      cluster: 'https://prod.k8s.acme.internal',
      production: true,
      gateway: { name: 'ml-gateway', namespace: 'gateway-system', hostname: 'ml.acme.internal' },
      defaultPolicy: 'progressive',
    },
  },

  nodePools: {
    // LLMs and other models that need more than one L4's memory. 8 x A100 80GB per node.
    'gpu-a100-80': {
      kind: 'gpu',
      gpu: { model: 'nvidia-a100-80gb', memoryGiB: 80, perNode: 8 },
      cpuPerNode: 96,
      memoryGiBPerNode: 1000,
      // Sized for the burst (every version at its maximum replicas), not only the warm pools.
      nodes: { staging: 1, prod: 7 },
      hourlyPriceUsd: 32.77,
      zones: ['us-east-1a', 'us-east-1b'],
      nodeSelector: {
        'node.kubernetes.io/instance-type': 'p4de.24xlarge',
        'modelplane.io/pool': 'gpu-a100-80',
      },
      taints: [
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
        { key: 'modelplane.io/pool', value: 'gpu-a100-80', effect: 'NoSchedule' },
      ],
    },
    // Embeddings, vision and small transformers. 4 x L4 24GB per node.
    'gpu-l4': {
      kind: 'gpu',
      gpu: { model: 'nvidia-l4', memoryGiB: 24, perNode: 4 },
      cpuPerNode: 48,
      memoryGiBPerNode: 190,
      nodes: { staging: 3, prod: 12 },
      hourlyPriceUsd: 4.6,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      nodeSelector: {
        'node.kubernetes.io/instance-type': 'g6.12xlarge',
        'modelplane.io/pool': 'gpu-l4',
      },
      taints: [
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
        { key: 'modelplane.io/pool', value: 'gpu-l4', effect: 'NoSchedule' },
      ],
    },
    // Tree models and scikit-learn pipelines.
    'cpu-general': {
      kind: 'cpu',
      cpuPerNode: 32,
      memoryGiBPerNode: 120,
      nodes: { staging: 4, prod: 20 },
      hourlyPriceUsd: 1.54,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      nodeSelector: {
        'node.kubernetes.io/instance-type': 'm6i.8xlarge',
        'modelplane.io/pool': 'cpu-general',
      },
      defaultResources: { cpu: 1, memoryGiB: 2 },
    },
    // Large in-memory models (forecasting, big tree ensembles).
    'cpu-highmem': {
      kind: 'cpu',
      cpuPerNode: 32,
      memoryGiBPerNode: 240,
      nodes: { staging: 1, prod: 2 },
      hourlyPriceUsd: 2.02,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      nodeSelector: {
        'node.kubernetes.io/instance-type': 'r6i.8xlarge',
        'modelplane.io/pool': 'cpu-highmem',
      },
      taints: [{ key: 'modelplane.io/pool', value: 'cpu-highmem', effect: 'NoSchedule' }],
      defaultResources: { cpu: 2, memoryGiB: 16 },
    },
  },

  teams: {
    // Fraud, credit and account risk.
    risk: {
      github: '@acme/risk-ml',
      artifactPrefixes: {
        // Staging may also read released artifacts from the prod bucket; prod reads only its own bucket.
        staging: ['s3://acme-ml-staging/risk/', 's3://acme-ml-prod/risk/'],
        prod: ['s3://acme-ml-prod/risk/'],
      },
      identity: {
        staging: 'arn:aws:iam::123456789012:role/ml-risk-staging',
        prod: 'arn:aws:iam::123456789012:role/ml-risk-prod',
      },
    },
    // Search ranking, query understanding and retrieval.
    search: {
      github: '@acme/search-ml',
      artifactPrefixes: {
        // Staging may also read released artifacts from the prod bucket; prod reads only its own bucket.
        staging: ['s3://acme-ml-staging/search/', 's3://acme-ml-prod/search/'],
        prod: ['s3://acme-ml-prod/search/'],
      },
      identity: {
        staging: 'arn:aws:iam::123456789012:role/ml-search-staging',
        prod: 'arn:aws:iam::123456789012:role/ml-search-prod',
      },
    },
    // Image classification, moderation and visual search.
    vision: {
      github: '@acme/vision-ml',
      artifactPrefixes: {
        // Staging may also read released artifacts from the prod bucket; prod reads only its own bucket.
        staging: ['s3://acme-ml-staging/vision/', 's3://acme-ml-prod/vision/'],
        prod: ['s3://acme-ml-prod/vision/'],
      },
      identity: {
        staging: 'arn:aws:iam::123456789012:role/ml-vision-staging',
        prod: 'arn:aws:iam::123456789012:role/ml-vision-prod',
      },
    },
    // Customer assistant: LLM and NLP models.
    assistant: {
      github: '@acme/assistant-ml',
      artifactPrefixes: {
        // Staging may also read released artifacts from the prod bucket; prod reads only its own bucket.
        staging: ['s3://acme-ml-staging/assistant/', 's3://acme-ml-prod/assistant/'],
        prod: ['s3://acme-ml-prod/assistant/'],
      },
      identity: {
        staging: 'arn:aws:iam::123456789012:role/ml-assistant-staging',
        prod: 'arn:aws:iam::123456789012:role/ml-assistant-prod',
      },
    },
    // Ads, churn and pricing.
    growth: {
      github: '@acme/growth-ml',
      artifactPrefixes: {
        // Staging may also read released artifacts from the prod bucket; prod reads only its own bucket.
        staging: ['s3://acme-ml-staging/growth/', 's3://acme-ml-prod/growth/'],
        prod: ['s3://acme-ml-prod/growth/'],
      },
      identity: {
        staging: 'arn:aws:iam::123456789012:role/ml-growth-staging',
        prod: 'arn:aws:iam::123456789012:role/ml-growth-prod',
      },
    },
    // Delivery ETAs and demand forecasting.
    logistics: {
      github: '@acme/logistics-ml',
      artifactPrefixes: {
        // Staging may also read released artifacts from the prod bucket; prod reads only its own bucket.
        staging: ['s3://acme-ml-staging/logistics/', 's3://acme-ml-prod/logistics/'],
        prod: ['s3://acme-ml-prod/logistics/'],
      },
      identity: {
        staging: 'arn:aws:iam::123456789012:role/ml-logistics-staging',
        prod: 'arn:aws:iam::123456789012:role/ml-logistics-prod',
      },
    },
  },

  tiers: {
    // Revenue- or safety-critical online paths: never batched, may preempt lower tiers.
    critical: {
      priority: 1000000,
      p99BudgetMs: 100,
      availability: 0.999,
      minReplicas: { staging: 1, prod: 3 },
      headroom: 1.5,
      batching: false,
      // Errors instead of warnings for replica shortfalls, simulated ramps, 2 replicas in production, paging alerts.
      strict: true,
      // Worst case from a regression's start to traffic on stable (`modelplane plan` prints each tier's).
      rollbackObjectiveSeconds: 180,
    },
    standard: {
      priority: 100000,
      p99BudgetMs: 300,
      availability: 0.995,
      minReplicas: { staging: 1, prod: 2 },
      headroom: 1.3,
      rollbackObjectiveSeconds: 300,
    },
    // Offline scoring and internal tools: no latency budget.
    batch: {
      priority: 1000,
      availability: 0.99,
      minReplicas: { staging: 1, prod: 1 },
      headroom: 1.1,
      rollbackObjectiveSeconds: 900,
    },
  },

  runtimes: {
    // KServe v0.14.1 model servers.
    'kserve-xgbserver': {
      kind: 'kserve-xgbserver',
      image: 'docker.io/kserve/xgbserver@sha256:32c7f16214d99be8057203b561a5d69e53da4a7c27b2504f1a6d4428a3584f58',
      formats: ['xgboost'],
    },
    'kserve-sklearnserver': {
      kind: 'kserve-sklearnserver',
      image: 'docker.io/kserve/sklearnserver@sha256:82702b285aa99e0e7dbf730380fb558ba02ba6814d06375dd8cad190ed36795c',
      formats: ['sklearn'],
    },
    'kserve-lgbserver': {
      kind: 'kserve-lgbserver',
      image: 'docker.io/kserve/lgbserver@sha256:82cef4264d9d5555af5d53c58649a91b2e29ad023248dd42264a33b05777049c',
      formats: ['lightgbm'],
    },
    // TorchServe 0.12.0 (KServe flavour), CUDA build.
    'kserve-torchserve': {
      kind: 'kserve-torchserve',
      image: 'docker.io/pytorch/torchserve-kfs@sha256:09e950dfe4911d98cb66c72d8948961b0f67c6c7ed7a0b85d0d655efb47c3a76',
      formats: ['pytorch'],
      gpu: true,
    },
    // KServe Hugging Face server with the vLLM backend.
    'kserve-huggingfaceserver': {
      kind: 'kserve-huggingfaceserver',
      image: 'docker.io/kserve/huggingfaceserver@sha256:c09a8994e055a44dd40043917e43486964e195281643d404289508d75d39f423',
      formats: ['huggingface'],
      gpu: true,
    },
    // NVIDIA Triton 24.08 for ONNX and TensorRT engines.
    triton: {
      kind: 'triton',
      image: 'nvcr.io/nvidia/tritonserver@sha256:ff616715eb87e4bab54379b18a826e108dc3e4615e2ddc78d58ea95b17cb6616',
      formats: ['onnx', 'tensorrt'],
      gpu: true,
    },
  },
});
