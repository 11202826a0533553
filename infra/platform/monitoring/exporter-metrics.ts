/**
 * The metrics the exporters of the monitoring stack are known to export, per exporter at its pinned
 * version: those the alerts and dashboards use plus a few neighbours an operator reaches for. Each list was
 * read from the project's own documentation or source at that version (the `source` of each entry); the
 * metric-name check of the rules and dashboards (`expression-check.ts`) refuses any name outside these
 * lists and our services' documented metrics. Add a name here only after reading it in its source.
 *
 * Names are as Prometheus stores them: a histogram is its `_bucket`, `_sum` and `_count` series
 * ({@link histogram}).
 */
import { K3S_VERSION, kubernetesVersionOf } from "../../cluster/k3s-version.js";
import { CNPG_OPERATOR_OF_CHART } from "../crds/sources.js";
import { VERSIONS } from "../render.js";
import { WIREGUARD_EXPORTER } from "./contract.js";

/** One exporter at its pinned version and the metric names it exports. */
export interface ExporterMetrics {
  /** Short name, e.g. `node-exporter`. */
  readonly exporter: string;
  /** The version the list was read at. */
  readonly version: string;
  /** Where the version comes from in the program. */
  readonly pinnedBy: string;
  /** The documentation page or source file the names were read from, at that version. */
  readonly source: string;
  readonly metrics: readonly string[];
}

/** The series Prometheus stores for a histogram. */
export function histogram(name: string): string[] {
  return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
}

const tagOf = (image: string): string => image.slice(image.lastIndexOf(":") + 1);

/** The Kilo pin of the cluster (`KILO_IMAGE` in infra/cluster/resources/hybrid-cluster.ts; a test keeps them equal). */
export const KILO_VERSION = "0.6.0";

/** NVIDIA's dcgm-exporter release: the image tag `<DCGM>-<exporter>` of chart `VERSIONS.dcgmExporterChart`. */
export const DCGM_EXPORTER_VERSION = `4.5.3-${VERSIONS.dcgmExporterChart}`;

