/**
 * Helm values of the monitoring stack's releases: kube-prometheus-stack (the Prometheus Operator, Prometheus,
 * Alertmanager, Grafana, kube-state-metrics, node-exporter) and NVIDIA's dcgm-exporter. Pure.
 */
import type { MonitoringConfig, StackConfig } from "../../config/index.js";
import { DASHBOARD_FOLDER_ANNOTATION, KUBE_STATE_METRICS_LABELS_ALLOWLIST } from "./contract.js";
import {
  ALERTMANAGER_CONFIG_SECRET,
  ALERTMANAGER_DATASOURCE_UID,
  DASHBOARD_LABEL,
  GRAFANA_ADMIN_SECRET,
  GRAFANA_USER_HEADER,
  MONITORING_NAMESPACE,
  MONITOR_LABELS,
  NODE_METRICS_NAMESPACE,
  PROMETHEUS_DATASOURCE_UID,
  STACK_FULLNAME,
  UI_SERVICES,
} from "./names.js";

/** How often Prometheus scrapes and evaluates rules: a small cluster, alerts that wait minutes anyway. */
export const SCRAPE_INTERVAL = "30s";

/** Prometheus deletes its oldest samples beyond this share of its volume, before the volume fills. */
export const RETENTION_SIZE_SHARE = 0.8;

/**
 * The cloud workers: role `worker` in the workers' Hetzner location (an on-premises worker has a location of
 * its own). Never a Pi, the GPU workstation or the server.
 */
export function cloudWorkerAffinity(workerRegion: string) {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          {
            matchExpressions: [
              { key: "hdp.io/role", operator: "In", values: ["worker"] },
              { key: "topology.kubernetes.io/region", operator: "In", values: [workerRegion] },
            ],
          },
        ],
      },
    },
  };
}

const resources = (cpu: string, memory: string, memoryLimit: string) => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

/** A volume of `size` on the cluster's default storage class (k3s's local-path), for a StatefulSet. */
const volume = (size: string) => ({
  volumeClaimTemplate: {
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
  },
});

/** The size limit of Prometheus's samples, in the units its `retentionSize` takes (GB means GiB there). */
export const retentionSize = (storageGi: number): string =>
  `${Math.max(1, Math.floor(storageGi * RETENTION_SIZE_SHARE))}GB`;

/**
 * Prometheus's selectors: ServiceMonitors, PodMonitors, Probes, ScrapeConfigs and PrometheusRules labelled
 * {@link MONITOR_LABELS} (the chart's own and ours), in every namespace.
 */
function selectors() {
  const kinds = [
    "ruleSelector",
    "serviceMonitorSelector",
    "podMonitorSelector",
    "probeSelector",
    "scrapeConfigSelector",
  ];
  return Object.fromEntries(
    kinds.flatMap((kind) => {
      const base = kind.replace(/Selector$/, "");
      return [
        [`${kind}NilUsesHelmValues`, false],
        [kind, { matchLabels: { ...MONITOR_LABELS } }],
        [`${base}NamespaceSelector`, {}],
      ];
    }),
  );
}

export interface StackValuesArgs {
  readonly monitoring: MonitoringConfig;
  /** `workers.location`: the cloud workers' region label. */
  readonly workerRegion: string;
  readonly dns: Pick<StackConfig["dns"], "grafana" | "alertmanager">;
}

/**
 * kube-prometheus-stack's values. Everything but node-exporter runs on the cloud workers; node-exporter runs
 * on every node (every taint tolerated), in the node agents' namespace. The chart's default rules and
 * dashboards are off: the alerts are ours, each with a runbook (alerts.ts), and so are the dashboards (the
 * ConfigMaps Grafana's sidecar loads). k3s runs the controller manager, scheduler, proxy and etcd inside its
 * one process with their metrics on loopback: their scrapes are off. Alertmanager reads its configuration
 * from our Secret (the receivers hold secrets); Grafana its admin from another.
 */
