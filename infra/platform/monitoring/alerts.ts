/**
 * The alert rules of the pipeline and the hybrid cluster, as one typed table. Each names only metrics our
 * services document (their README's `## Metrics`) or a pinned exporter list (`exporter-metrics.ts`), has a
 * runbook section in the operator's guide (docs/operator-guide.md, `## Alerts`), and is proven by
 * `promtool test rules` to fire on one synthetic series and stay quiet on another (`alert-cases.ts`).
 * `prometheus-rules.ts` renders it as PrometheusRule objects and as a promtool rule file.
 */
import { EXCHANGE_MIC } from "../../../services/shared/src/calendar/session-state.js";
import { GPU_RESOURCE } from "../../cluster/nvidia-device-plugin.js";
import { NAMESPACES, POSTGRES_CLUSTER } from "../render.js";
import type { KubeObject } from "../../cluster/kilo-manifests.js";
import { NODE_ROLE_METRIC_LABEL, WIREGUARD_EXPORTER } from "./contract.js";
import { prometheusRulesOf, renderRuleFile, ruleGroups, type RuleOptions } from "./prometheus-rules.js";

export type Severity = "critical" | "warning";

/** The PrometheusRule (and rule group) an alert belongs to. */
export type AlertGroup = "pipeline" | "cluster" | "data-stores";

/** A Prometheus duration as rules take it, e.g. `5m`; `0s` fires on the first evaluation. */
export type Duration = `${number}${"s" | "m" | "h"}`;

export interface AlertRule<Name extends string = string> {
  /** The `alert` name, in UpperCamelCase. */
  readonly name: Name;
  readonly group: AlertGroup;
  /** PromQL; the alert fires for each series it returns (for `for`). */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. */
  readonly for: Duration;
  readonly severity: Severity;
  /** One line; may use `{{ $labels.<name> }}` of the expression's labels, and nothing else. */
  readonly summary: string;
  /** What it means and where to look first; same templating as `summary`. */
  readonly description: string;
  /** Anchor of its section in the operator's guide: the name in lower case. */
  readonly runbook: string;
}

/** The anchor GitHub gives an `### <Name>` heading. */
export const runbookAnchor = (name: string): string => name.toLowerCase();

const alert = <Name extends string>(rule: Omit<AlertRule<Name>, "runbook">): AlertRule<Name> => ({
  ...rule,
  runbook: runbookAnchor(rule.name),
});

const apps = NAMESPACES.apps;
const data = NAMESPACES.data;
const exchange = `exchange="${EXCHANGE_MIC}"`;
/** The instances of our PostgreSQL cluster (`pg-1`, `pg-2`, …) in the data namespace. */
const pg = `namespace="${data}", pod=~"${POSTGRES_CLUSTER}-[0-9]+"`;
/** kube-state-metrics writes an extended resource's name with `_` for `.` and `/`. */
const gpuResource = GPU_RESOURCE.replace(/[^a-zA-Z0-9_]/g, "_");

/** Our long-running services, by their scrape job (the PodMonitor's name): each must have a replica up. */
export const SCRAPED_SERVICES = ["middle-tier", "processing", "analytics"] as const;

/** Seconds without a handshake after which a WireGuard peer counts as unreachable (keys rotate every 2 min). */
export const HANDSHAKE_STALE_SECONDS = 300;

