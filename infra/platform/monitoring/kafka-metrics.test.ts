// The brokers' JMX exporter rules give the metric names the alerts and dashboards may use (the "kafka-jmx"
// list of exporter-metrics.ts): each rule applied as the JMX Prometheus exporter applies it, to the MBean
// attributes Kafka 3.9 in KRaft mode registers.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { EXPORTERS } from "./exporter-metrics.js";
import {
  KAFKA_JMX_RULES,
  KAFKA_METRICS_CONFIG_MAP,
  KAFKA_METRICS_KEY,
  kafkaMetricsConfig,
  kafkaMetricsConfigMap,
} from "./kafka-metrics.js";

/**
 * The exporter's naming (io.prometheus.jmx.JmxCollector): the first rule whose pattern matches
 * `domain<key=value, …><>attribute: value` anywhere wins; `$n` in the name become its groups; the name is
 * lower-cased (lowercaseOutputName) and every character outside [a-zA-Z0-9:_] becomes `_`, runs of `_` one.
 */
function exportedName(bean: string): string | undefined {
  for (const rule of KAFKA_JMX_RULES) {
    const match = new RegExp(`^.*(?:${rule.pattern}).*$`).exec(bean);
    if (!match) continue;
    const name = rule.name.replace(/\$(\d+)/g, (_, n: string) => match[Number(n)] ?? "");
    return name
      .toLowerCase()
      .replace(/[^a-z0-9:_]/g, "_")
      .replace(/_+/g, "_");
  }
  return undefined;
}

/** MBean attributes of a KRaft broker and controller (Kafka 3.9), as the exporter sees them. */
const BEANS = [
  ...["MessagesIn", "BytesIn", "BytesOut", "TotalProduceRequests", "FailedProduceRequests"].map(
    (m) => `kafka.server<type=BrokerTopicMetrics, name=${m}PerSec, topic=market.candles.1m.v1><>Count: 7`,
  ),
  ...["TotalFetchRequests", "FailedFetchRequests"].map(
    (m) => `kafka.server<type=BrokerTopicMetrics, name=${m}PerSec><>Count: 7`,
  ),
  ...["LeaderCount", "PartitionCount", "UnderReplicatedPartitions", "UnderMinIsrPartitionCount"].map(
    (m) => `kafka.server<type=ReplicaManager, name=${m}><>Value: 3`,
  ),
  "kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>MeanRate: 0.9",
  "kafka.network<type=SocketServer, name=NetworkProcessorAvgIdlePercent><>Value: 0.9",
  "kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1",
  "kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0",
  "kafka.controller<type=ControllerStats, name=UncleanLeaderElectionsPerSec><>Count: 0",
  "kafka.log<type=Log, name=Size, topic=news.articles.v1, partition=0><>Value: 1024",
  "kafka.log<type=LogManager, name=OfflineLogDirectoryCount><>Value: 0",
  "kafka.server<type=raft-metrics><>current-state: leader",
  "kafka.server<type=raft-metrics><>commit-latency-avg: 2.5",
  "kafka.server<type=raft-metrics><>high-watermark: 120",
];

describe("the JMX exporter's rules", () => {
  it("name the Kafka metrics exactly as the pinned list has them", () => {
    const listed = EXPORTERS.find((e) => e.exporter === "kafka-jmx")!.metrics.filter((m) =>
      m.startsWith("kafka_"),
    );
    const named = BEANS.map((bean) => [bean, exportedName(bean)] as const);
    for (const [bean, name] of named) expect(name, bean).toBeDefined();
    expect(new Set(named.map(([, name]) => name))).toEqual(new Set(listed));
  });

  it("keep the topic and partition of a per-topic meter and a log's size as labels", () => {
    const perTopic = KAFKA_JMX_RULES.find((r) => r.name === "kafka_$1_$2_$3_total" && r.labels)!;
    expect(perTopic.labels).toEqual({ $4: "$5" });
    expect(exportedName("kafka.log<type=Log, name=Size, topic=t, partition=0><>Value: 1")).toBe(
      "kafka_log_log_size",
    );
  });

  it("export nothing for an attribute no rule names", () => {
    expect(
      exportedName("kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>Count: 3"),
    ).toBeUndefined();
  });
});

describe("the metrics configuration of the Kafka resource", () => {
  it("points the JMX exporter at the rules' ConfigMap beside the cluster", () => {
    const map = kafkaMetricsConfigMap("hdp-data");
    expect(map.metadata).toMatchObject({ name: KAFKA_METRICS_CONFIG_MAP, namespace: "hdp-data" });
    const config = parse((map.data as Record<string, string>)[KAFKA_METRICS_KEY]!) as {
      lowercaseOutputName: boolean;
      rules: unknown[];
    };
    expect(config.lowercaseOutputName).toBe(true);
    expect(config.rules).toEqual(KAFKA_JMX_RULES);
    expect(kafkaMetricsConfig()).toEqual({
      type: "jmxPrometheusExporter",
      valueFrom: { configMapKeyRef: { name: KAFKA_METRICS_CONFIG_MAP, key: KAFKA_METRICS_KEY } },
    });
  });
});