export function kubePrometheusStackValues(args: StackValuesArgs): Record<string, unknown> {
  const { retention, storageGi, resources: prom } = args.monitoring;
  const affinity = cloudWorkerAffinity(args.workerRegion);
  return {
    fullnameOverride: STACK_FULLNAME,
    crds: { enabled: true },
    defaultRules: { create: false },
    windowsMonitoring: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeProxy: { enabled: false },
    kubeEtcd: { enabled: false },
    prometheusOperator: {
      // Our rules are checked by promtool before they reach the cluster; without the webhooks there are no
      // certificate Jobs, and the operator needs no TLS of its own.
      admissionWebhooks: { enabled: false },
      tls: { enabled: false },
      affinity,
      resources: resources("50m", "96Mi", "256Mi"),
    },
    prometheus: {
      prometheusSpec: {
        retention,
        retentionSize: retentionSize(storageGi),
        scrapeInterval: SCRAPE_INTERVAL,
        evaluationInterval: SCRAPE_INTERVAL,
        resources: resources(prom.cpu, prom.memory, prom.memoryLimit),
        storageSpec: volume(`${storageGi}Gi`),
        affinity,
        ...selectors(),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        useExistingSecret: true,
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        externalUrl: `https://${args.dns.alertmanager}`,
        // Silences and notification state survive a restart.
        storage: volume("1Gi"),
        affinity,
        resources: resources("10m", "64Mi", "128Mi"),
      },
    },
    grafana: {
      fullnameOverride: UI_SERVICES.grafana.service,
      defaultDashboardsEnabled: false,
      testFramework: { enabled: false },
      // Dashboards and data sources are provisioned, the admin comes from a Secret: nothing to keep.
      persistence: { enabled: false },
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
      "grafana.ini": {
        server: { root_url: `https://${args.dns.grafana}/`, domain: args.dns.grafana },
        users: { allow_sign_up: false },
        "auth.anonymous": { enabled: false },
        // Signed in by the ingress's basic authentication: Traefik passes the user in a header and
        // Grafana takes them as its user of that name (only existing users: the admin).
        "auth.proxy": {
          enabled: true,
          header_name: GRAFANA_USER_HEADER,
          header_property: "username",
          auto_sign_up: false,
        },
        security: { cookie_secure: true, disable_gravatar: true },
        analytics: { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false },
      },
      affinity,
      resources: resources("50m", "192Mi", "384Mi"),
      sidecar: {
        resources: resources("10m", "64Mi", "128Mi"),
        dashboards: {
          enabled: true,
          label: Object.keys(DASHBOARD_LABEL)[0],
          labelValue: Object.values(DASHBOARD_LABEL)[0],
          searchNamespace: MONITORING_NAMESPACE,
          // Our dashboards in a folder of their own (the annotation on their ConfigMaps).
          folderAnnotation: DASHBOARD_FOLDER_ANNOTATION.key,
          provider: { allowUiUpdates: false, foldersFromFilesStructure: true },
        },
        datasources: {
          enabled: true,
          defaultDatasourceEnabled: true,
          isDefaultDatasource: true,
          name: "Prometheus",
          uid: PROMETHEUS_DATASOURCE_UID,
          alertmanager: { enabled: true, uid: ALERTMANAGER_DATASOURCE_UID },
        },
      },
    },
    "kube-state-metrics": {
      metricLabelsAllowlist: [...KUBE_STATE_METRICS_LABELS_ALLOWLIST],
      affinity,
      resources: resources("20m", "64Mi", "192Mi"),
    },
    nodeExporter: { enabled: true },
    "prometheus-node-exporter": {
      namespaceOverride: NODE_METRICS_NAMESPACE,
      // Every node: the server, the Pis (dedicated=pi:NoSchedule), the GPU workstation, whatever comes.
      tolerations: [{ operator: "Exists" }],
      resources: resources("10m", "24Mi", "64Mi"),
      prometheus: {
        monitor: {
          enabled: true,
          relabelings: [
            { action: "replace", sourceLabels: ["__meta_kubernetes_pod_node_name"], targetLabel: "node" },
          ],
        },
      },
    },
  };
}

/**
 * dcgm-exporter's values: on the GPU nodes only, with the NVIDIA runtime (k3s's `nvidia` RuntimeClass) and
 * every GPU visible; scraped through our PodMonitor rather than the chart's ServiceMonitor.
 */
export function dcgmExporterValues(): Record<string, unknown> {
  return {
    runtimeClassName: "nvidia",
    nodeSelector: { "hdp.io/role": "gpu" },
    tolerations: [{ operator: "Exists" }],
    // Without a GPU request the NVIDIA runtime shows a container the GPUs this names.
    extraEnv: [{ name: "NVIDIA_VISIBLE_DEVICES", value: "all" }],
    serviceMonitor: { enabled: false },
    resources: resources("50m", "128Mi", "512Mi"),
  };
}
