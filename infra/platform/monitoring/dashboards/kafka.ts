// Kafka: the brokers' health (Strimzi's JMX exporter rules), what flows through each topic, and how far
// each consumer group is behind (Strimzi's Kafka exporter).
import { KAFKA_CLUSTER, NAMESPACES } from "../../render.js";
import { buildDashboard, labelVariable, query, stat, timeseries, trafficLight } from "./panels.js";

const rate = (expr: string) => `rate(${expr}[$__rate_interval])`;
const topic = 'topic=~"$topic"';
/** The brokers' volumes: Strimzi's claims are `data-<volume id>-<cluster>-<pool>-<n>`. */
const kafkaClaims = `namespace="${NAMESPACES.data}", persistentvolumeclaim=~"data-.*-${KAFKA_CLUSTER}-.*"`;

export const kafkaDashboard = () =>
  buildDashboard({
    uid: "hdp-kafka",
    title: "Kafka",
    description: "Brokers, topics and consumer-group lag of the Strimzi Kafka cluster.",
    variables: [labelVariable("topic", "topic", "kafka_topic_partitions", "Topic")],
    rows: [
      {
        title: "Brokers",
        panels: [
          stat("Brokers", query("max(kafka_brokers)")),
          stat("Active controllers", query("sum(kafka_controller_kafkacontroller_activecontrollercount)"), {
            description: "Exactly one in a healthy cluster.",
          }),
          stat(
            "Under-replicated partitions",
            query("sum(kafka_server_replicamanager_underreplicatedpartitions)"),
            {
              thresholds: trafficLight(1, 1),
            },
          ),
          stat("Offline partitions", query("sum(kafka_controller_kafkacontroller_offlinepartitionscount)"), {
            thresholds: trafficLight(1, 1),
          }),
          timeseries(
            "Request handlers idle",
            [
              query(
                "avg by (pod) (kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent)",
                "{{pod}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1, span: 8 },
          ),
          timeseries(
            "JVM heap used",
            [query('sum by (pod) (jvm_memory_used_bytes{area="heap"})', "{{pod}}")],
            {
              unit: "bytes",
              span: 8,
            },
          ),
          timeseries(
            "Broker volumes used",
            [
              query(
                `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${kafkaClaims}}) / max by (persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${kafkaClaims}})`,
                "{{persistentvolumeclaim}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1, span: 8, thresholds: trafficLight(0.75, 0.85) },
          ),
        ],
      },
      {
        title: "Topics",
        panels: [
          timeseries(
            "Messages in, by topic",
            [
              query(
                `sum by (topic) (${rate(`kafka_server_brokertopicmetrics_messagesin_total{${topic}}`)})`,
                "{{topic}}",
              ),
            ],
            { unit: "reqps" },
          ),
          timeseries(
            "Bytes in and out",
            [
              query(`sum(${rate("kafka_server_brokertopicmetrics_bytesin_total")})`, "in"),
              query(`-sum(${rate("kafka_server_brokertopicmetrics_bytesout_total")})`, "out"),
            ],
            { unit: "Bps" },
          ),
          timeseries(
            "Log size, by topic",
            [query(`sum by (topic) (kafka_log_log_size{${topic}})`, "{{topic}}")],
            {
              unit: "bytes",
            },
          ),
          timeseries(
            "Failed produce and fetch requests",
            [
              query(`sum(${rate("kafka_server_brokertopicmetrics_failedproducerequests_total")})`, "produce"),
              query(`sum(${rate("kafka_server_brokertopicmetrics_failedfetchrequests_total")})`, "fetch"),
            ],
            { unit: "reqps" },
          ),
        ],
      },
      {
        title: "Consumer groups",
        panels: [
          timeseries(
            "Lag, by group and topic",
            [
              query(
                `max by (consumergroup, topic) (kafka_consumergroup_lag_sum{${topic}})`,
                "{{consumergroup}} {{topic}}",
              ),
            ],
            { description: "Messages the group has yet to read, summed over partitions." },
          ),
          timeseries("Lag, by partition", [
            query(
              `max by (consumergroup, topic, partition) (kafka_consumergroup_lag{${topic}})`,
              "{{consumergroup}} {{topic}}/{{partition}}",
            ),
          ]),
          timeseries(
            "Consumed and produced, by topic",
            [
              query(
                `sum by (consumergroup, topic) (${rate(`kafka_consumergroup_current_offset{${topic}}`)})`,
                "{{consumergroup}} reads {{topic}}",
              ),
              query(
                `sum by (topic) (${rate(`kafka_topic_partition_current_offset{${topic}}`)})`,
                "{{topic}} written",
              ),
            ],
            { unit: "reqps" },
          ),
          timeseries("Group members", [
            query("max by (consumergroup) (kafka_consumergroup_members)", "{{consumergroup}}"),
          ]),
        ],
      },
    ],
  });
