import { WIREGUARD_METRICS_PORT_NAME, type KubeObject } from "../../cluster/kilo-manifests.js";
import type { StackConfig } from "../../config/index.js";
import { PORTS } from "../../services/specs.js";
import { COMPONENTS, KAFKA_CLUSTER, NAMESPACES, POSTGRES_CLUSTER } from "../render.js";
import { WIREGUARD_EXPORTER } from "./contract.js";
import { MONITOR_LABELS, MONITORING_NAMESPACE, NODE_METRICS_NAMESPACE } from "./names.js";

/**
 * What Prometheus scrapes beyond the chart's own targets (the API server, kubelets, CoreDNS, node-exporter,
 * kube-state-metrics and the stack itself): one PodMonitor each, and, where the pods are in a namespace that
 * denies inbound traffic, the NetworkPolicy that admits exactly this scrape (infra/platform/network.ts).
 */
export interface ScrapeTarget {
  /** The PodMonitor's name, and the `job` label of the series. */
  readonly name: string;
  /** Where the pods run. */
  readonly namespace: string;
  /** Labels that select exactly the pods serving the metrics. */
  readonly pods: Readonly<Record<string, string>>;
  /** The container port (by name, as the pods declare it) and its number (for the NetworkPolicy). */
  readonly port: { readonly name: string; readonly number: number };
  /** @default "/metrics" */
  readonly path?: string;
  /** Pods on the host's network: no NetworkPolicy selects them (Kilo's). */
  readonly hostNetwork?: boolean;
}

/** The metrics port of the Strimzi pods (the JMX exporter in the brokers, the Kafka exporter). */
export const STRIMZI_METRICS_PORT = { name: "tcp-prometheus", number: 9404 } as const;

/** Whether the stack has GPU nodes, where dcgm-exporter runs. */
export const hasGpuNodes = (config: Pick<StackConfig, "onPremNodes">): boolean =>
  config.onPremNodes.some((n) => n.role === "gpu");

/**
 * Every target of the stack (dcgm-exporter only with GPU nodes). Processing and analytics serve `/metrics` on
 * their HTTP port (named `http`), which no ingress routes to; the middle-tier (whose HTTP port the ingress
 * routes to the internet) and the sensor agent on a port of their own (named `metrics`).
 */
export function scrapeTargets(config: Pick<StackConfig, "onPremNodes">): ScrapeTarget[] {
  const apps = NAMESPACES.apps;
  const data = NAMESPACES.data;
  const component = (name: string) => ({ "app.kubernetes.io/component": name });
  const http = (number: number) => ({ name: "http", number });
  const metrics = { name: "metrics", number: PORTS.metrics };
  return [
    {
      name: "processing",
      namespace: apps,
      pods: component(COMPONENTS.processing),
      port: http(PORTS.processing),
    },
    {
      name: "analytics",
      namespace: apps,
      pods: component(COMPONENTS.analytics),
      port: http(PORTS.analytics),
    },
    {
      name: "middle-tier",
      namespace: apps,
      pods: component(COMPONENTS.middleTier),
      port: metrics,
    },
    {
      // The ingestion CronJobs share the component label and serve nothing: the DaemonSet's pods by name.
      name: "ingestion-sensors",
      namespace: apps,
      pods: { "app.kubernetes.io/name": "ingestion-sensors" },
      port: metrics,
    },
    {
      // The brokers' JMX exporter (the Kafka resource's metricsConfig); with node pools Strimzi still names
      // them `<cluster>-kafka`.
      name: "kafka",
      namespace: data,
      pods: { "strimzi.io/cluster": KAFKA_CLUSTER, "strimzi.io/name": `${KAFKA_CLUSTER}-kafka` },
      port: STRIMZI_METRICS_PORT,
    },
    {
      // Consumer-group lag, per topic and partition.
      name: "kafka-exporter",
      namespace: data,
      pods: { "strimzi.io/cluster": KAFKA_CLUSTER, "strimzi.io/name": `${KAFKA_CLUSTER}-kafka-exporter` },
      port: STRIMZI_METRICS_PORT,
    },
    {
      name: "postgres",
      namespace: data,
      pods: { "cnpg.io/cluster": POSTGRES_CLUSTER, "cnpg.io/podRole": "instance" },
      port: { name: "metrics", number: 9187 },
    },
    ...(hasGpuNodes(config)
      ? [
          {
            name: "dcgm-exporter",
            namespace: NODE_METRICS_NAMESPACE,
            pods: { "app.kubernetes.io/name": "dcgm-exporter" },
            port: { name: "metrics", number: 9400 },
          },
        ]
      : []),
    {
      // kg serves its own metrics (peers, WireGuard) on the host's network.
      name: "kilo",
      namespace: "kube-system",
      pods: { "app.kubernetes.io/name": "kilo" },
      port: { name: "metrics", number: 1107 },
      hostNetwork: true,
    },
    {
      // The WireGuard exporter beside Kilo (the kilo pods' second container): each tunnel's last handshake.
      name: "wireguard",
      namespace: "kube-system",
      pods: { "app.kubernetes.io/name": "kilo" },
      port: { name: WIREGUARD_METRICS_PORT_NAME, number: WIREGUARD_EXPORTER.port },
      hostNetwork: true,
    },
    {
      // k3s's bundled Traefik: its metrics entry point (traefikMetricsConfig turns on the router labels).
      name: "traefik",
      namespace: "kube-system",
      pods: { "app.kubernetes.io/name": "traefik" },
      port: { name: "metrics", number: 9100 },
    },
  ];
}

/**
 * The PodMonitor of each target, in the monitoring namespace. Each series gets `job` = the target's name
 * (rather than the operator's `<namespace>/<monitor>`) and the `node` it was scraped on (alerts about a Pi or
 * the GPU node name it), besides the operator's `namespace`, `pod` and `container`.
 */
export function podMonitors(targets: readonly ScrapeTarget[]): KubeObject[] {
  return targets.map((t) => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: {
      name: t.name,
      namespace: MONITORING_NAMESPACE,
      labels: { ...MONITOR_LABELS, "app.kubernetes.io/part-of": "monitoring" },
    },
    spec: {
      namespaceSelector: { matchNames: [t.namespace] },
      selector: { matchLabels: { ...t.pods } },
      podMetricsEndpoints: [
        {
          port: t.port.name,
          path: t.path ?? "/metrics",
          relabelings: [
            { action: "replace", targetLabel: "job", replacement: t.name },
            { action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" },
          ],
        },
      ],
    },
  }));
}
