/**
 * Kafka's metrics through Strimzi: the brokers' JMX Prometheus exporter (the Kafka resource's
 * `metricsConfig`, its rules in a ConfigMap beside the cluster) and Strimzi's Kafka exporter (consumer-group
 * lag per topic and partition). Both serve port 9404 (`tcp-prometheus`). Self-contained: the platform's
 * render.ts imports it.
 */
import { stringify } from "yaml";
import type { KubeObject } from "../../cluster/kilo-manifests.js";

/** The ConfigMap (in the Kafka cluster's namespace) and the key holding the JMX exporter's rules. */
export const KAFKA_METRICS_CONFIG_MAP = "kafka-metrics";
export const KAFKA_METRICS_KEY = "kafka-metrics-config.yml";

interface JmxRule {
  readonly pattern: string;
  readonly name: string;
  readonly type: "GAUGE" | "COUNTER" | "UNTYPED";
  readonly labels?: Readonly<Record<string, string>>;
  readonly value?: number;
}

// The names follow Strimzi's own convention (its examples/metrics rules, which its dashboards and alerts
// query): `kafka_<domain>_<type>_<name>` in lower case, per-second meters as `_total` counters of their
// Count, percentages as `_percent`. The metric names the alerts and dashboards may use are pinned in
// exporter-metrics.ts ("kafka-jmx").
const gauge = (pattern: string, name: string, labels?: Record<string, string>): JmxRule => ({
  pattern,
  name,
  type: "GAUGE",
  ...(labels ? { labels } : {}),
});
const counter = (pattern: string, name: string, labels?: Record<string, string>): JmxRule => ({
  pattern,
  name,
  type: "COUNTER",
  ...(labels ? { labels } : {}),
});

/** The JMX exporter's rules, most specific first (the exporter takes the first match). */
export const KAFKA_JMX_RULES: readonly JmxRule[] = [
  // Idle percentages: the request handlers' mean rate, the network processors' value.
  gauge("kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>MeanRate", "kafka_$1_$2_$3_percent"),
  gauge("kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>Value", "kafka_$1_$2_$3_percent"),
  // Meters (messages, bytes, requests, unclean elections per second) as counters, by topic where they have one.
  counter("kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+)><>Count", "kafka_$1_$2_$3_total", {
    $4: "$5",
  }),
  counter("kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*><>Count", "kafka_$1_$2_$3_total"),
  // Gauges with up to two key/value pairs: partitions per replica manager, log sizes per topic and partition.
  gauge("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Value", "kafka_$1_$2_$3", {
    $4: "$5",
    $6: "$7",
  }),
  gauge("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Value", "kafka_$1_$2_$3", { $4: "$5" }),
  gauge("kafka.(\\w+)<type=(.+), name=(.+)><>Value", "kafka_$1_$2_$3"),
  // Request latencies: their percentiles as quantiles.
  gauge("kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>(\\d+)thPercentile", "kafka_$1_$2_$3", {
    $4: "$5",
    quantile: "0.$6",
  }),
  // KRaft: the controller quorum's state (a label), its totals and maxima, its gauges.
  {
    pattern: "kafka.server<type=raft-metrics><>(current-state): (.+)",
    name: "kafka_server_raftmetrics_$1",
    type: "UNTYPED",
    value: 1,
    labels: { $1: "$2" },
  },
  counter("kafka.server<type=raft-metrics><>(.+-total|.+-max):", "kafka_server_raftmetrics_$1"),
  gauge("kafka.server<type=raft-metrics><>(.+):", "kafka_server_raftmetrics_$1"),
];

/** The ConfigMap with the JMX exporter's configuration, in the Kafka cluster's namespace. */
export function kafkaMetricsConfigMap(namespace: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: KAFKA_METRICS_CONFIG_MAP,
      namespace,
      labels: { "app.kubernetes.io/part-of": "monitoring" },
    },
    data: {
      [KAFKA_METRICS_KEY]: stringify({ lowercaseOutputName: true, rules: KAFKA_JMX_RULES }, { lineWidth: 0 }),
    },
  };
}

/** `spec.kafka.metricsConfig` of the Kafka resource: the JMX exporter with those rules. */
export function kafkaMetricsConfig() {
  return {
    type: "jmxPrometheusExporter",
    valueFrom: { configMapKeyRef: { name: KAFKA_METRICS_CONFIG_MAP, key: KAFKA_METRICS_KEY } },
  } as const;
}

/** `spec.kafkaExporter`: consumer-group lag of every group on every topic. */
export function kafkaExporter() {
  return {
    topicRegex: ".*",
    groupRegex: ".*",
    resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  } as const;
}
