// Pins the Go modules whose CRD files the offline plan validates custom resources against
// (infra/platform/crds/sources.ts). Nothing is built from this module: infra/platform/crds/go-module.ts runs
// `go mod download -json <module>` here and reads the CRD files from the module cache; go.sum holds each
// module's checksum, so a changed download fails. Keep each version equal to its pin in sources.ts (a test
// checks it).
module hybrid-data-pipeline.local/crds

go 1.21

require (
	// cert-manager, chart of the same version (VERSIONS.certManagerChart).
	github.com/cert-manager/cert-manager v1.21.2
	// CloudNativePG operator of chart 0.29.0 (VERSIONS.cnpgChart).
	github.com/cloudnative-pg/cloudnative-pg v1.30.0
	// k3s's Helm controller as k3s v1.36.3+k3s1 requires it (VERSIONS.k3sHelmController).
	github.com/k3s-io/helm-controller v0.17.7
	// The Prometheus Operator of kube-prometheus-stack 77.14.0 (VERSIONS.kubePrometheusStackChart).
	github.com/prometheus-operator/prometheus-operator v0.85.0
	// Traefik as bundled by k3s (VERSIONS.traefik).
	github.com/traefik/traefik/v3 v3.6.12
)