export const ALERTS = [
  alert({
    name: "BarsNotStored",
    group: "pipeline",
    // The API's age of the newest bar of any ticker: no ticker fresher than 5 minutes means no bars are
    // being stored. Quiet outside regular sessions and in a session's first 5 minutes, when the newest
    // bar is still the previous session's.
    expr: [
      "(min(api_last_bar_age_seconds) > 300)",
      `and on () (max(market_session_open{${exchange}}) == 1)`,
      `and on () (max(market_session_elapsed_seconds{${exchange}}) > 300)`,
    ].join("\n"),
    for: "1m",
    severity: "critical",
    summary: "No bars stored for 5 minutes during the regular session",
    description:
      "The newest bar of every ticker ended more than 5 minutes ago while the exchange is open. Check the " +
      "ingestion-market CronJob, the bars topic's consumer lag and processing (Pipeline overview dashboard).",
  }),
  alert({
    name: "DeadLettersRecent",
    group: "pipeline",
    // increase() misses a counter's first sample, so a series that did not exist 15 minutes ago (the first
    // dead letter of its kind, or the first since processing restarted) counts by its value.
    expr: [
      "sum by (topic, reason) (increase(processing_dead_letters_total[15m])) > 0",
      "or",
      "sum by (topic, reason) (processing_dead_letters_total unless processing_dead_letters_total offset 15m) > 0",
    ].join("\n"),
    for: "0s",
    severity: "warning",
    summary: "Dead letters from {{ $labels.topic }} ({{ $labels.reason }}) in the last 15 minutes",
    description:
      "Processing refused messages of {{ $labels.topic }} for reason {{ $labels.reason }} and sent them to " +
      "its dead-letter topic. Read them (table dead_letters, or the .dlq topic in the Kafka UI) and fix the source.",
  }),
  alert({
    name: "ConsumerLagGrowing",
    group: "pipeline",
    // The broker's view (Strimzi's Kafka exporter), which keeps reporting while processing is down.
    expr: [
      "(deriv(max by (consumergroup, topic) (kafka_consumergroup_lag_sum)[5m:1m]) > 0)",
      "and (max by (consumergroup, topic) (kafka_consumergroup_lag_sum) > 100)",
    ].join("\n"),
    for: "10m",
    severity: "warning",
    summary: "Consumer group {{ $labels.consumergroup }} falls behind on {{ $labels.topic }}",
    description:
      "The lag of {{ $labels.consumergroup }} on {{ $labels.topic }} is above 100 messages and has grown for " +
      "10 minutes: the consumer is down, stuck on a message, or slower than the producers (Kafka dashboard).",
  }),
  alert({
    name: "AnalyticsFailing",
    group: "pipeline",
    expr: [
      "sum(rate(processing_analytics_failures_total[5m]))",
      "  / sum(rate(processing_analytics_request_duration_seconds_count[5m]))",
      "> 0.2",
    ].join("\n"),
    for: "5m",
    severity: "warning",
    summary: "More than 20 % of processing's requests to analytics fail",
    description:
      "Articles wait unscored while processing retries. The failures' reasons (timeout, unreachable, " +
      "http_error, invalid_response) are on the Pipeline overview dashboard; check the analytics pods.",
  }),
  alert({
    name: "ServiceDown",
    group: "pipeline",
    // The chart's default rules (its TargetDown among them) are off, and a dead API would silence
    // BarsNotStored (its gauges vanish with it): every replica of a service down, or none scraped at all.
    expr: [
      `max by (job) (up{job=~"${SCRAPED_SERVICES.join("|")}"}) == 0`,
      ...SCRAPED_SERVICES.map((job) => `or absent(up{job="${job}"})`),
    ].join("\n"),
    for: "5m",
    severity: "critical",
    summary: "{{ $labels.job }} is down or not scraped",
    description:
      "Prometheus has not scraped a single replica of {{ $labels.job }} for 5 minutes: the pods are not " +
      "running or not ready, or the scrape is refused (PodMonitor, NetworkPolicy). The freshness alerts " +
      "cannot see the pipeline while the API is down.",
  }),
  alert({
    name: "NodeNotReady",
    group: "cluster",
    expr: 'max by (node) (kube_node_status_condition{condition="Ready", status="true"}) == 0',
    for: "5m",
    severity: "critical",
    summary: "Node {{ $labels.node }} is not Ready",
    description:
      "Node {{ $labels.node }} has not been Ready for 5 minutes: its kubelet stopped reporting (power, " +
      "network, the Kilo tunnel of its location) or reports a failing condition.",
  }),
  alert({
    name: "KiloPeerHandshakeStale",
    group: "cluster",
    expr: [
      "time()",
      `  - max by (node, public_key, allowed_ips) (wireguard_latest_handshake_seconds{interface="${WIREGUARD_EXPORTER.interface}"})`,
      `> ${HANDSHAKE_STALE_SECONDS}`,
    ].join("\n"),
    for: "5m",
    severity: "critical",
    summary: "No WireGuard handshake with a Kilo peer of {{ $labels.node }} for 5 minutes",
    description:
      "The tunnel from {{ $labels.node }} to the peer routing {{ $labels.allowed_ips }} has had no handshake " +
      "for more than 5 minutes: that location is cut off (its endpoint, port forward or NAT keepalive).",
  }),
  alert({
    name: "PiOverheating",
    group: "cluster",
    expr: "max by (device) (sensor_cpu_temperature_celsius) > 80",
    for: "5m",
    severity: "warning",
    summary: "Raspberry Pi {{ $labels.device }} is above 80 °C",
    description:
      "The CPU of {{ $labels.device }} has been above 80 °C for 5 minutes; the firmware throttles it from " +
      "80 °C and hard at 85 °C. Check its cooling and its load (Cluster & nodes dashboard).",
  }),
  alert({
    name: "GpuNotAllocatable",
    group: "cluster",
    expr: [
      `max by (node) (kube_node_labels{${NODE_ROLE_METRIC_LABEL}="gpu"})`,
      "unless on (node)",
      `(max by (node) (kube_node_status_allocatable{resource="${gpuResource}"}) >= 1)`,
    ].join("\n"),
    for: "10m",
    severity: "warning",
    summary: "GPU node {{ $labels.node }} offers no allocatable GPU",
    description:
      "Node {{ $labels.node }} has role gpu but no allocatable nvidia.com/gpu: the NVIDIA device plugin is " +
      "not running or cannot initialise the GPU, and analytics cannot be scheduled on it.",
  }),
  alert({
    name: "CertificateExpiringSoon",
    group: "cluster",
    expr: "min by (namespace, name) (certmanager_certificate_expiration_timestamp_seconds) - time() < 14 * 24 * 3600",
    for: "1h",
    severity: "warning",
    summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires within 14 days",
    description:
      "cert-manager renews Let's Encrypt certificates 30 days before they expire, so renewal of " +
      "{{ $labels.namespace }}/{{ $labels.name }} has been failing for two weeks: check its Certificate, Order and Challenge.",
  }),
  alert({
    name: "PersistentVolumeFilling",
    group: "data-stores",
    expr: [
      "max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes)",
      "  / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)",
      "> 0.85",
    ].join("\n"),
    for: "5m",
    severity: "warning",
    summary: "Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than 85 % full",
    description:
      "The volume of claim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is more than 85 % " +
      "full. Kafka's fill with retention, PostgreSQL's with data and WAL; grow it or cut retention.",
  }),
  alert({
    name: "PostgresNotReady",
    group: "data-stores",
    // An instance whose database is down, or no instance at all reporting as primary.
    expr: [
      `max by (namespace, pod) (cnpg_collector_up{${pg}}) == 0`,
      "or",
      `absent(cnpg_pg_replication_in_recovery{${pg}} == 0)`,
    ].join("\n"),
    for: "2m",
    severity: "critical",
    summary: `PostgreSQL cluster ${POSTGRES_CLUSTER} is not ready`,
    description:
      `An instance of cluster ${POSTGRES_CLUSTER} reports its database down, or no instance is primary: ` +
      "processing cannot store and the API cannot read. Check the Cluster's status and its pods' logs " +
      "(PostgreSQL dashboard).",
  }),
  alert({
    name: "PostgresReplicationLagging",
    group: "data-stores",
    expr: [
      `max by (namespace, pod) (cnpg_pg_replication_lag{${pg}}) > 60`,
      "or",
      `max by (namespace, pod) (cnpg_pg_replication_in_recovery{${pg}})`,
      `  > max by (namespace, pod) (cnpg_pg_replication_is_wal_receiver_up{${pg}})`,
    ].join("\n"),
    for: "5m",
    severity: "warning",
    summary: "PostgreSQL replica {{ $labels.pod }} lags or does not replicate",
    description:
      "Replica {{ $labels.pod }} is more than 60 s behind the primary or its WAL receiver is down: a failover " +
      "now would lose recent writes. Check the replica's logs and its volume.",
  }),
  alert({
    name: "IngestionCronJobFailing",
    group: "pipeline",
    // Failed jobs of each ingestion CronJob started after its last success (0 when it never succeeded);
    // group_left keeps the owner's labels (a one-to-one match `on` would keep only the matched ones).
    expr: [
      "count by (namespace, cronjob) (",
      `  label_replace(kube_job_owner{namespace="${apps}", owner_kind="CronJob", owner_name=~"ingestion-.+"}, "cronjob", "$1", "owner_name", "(.+)")`,
      '  * on (namespace, job_name) group_left () (kube_job_status_start_time and on (namespace, job_name) (kube_job_failed{condition="true"} == 1))',
      "  > on (namespace, cronjob) group_left ()",
      "  (",
      "    max by (namespace, cronjob) (kube_cronjob_status_last_successful_time)",
      "    or on (namespace, cronjob) 0 * max by (namespace, cronjob) (kube_cronjob_created)",
      "  )",
      ") >= 2",
    ].join("\n"),
    for: "0s",
    severity: "warning",
    summary: "CronJob {{ $labels.cronjob }} failed twice in a row",
    description:
      "The last two jobs of {{ $labels.namespace }}/{{ $labels.cronjob }} failed: read their logs " +
      "(kubectl -n {{ $labels.namespace }} get jobs, then logs of the failed ones).",
  }),
  alert({
    name: "ArchiveNotSucceeding",
    group: "pipeline",
    // The archive CronJob (issue 13; only with `archive`, otherwise no series and quiet) runs at one past
    // every hour: no success for 2 hours is two runs in a row that failed or did not run. A CronJob that never
    // succeeded counts from its creation.
    expr: [
      `(time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="${apps}", cronjob="archive"}) > 7200)`,
      "or",
      "(",
      `  (time() - max by (namespace, cronjob) (kube_cronjob_created{namespace="${apps}", cronjob="archive"}) > 7200)`,
      `  unless on (namespace, cronjob) max by (namespace, cronjob) (kube_cronjob_status_last_successful_time{namespace="${apps}", cronjob="archive"})`,
      ")",
    ].join("\n"),
    for: "15m",
    severity: "warning",
    summary: "The archive has not succeeded for more than 2 hours",
    description:
      "No job of CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} has succeeded for more than 2 hours: " +
      "closed hours are not being archived. Read the failed jobs' logs; once it runs again the job takes " +
      "every hour since its watermark.",
  }),
] as const;

export type AlertName = (typeof ALERTS)[number]["name"];

/** The alerts as PrometheusRule objects (monitoring.coreos.com/v1) in `namespace`, one per group. */
export function prometheusRuleObjects(namespace: string, options: RuleOptions = {}): KubeObject[] {
  return prometheusRulesOf(ALERTS, namespace, options);
}

/** The alerts as a Prometheus rule file, for `promtool check rules` and `promtool test rules`. */
export function alertRuleFile(options: RuleOptions = {}): string {
  return renderRuleFile(ruleGroups(ALERTS, options));
}
