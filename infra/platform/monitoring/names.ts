// Names the monitoring stack's objects share with the rest of the program: the dashboards (the data source),
// the NetworkPolicies (Prometheus's pods), the ingress (the UIs' Services) and the outputs.

/** Prometheus, Alertmanager, Grafana, the operator and kube-state-metrics: enforces `restricted`. */
export const MONITORING_NAMESPACE = "hdp-monitoring";
/**
 * The node agents of the monitoring stack (node-exporter on every node, dcgm-exporter on GPU nodes): enforces
 * `privileged`, for the reasons in `MONITORING_AGENT_NEEDS` (infra/cluster/pod-security.ts).
 */
export const NODE_METRICS_NAMESPACE = "hdp-node-metrics";

/** The Helm release of kube-prometheus-stack, and the prefix the chart gives its objects (`fullnameOverride`). */
export const STACK_RELEASE = "kube-prometheus-stack";
export const STACK_FULLNAME = "monitoring";
/**
 * The labels by which Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules (the chart labels its
 * own so): every such object of ours carries them.
 */
export const MONITOR_LABELS = { release: STACK_RELEASE } as const;
/** The Prometheus and Alertmanager custom resources the chart creates (`<fullname>-prometheus`, …). */
export const PROMETHEUS_NAME = `${STACK_FULLNAME}-prometheus`;
export const ALERTMANAGER_NAME = `${STACK_FULLNAME}-alertmanager`;
/**
 * The Alertmanager kube-prometheus-stack 77.14.0 runs (its values.yaml): the loader that checks our
 * configuration is built at this version (scripts/alertmanager/check/go.mod).
 */
export const STACK_ALERTMANAGER_VERSION = "v0.28.1";
/** The Helm release of NVIDIA's dcgm-exporter. */
export const DCGM_RELEASE = "dcgm-exporter";

/** The labels the operator gives Prometheus's pods (pkg/prometheus/server makeSelectorLabels, v0.85.0). */
export const PROMETHEUS_POD_LABELS = {
  "app.kubernetes.io/name": "prometheus",
  "operator.prometheus.io/name": PROMETHEUS_NAME,
} as const;

/** The Services behind the ingress, with the name of their HTTP port, and the port their pods listen on. */
export const UI_SERVICES = {
  grafana: {
    service: "grafana",
    portName: "http-web",
    pods: { "app.kubernetes.io/name": "grafana" },
    podPort: 3000,
  },
  alertmanager: {
    service: ALERTMANAGER_NAME,
    portName: "http-web",
    pods: { "app.kubernetes.io/name": "alertmanager", alertmanager: ALERTMANAGER_NAME },
    podPort: 9093,
  },
} as const;

/**
 * The `uid` of Grafana's provisioned Prometheus data source: the dashboards name it, so that a panel's queries
 * go to our Prometheus whatever the data source is called.
 */
export const PROMETHEUS_DATASOURCE_UID = "prometheus";
/** The `uid` of the provisioned Alertmanager data source. */
export const ALERTMANAGER_DATASOURCE_UID = "alertmanager";

/** The label (and value) by which Grafana's sidecar finds dashboard ConfigMaps. */
export const DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** Grafana's administrator, whose password the program generates. */
export const GRAFANA_ADMIN_USER = "admin";
/** Secret (monitoring namespace) with `admin-user` and `admin-password`. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
/** Secret (monitoring namespace) with `alertmanager.yaml`, the rendered Alertmanager configuration. */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-config";
/** Secret (monitoring namespace) with `users`, the basic-auth users of the Grafana and Alertmanager UIs (the Kafka UI's). */
export const UI_AUTH_SECRET = "monitoring-ui-users";
/** The Traefik middlewares in front of the UIs: basic authentication; Grafana's also passes the user on. */
export const UI_AUTH_MIDDLEWARES = { grafana: "grafana-auth", alertmanager: "alertmanager-auth" } as const;
/**
 * The header in which Traefik hands Grafana the user it authenticated (Grafana's auth proxy). Traefik
 * overwrites whatever a client sent in it, and only Traefik may reach Grafana (NetworkPolicy).
 */
export const GRAFANA_USER_HEADER = "X-WebAuth-User";
