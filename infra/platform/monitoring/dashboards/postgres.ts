// PostgreSQL: the CloudNativePG cluster's instances (primary, replicas, replication), the database's size
// and activity, and its volumes.
import { NAMESPACES, POSTGRES_CLUSTER, POSTGRES_DATABASE } from "../../render.js";
import { buildDashboard, query, stat, timeseries, trafficLight } from "./panels.js";

const rate = (expr: string) => `rate(${expr}[$__rate_interval])`;
/** The cluster's instances; their claims are named like them (`pg-1`, and `pg-1-wal` for a WAL volume). */
const pods = `namespace="${NAMESPACES.data}", pod=~"${POSTGRES_CLUSTER}-[0-9]+"`;
const claims = `namespace="${NAMESPACES.data}", persistentvolumeclaim=~"${POSTGRES_CLUSTER}-[0-9]+(-wal)?"`;
const db = `datname="${POSTGRES_DATABASE}"`;

export const postgresDashboard = () =>
  buildDashboard({
    uid: "hdp-postgres",
    title: "PostgreSQL",
    description: `The CloudNativePG cluster ${POSTGRES_CLUSTER} and database ${POSTGRES_DATABASE}.`,
    rows: [
      {
        title: "Instances",
        panels: [
          stat("Instances up", query(`sum(cnpg_collector_up{${pods}})`)),
          stat("Primaries", query(`count(cnpg_pg_replication_in_recovery{${pods}} == 0)`), {
            description: "Exactly one in a healthy cluster.",
          }),
          stat("Streaming replicas", query(`max(cnpg_pg_replication_streaming_replicas{${pods}})`)),
          stat("Database size", query(`max(cnpg_pg_database_size_bytes{${pods}, ${db}})`), { unit: "bytes" }),
          timeseries(
            "Role, by instance",
            [query(`max by (pod) (cnpg_pg_replication_in_recovery{${pods}})`, "{{pod}}")],
            { min: 0, max: 1, span: 8, description: "0: primary, 1: replica." },
          ),
          timeseries(
            "Replication lag",
            [query(`max by (pod) (cnpg_pg_replication_lag{${pods}})`, "{{pod}}")],
            {
              unit: "s",
              span: 8,
              thresholds: trafficLight(10, 60),
            },
          ),
          timeseries(
            "Volumes used",
            [
              query(
                `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${claims}}) / max by (persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${claims}})`,
                "{{persistentvolumeclaim}}",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1, span: 8, thresholds: trafficLight(0.75, 0.85) },
          ),
        ],
      },
      {
        title: "Activity",
        panels: [
          timeseries(
            "Transactions",
            [
              query(`sum(${rate(`cnpg_pg_stat_database_xact_commit{${pods}, ${db}}`)})`, "commits"),
              query(`sum(${rate(`cnpg_pg_stat_database_xact_rollback{${pods}, ${db}}`)})`, "rollbacks"),
            ],
            { unit: "reqps" },
          ),
          timeseries(
            "Rows written",
            [
              query(`sum(${rate(`cnpg_pg_stat_database_tup_inserted{${pods}, ${db}}`)})`, "inserted"),
              query(`sum(${rate(`cnpg_pg_stat_database_tup_updated{${pods}, ${db}}`)})`, "updated"),
            ],
            { unit: "reqps" },
          ),
          timeseries(
            "Buffer cache hit ratio",
            [
              query(
                `sum(${rate(`cnpg_pg_stat_database_blks_hit{${pods}, ${db}}`)}) / (sum(${rate(`cnpg_pg_stat_database_blks_hit{${pods}, ${db}}`)}) + sum(${rate(`cnpg_pg_stat_database_blks_read{${pods}, ${db}}`)}))`,
                "hit ratio",
              ),
            ],
            { unit: "percentunit", min: 0, max: 1 },
          ),
          timeseries("Connections and the longest transaction", [
            query(`sum by (pod) (cnpg_backends_total{${pods}})`, "{{pod}} connections"),
            query(
              `max by (pod) (cnpg_backends_max_tx_duration_seconds{${pods}})`,
              "{{pod}} longest transaction (s)",
            ),
          ]),
          timeseries(
            "Deadlocks",
            [query(`sum(increase(cnpg_pg_stat_database_deadlocks{${pods}}[$__rate_interval]))`)],
            {
              span: 12,
            },
          ),
          timeseries(
            "Memory of the instances",
            [
              query(
                `sum by (pod) (container_memory_working_set_bytes{${pods}, container="postgres"})`,
                "{{pod}}",
              ),
            ],
            { unit: "bytes", span: 12 },
          ),
        ],
      },
    ],
  });
