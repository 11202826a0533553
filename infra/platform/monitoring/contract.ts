/**
 * What the monitoring stack must be set up with for the alert rules and dashboards of this folder to work,
 * beyond the shared names of `names.ts` (the rule selector's labels, the data source uid, the dashboard
 * label): the monitoring component configures kube-prometheus-stack and the exporters from these.
 */

/**
 * Kubernetes labels kube-state-metrics must turn into metric labels (`--metric-labels-allowlist`, the
 * chart value `kube-state-metrics.metricLabelsAllowlist`): the node role, which the GPU alert and the
 * node panels join on as `kube_node_labels{label_hdp_io_role="…"}`.
 */
export const KUBE_STATE_METRICS_LABELS_ALLOWLIST: readonly string[] = ["nodes=[hdp.io/role]"];

/** The node role as kube-state-metrics names it once allow-listed (`hdp.io/role` → `label_hdp_io_role`). */
export const NODE_ROLE_METRIC_LABEL = "label_hdp_io_role";

/**
 * The WireGuard exporter that reports Kilo's tunnels: MindFlavor's prometheus_wireguard_exporter, the one
 * Kilo's monitoring guide deploys (https://github.com/squat/kilo/blob/main/docs/monitoring.md). Kilo's own
 * metrics (port 1107) count peers and errors but carry no handshake times. Run it beside Kilo on every node
 * (a sidecar of the `kilo` DaemonSet shares its host network, where `kilo0` is) with `NET_ADMIN`; the
 * scrape must add the pod's node as label `node` (`__meta_kubernetes_pod_node_name`).
 *
 * The image's user is 1000 and it runs `wg show kilo0 dump`, which needs `NET_ADMIN` in its effective set:
 * a non-root process gets no added capability, and the image's other way (`-a true`, through sudo) is
 * barred by `allowPrivilegeEscalation: false`. So the container runs as root (`runAsUser: 0`) with every
 * capability dropped but `NET_ADMIN`.
 */
export const WIREGUARD_EXPORTER = {
  image: "docker.io/mindflavor/prometheus-wireguard-exporter:3.6.6",
  /** `-i kilo0`: only Kilo's interface. */
  args: ["-i", "kilo0"],
  port: 9586,
  interface: "kilo0",
  /** See above: `wg` needs `NET_ADMIN`, which only root gets from `capabilities.add`. */
  runAsUser: 0,
} as const;

/**
 * The annotation that puts our dashboards in a Grafana folder of their own, apart from the chart's: the
 * sidecar reads it with `grafana.sidecar.dashboards.folderAnnotation: grafana_folder` (and
 * `provider.foldersFromFilesStructure: true`); without that setting they land in the General folder.
 */
export const DASHBOARD_FOLDER_ANNOTATION = { key: "grafana_folder", value: "Hybrid data pipeline" } as const;
