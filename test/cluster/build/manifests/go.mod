// Not built: pins the upstream modules whose own manifests (CRDs) the suite installs.
module modelplane.test/cluster/build/manifests

go 1.25.0

require (
	github.com/argoproj/argo-cd/v3 v3.5.7
	github.com/prometheus-operator/prometheus-operator v0.85.0
)