export const EXPORTERS: readonly ExporterMetrics[] = [
  {
    exporter: "prometheus",
    version: "v3.6.0",
    pinnedBy: `VERSIONS.kubePrometheusStackChart ${VERSIONS.kubePrometheusStackChart}`,
    source: "https://prometheus.io/docs/concepts/jobs_instances/ (up, scrape_*) and alerting rules (ALERTS)",
    metrics: ["up", "scrape_duration_seconds", "scrape_samples_scraped", "ALERTS", "ALERTS_FOR_STATE"],
  },
  {
    exporter: "node-exporter",
    version: "v1.9.1",
    pinnedBy: `VERSIONS.kubePrometheusStackChart ${VERSIONS.kubePrometheusStackChart} (chart prometheus-node-exporter 4.48.0)`,
    // github.com/prometheus/node_exporter v1.9.1: collector/fixtures/e2e-output.txt, and for the
    // filesystem, meminfo (node_memory_<field>_bytes from /proc/meminfo) and uname collectors
    // collector/filesystem_common.go, collector/meminfo.go, collector/uname.go.
    source: "github.com/prometheus/node_exporter@v1.9.1 collector/fixtures/e2e-output.txt, collector/*.go",
    metrics: [
      "node_boot_time_seconds",
      "node_time_seconds",
      "node_cpu_seconds_total",
      "node_load1",
      "node_load5",
      "node_load15",
      "node_memory_MemTotal_bytes",
      "node_memory_MemAvailable_bytes",
      "node_memory_MemFree_bytes",
      "node_memory_Buffers_bytes",
      "node_memory_Cached_bytes",
      "node_memory_SwapTotal_bytes",
      "node_memory_SwapFree_bytes",
      "node_filesystem_size_bytes",
      "node_filesystem_free_bytes",
      "node_filesystem_avail_bytes",
      "node_filesystem_readonly",
      "node_disk_read_bytes_total",
      "node_disk_written_bytes_total",
      "node_disk_io_time_seconds_total",
      "node_network_receive_bytes_total",
      "node_network_transmit_bytes_total",
      "node_network_up",
      "node_hwmon_temp_celsius",
      "node_thermal_zone_temp",
      "node_pressure_cpu_waiting_seconds_total",
      "node_pressure_memory_waiting_seconds_total",
      "node_pressure_io_waiting_seconds_total",
      "node_vmstat_oom_kill",
      "node_uname_info",
      "node_os_info",
    ],
  },
  {
    exporter: "kube-state-metrics",
    version: "v2.17.0",
    pinnedBy: `VERSIONS.kubePrometheusStackChart ${VERSIONS.kubePrometheusStackChart} (chart kube-state-metrics 6.3.0)`,
    // github.com/kubernetes/kube-state-metrics v2.17.0: docs/metrics/cluster/node-metrics.md,
    // docs/metrics/workload/{pod,deployment,daemonset,statefulset,job,cronjob}-metrics.md,
    // docs/metrics/storage/persistentvolumeclaim-metrics.md. Extended resources are labelled with their
    // sanitised name (resource="nvidia_com_gpu"), internal/store/node.go.
    source: "github.com/kubernetes/kube-state-metrics@v2.17.0 docs/metrics/**",
    metrics: [
      "kube_node_info",
      "kube_node_labels",
      "kube_node_role",
      "kube_node_spec_unschedulable",
      "kube_node_spec_taint",
      "kube_node_status_condition",
      "kube_node_status_allocatable",
      "kube_node_status_capacity",
      "kube_pod_info",
      "kube_pod_status_phase",
      "kube_pod_status_ready",
      "kube_pod_container_status_restarts_total",
      "kube_pod_container_status_waiting_reason",
      "kube_deployment_spec_replicas",
      "kube_deployment_status_replicas_available",
      "kube_daemonset_status_desired_number_scheduled",
      "kube_daemonset_status_number_ready",
      "kube_statefulset_status_replicas_ready",
      "kube_job_owner",
      "kube_job_status_start_time",
      "kube_job_status_completion_time",
      "kube_job_status_succeeded",
      "kube_job_status_failed",
      "kube_job_complete",
      "kube_job_failed",
      "kube_cronjob_info",
      "kube_cronjob_created",
      "kube_cronjob_spec_suspend",
      "kube_cronjob_next_schedule_time",
      "kube_cronjob_status_active",
      "kube_cronjob_status_last_schedule_time",
      "kube_cronjob_status_last_successful_time",
      "kube_persistentvolumeclaim_info",
      "kube_persistentvolumeclaim_resource_requests_storage_bytes",
    ],
  },
  {
    exporter: "kubelet",
    version: kubernetesVersionOf(K3S_VERSION),
    pinnedBy: `K3S_VERSION ${K3S_VERSION}`,
    // The kubelet's volume stats collector (kubernetes pkg/kubelet/metrics/collectors/volume_stats.go,
    // https://kubernetes.io/docs/reference/instrumentation/metrics/). Only volumes whose plugin reports
    // usage have them: CSI and `local` volumes do, `hostPath` volumes (k3s's local-path default) do not.
    source: "https://kubernetes.io/docs/reference/instrumentation/metrics/ (kubelet_volume_stats_*)",
    metrics: [
      "kubelet_volume_stats_capacity_bytes",
      "kubelet_volume_stats_available_bytes",
      "kubelet_volume_stats_used_bytes",
      "kubelet_volume_stats_inodes",
      "kubelet_volume_stats_inodes_free",
      "kubelet_volume_stats_inodes_used",
      "kubelet_running_pods",
      "kubelet_running_containers",
    ],
  },
  {
    exporter: "cadvisor",
    version: kubernetesVersionOf(K3S_VERSION),
    pinnedBy: `K3S_VERSION ${K3S_VERSION} (the kubelet's embedded cAdvisor)`,
    source: "github.com/google/cadvisor docs/storage/prometheus.md",
    metrics: [
      "container_cpu_usage_seconds_total",
      "container_cpu_cfs_periods_total",
      "container_cpu_cfs_throttled_periods_total",
      "container_memory_working_set_bytes",
      "container_memory_rss",
      "container_network_receive_bytes_total",
      "container_network_transmit_bytes_total",
      "container_fs_usage_bytes",
      "container_oom_events_total",
      "container_spec_memory_limit_bytes",
      "machine_cpu_cores",
      "machine_memory_bytes",
    ],
  },
  {
    exporter: "strimzi-kafka-exporter",
    version: "1.8.0",
    pinnedBy: `VERSIONS.strimziChart ${VERSIONS.strimziChart} (KAFKA_EXPORTER_VERSION of its Kafka image)`,
    // github.com/danielqsj/kafka_exporter v1.8.0: kafka_exporter.go (namespace "kafka"); the version from
    // strimzi-kafka-operator 0.45.0 docker-images/kafka-based/kafka/Dockerfile.
    source: "github.com/danielqsj/kafka_exporter@v1.8.0 kafka_exporter.go",
    metrics: [
      "kafka_brokers",
      "kafka_broker_info",
      "kafka_topic_partitions",
      "kafka_topic_partition_current_offset",
      "kafka_topic_partition_oldest_offset",
      "kafka_topic_partition_leader",
      "kafka_topic_partition_replicas",
      "kafka_topic_partition_in_sync_replica",
      "kafka_topic_partition_leader_is_preferred",
      "kafka_topic_partition_under_replicated_partition",
      "kafka_consumergroup_current_offset",
      "kafka_consumergroup_current_offset_sum",
      "kafka_consumergroup_lag",
      "kafka_consumergroup_lag_sum",
      "kafka_consumergroup_members",
    ],
  },
  {
    exporter: "kafka-jmx",
    version: VERSIONS.strimziChart,
    pinnedBy: `VERSIONS.strimziChart ${VERSIONS.strimziChart}`,
    // The names Strimzi's JMX exporter rules produce (examples/metrics/kafka-metrics.yaml of
    // strimzi-kafka-operator 0.45.0, which the Kafka's metricsConfig must use), as its own dashboards
    // and alerts query them: examples/metrics/grafana-dashboards/strimzi-{kafka,kraft}.json,
    // examples/metrics/prometheus-install/prometheus-rules.yaml.
    source: "github.com/strimzi/strimzi-kafka-operator@0.45.0 examples/metrics/",
    metrics: [
      "kafka_server_brokertopicmetrics_messagesin_total",
      "kafka_server_brokertopicmetrics_bytesin_total",
      "kafka_server_brokertopicmetrics_bytesout_total",
      "kafka_server_brokertopicmetrics_totalproducerequests_total",
      "kafka_server_brokertopicmetrics_failedproducerequests_total",
      "kafka_server_brokertopicmetrics_totalfetchrequests_total",
      "kafka_server_brokertopicmetrics_failedfetchrequests_total",
      "kafka_server_replicamanager_leadercount",
      "kafka_server_replicamanager_partitioncount",
      "kafka_server_replicamanager_underreplicatedpartitions",
      "kafka_server_replicamanager_underminisrpartitioncount",
      "kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent",
      "kafka_network_socketserver_networkprocessoravgidle_percent",
      "kafka_controller_kafkacontroller_activecontrollercount",
      "kafka_controller_kafkacontroller_offlinepartitionscount",
      "kafka_controller_controllerstats_uncleanleaderelections_total",
      "kafka_log_log_size",
      "kafka_log_logmanager_offlinelogdirectorycount",
      "kafka_server_raftmetrics_current_state",
      "kafka_server_raftmetrics_commit_latency_avg",
      "kafka_server_raftmetrics_high_watermark",
      "jvm_memory_used_bytes",
      "jvm_gc_collection_seconds_count",
      "jvm_gc_collection_seconds_sum",
      "jvm_threads_current",
      "process_open_fds",
    ],
  },
  {
    exporter: "cloudnative-pg",
    version: CNPG_OPERATOR_OF_CHART[VERSIONS.cnpgChart] ?? "unknown",
    pinnedBy: `VERSIONS.cnpgChart ${VERSIONS.cnpgChart}`,
    // github.com/cloudnative-pg/cloudnative-pg v1.30.0: the instance manager's own collector
    // (pkg/management/postgres/webserver/metricserver/pg_collector.go, namespace "cnpg", subsystem
    // "collector") and the default monitoring queries (config/manager/default-monitoring.yaml:
    // cnpg_<query>_<column>).
    source:
      "github.com/cloudnative-pg/cloudnative-pg@v1.30.0 config/manager/default-monitoring.yaml, metricserver/",
    metrics: [
      "cnpg_collector_up",
      "cnpg_collector_last_collection_error",
      "cnpg_collector_nodes_used",
      "cnpg_collector_sync_replicas",
      "cnpg_collector_fencing_on",
      "cnpg_collector_manual_switchover_required",
      "cnpg_collector_postgres_version",
      "cnpg_collector_pg_wal",
      "cnpg_collector_pg_wal_archive_status",
      "cnpg_backends_total",
      "cnpg_backends_max_tx_duration_seconds",
      "cnpg_backends_waiting_total",
      "cnpg_pg_database_size_bytes",
      "cnpg_pg_database_xid_age",
      "cnpg_pg_postmaster_start_time",
      "cnpg_pg_replication_lag",
      "cnpg_pg_replication_in_recovery",
      "cnpg_pg_replication_is_wal_receiver_up",
      "cnpg_pg_replication_streaming_replicas",
      "cnpg_pg_replication_slots_active",
      "cnpg_pg_replication_slots_pg_wal_lsn_diff",
      "cnpg_pg_stat_archiver_archived_count",
      "cnpg_pg_stat_archiver_failed_count",
      "cnpg_pg_stat_archiver_seconds_since_last_archival",
      "cnpg_pg_stat_database_xact_commit",
      "cnpg_pg_stat_database_xact_rollback",
      "cnpg_pg_stat_database_blks_hit",
      "cnpg_pg_stat_database_blks_read",
      "cnpg_pg_stat_database_tup_inserted",
      "cnpg_pg_stat_database_tup_updated",
      "cnpg_pg_stat_database_deadlocks",
      "cnpg_pg_stat_replication_replay_lag_seconds",
    ],
  },
  {
    exporter: "dcgm-exporter",
    version: DCGM_EXPORTER_VERSION,
    pinnedBy: `VERSIONS.dcgmExporterChart ${VERSIONS.dcgmExporterChart}`,
    // github.com/NVIDIA/dcgm-exporter 4.5.3-4.8.2 (its chart's values.yaml image tag): etc/default-counters.csv, the counters it exports
    // without a custom collectors file.
    source: `github.com/NVIDIA/dcgm-exporter@${DCGM_EXPORTER_VERSION} etc/default-counters.csv`,
    metrics: [
      "DCGM_FI_DEV_GPU_UTIL",
      "DCGM_FI_DEV_MEM_COPY_UTIL",
      "DCGM_FI_DEV_FB_USED",
      "DCGM_FI_DEV_FB_FREE",
      "DCGM_FI_DEV_GPU_TEMP",
      "DCGM_FI_DEV_MEMORY_TEMP",
      "DCGM_FI_DEV_POWER_USAGE",
      "DCGM_FI_DEV_SM_CLOCK",
      "DCGM_FI_DEV_MEM_CLOCK",
      "DCGM_FI_DEV_XID_ERRORS",
      "DCGM_FI_DEV_ENC_UTIL",
      "DCGM_FI_DEV_DEC_UTIL",
    ],
  },
  {
    exporter: "wireguard-exporter",
    version: tagOf(WIREGUARD_EXPORTER.image),
    pinnedBy: `WIREGUARD_EXPORTER.image ${WIREGUARD_EXPORTER.image}`,
    // github.com/MindFlavor/prometheus_wireguard_exporter 3.6.6: src/wireguard.rs. Labels interface,
    // public_key, allowed_ips; wireguard_latest_handshake_seconds is the UNIX time of the last handshake
    // (0 when there has been none); the _delay_ gauge only with `-d true`, which we do not set.
    source: "github.com/MindFlavor/prometheus_wireguard_exporter@3.6.6 src/wireguard.rs",
    metrics: [
      "wireguard_sent_bytes_total",
      "wireguard_received_bytes_total",
      "wireguard_latest_handshake_seconds",
    ],
  },
  {
    exporter: "kilo",
    version: KILO_VERSION,
    pinnedBy: "KILO_IMAGE (infra/cluster/resources/hybrid-cluster.ts)",
    // github.com/squat/kilo 0.6.0: pkg/mesh/mesh.go, pkg/iptables/metrics.go; docs/monitoring.md.
    source: `github.com/squat/kilo@${KILO_VERSION} pkg/mesh/mesh.go, docs/monitoring.md`,
    metrics: ["kilo_errors_total", "kilo_leader", "kilo_nodes", "kilo_peers", "kilo_reconciles_total"],
  },
  {
    exporter: "traefik",
    version: VERSIONS.traefik,
    pinnedBy: `VERSIONS.traefik ${VERSIONS.traefik} (k3s bundles the same metrics)`,
    source: `github.com/traefik/traefik@${VERSIONS.traefik} pkg/observability/metrics/prometheus.go`,
    metrics: [
      "traefik_config_reloads_total",
      "traefik_config_last_reload_success",
      "traefik_open_connections",
      "traefik_tls_certs_not_after",
      "traefik_entrypoint_requests_total",
      ...histogram("traefik_entrypoint_request_duration_seconds"),
      "traefik_router_requests_total",
      ...histogram("traefik_router_request_duration_seconds"),
      "traefik_service_requests_total",
      ...histogram("traefik_service_request_duration_seconds"),
      "traefik_service_server_up",
    ],
  },
  {
    exporter: "cert-manager",
    version: VERSIONS.certManagerChart,
    pinnedBy: `VERSIONS.certManagerChart ${VERSIONS.certManagerChart}`,
    // github.com/cert-manager/cert-manager (read at v1.21.1; v1.21.2 is a patch release):
    // internal/collectors/{certificate,issuer,clusterissuer,acme}_collector.go, pkg/metrics/metrics.go.
    source: "github.com/cert-manager/cert-manager@v1.21 internal/collectors/, pkg/metrics/metrics.go",
    metrics: [
      "certmanager_certificate_expiration_timestamp_seconds",
      "certmanager_certificate_not_after_timestamp_seconds",
      "certmanager_certificate_renewal_timestamp_seconds",
      "certmanager_certificate_ready_status",
      "certmanager_issuer_ready_status",
      "certmanager_clusterissuer_ready_status",
      "certmanager_certificate_challenge_status",
      "certmanager_http_acme_client_request_count",
      "certmanager_controller_sync_call_count",
      "certmanager_controller_sync_error_count",
    ],
  },
];

/** Every exporter metric name, for the check of the rules and dashboards. */
export function exporterMetricNames(exporters: readonly ExporterMetrics[] = EXPORTERS): Set<string> {
  return new Set(exporters.flatMap((e) => e.metrics));
}
