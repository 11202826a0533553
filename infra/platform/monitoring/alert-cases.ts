/**
 * Synthetic series for every alert of `ALERTS`: at least one case where it fires and one where it stays
 * quiet (for the bars, a closed market and a session's first minutes), run by `promtool test rules`
 * (alerts.promtool.test.ts). Times count from the first sample; `time()` is 0 there.
 */
import type { AlertName } from "./alerts.js";
import type { AlertCase, AlertCases, InputSeries } from "./promtool-tests.js";

const s = (series: string, values: string): InputSeries => ({ series, values });
const quietAt = (at: AlertCase["expect"][number]["at"]): AlertCase["expect"][number] => ({ at, firing: [] });

const session = (open: string, elapsed: string) => [
  s('market_session_open{exchange="XNYS"}', open),
  s('market_session_elapsed_seconds{exchange="XNYS"}', elapsed),
];
const dead = (values: string) =>
  s('processing_dead_letters_total{topic="market.candles.1m.v1", reason="schema"}', values);
const deadLabels = { topic: "market.candles.1m.v1", reason: "schema" };
const lag = (values: string) =>
  s('kafka_consumergroup_lag_sum{consumergroup="processing", topic="market.candles.1m.v1"}', values);
const analytics = (ok: string, error: string, failures: string) => [
  s('processing_analytics_request_duration_seconds_count{outcome="ok"}', ok),
  s('processing_analytics_request_duration_seconds_count{outcome="error"}', error),
  s('processing_analytics_failures_total{reason="timeout"}', failures),
];
const up = (job: string, instance: string, values: string) =>
  s(`up{job="${job}", instance="${instance}", namespace="hdp-apps"}`, values);
/** One replica of each scraped service: the API, processing, analytics. */
const services = (api: string, processing: string, analyticsUp: string) => [
  up("middle-tier", "10.42.1.5:9102", api),
  up("processing", "10.42.1.4:8081", processing),
  up("analytics", "10.42.1.6:8082", analyticsUp),
];
const ready = (node: string, values: string) =>
  s(`kube_node_status_condition{node="${node}", condition="Ready", status="true"}`, values);
const peer = { node: "nbg1-agent-1", public_key: "cGVlci1sYWI=", allowed_ips: "10.4.0.1/32,10.42.5.0/24" };
const handshake = (values: string) =>
  s(
    `wireguard_latest_handshake_seconds{interface="kilo0", node="${peer.node}", public_key="${peer.public_key}", allowed_ips="${peer.allowed_ips}"}`,
    values,
  );
const role = (node: string, value: string) =>
  s(`kube_node_labels{node="${node}", label_hdp_io_role="${value}"}`, "1x30");
const gpus = (node: string, values: string) =>
  s(`kube_node_status_allocatable{node="${node}", resource="nvidia_com_gpu", unit="integer"}`, values);
const certificate = (values: string) =>
  s(
    'certmanager_certificate_expiration_timestamp_seconds{namespace="hdp-apps", name="web-tls", issuer_name="letsencrypt", issuer_kind="ClusterIssuer", issuer_group="cert-manager.io"}',
    values,
  );
const claim = { namespace: "hdp-data", persistentvolumeclaim: "data-0-kafka-combined-0" };
const volume = (used: string) => [
  s(
    `kubelet_volume_stats_used_bytes{namespace="hdp-data", persistentvolumeclaim="${claim.persistentvolumeclaim}"}`,
    used,
  ),
  s(
    `kubelet_volume_stats_capacity_bytes{namespace="hdp-data", persistentvolumeclaim="${claim.persistentvolumeclaim}"}`,
    "10000000000x20",
  ),
];
/** One PostgreSQL instance's series (absent ones left out). */
const instance = (
  pod: string,
  values: { up?: string; inRecovery?: string; lag?: string; receiver?: string },
) =>
  [
    values.up && s(`cnpg_collector_up{namespace="hdp-data", pod="${pod}", cluster="pg"}`, values.up),
    values.inRecovery &&
      s(`cnpg_pg_replication_in_recovery{namespace="hdp-data", pod="${pod}"}`, values.inRecovery),
    values.lag && s(`cnpg_pg_replication_lag{namespace="hdp-data", pod="${pod}"}`, values.lag),
    values.receiver &&
      s(`cnpg_pg_replication_is_wal_receiver_up{namespace="hdp-data", pod="${pod}"}`, values.receiver),
  ].filter((x): x is InputSeries => Boolean(x));
/** A job of CronJob ingestion-market: its start time and whether it failed. */
const job = (n: number, start: number, failed: boolean) => {
  const name = `ingestion-market-${n}`;
  const ns = 'namespace="hdp-apps"';
  return [
    s(
      `kube_job_owner{${ns}, job_name="${name}", owner_kind="CronJob", owner_name="ingestion-market", owner_is_controller="true"}`,
      "1x10",
    ),
    s(`kube_job_status_start_time{${ns}, job_name="${name}"}`, `${start}x10`),
    s(`kube_job_failed{${ns}, job_name="${name}", condition="true"}`, `${failed ? 1 : 0}x10`),
  ];
};
const cronjob = (lastSuccess?: number) => [
  s('kube_cronjob_created{namespace="hdp-apps", cronjob="ingestion-market"}', "50x10"),
  ...(lastSuccess === undefined
    ? []
    : [
        s(
          'kube_cronjob_status_last_successful_time{namespace="hdp-apps", cronjob="ingestion-market"}',
          `${lastSuccess}x10`,
        ),
      ]),
];
const market = { namespace: "hdp-apps", cronjob: "ingestion-market" };
/** CronJob archive: created at `created` (seconds), last succeeded at `lastSuccess` (series values) if ever. */
const archiveCronJob = (created: number, lastSuccess?: string) => [
  s('kube_cronjob_created{namespace="hdp-apps", cronjob="archive"}', `${created}x150`),
  ...(lastSuccess === undefined
    ? []
    : [s('kube_cronjob_status_last_successful_time{namespace="hdp-apps", cronjob="archive"}', lastSuccess)]),
];
const archive = { namespace: "hdp-apps", cronjob: "archive" };

export const ALERT_CASES: Record<AlertName, AlertCases> = {
  BarsNotStored: {
    fires: [
      {
        name: "bars stop arriving an hour into the session",
        series: [
          s('api_last_bar_age_seconds{ticker="AAPL"}', "30+60x20"),
          s('api_last_bar_age_seconds{ticker="MSFT"}', "40+60x20"),
          ...session("1x20", "3600+60x20"),
        ],
        expect: [quietAt("5m"), { at: "10m", firing: [{}] }],
      },
      {
        name: "no bar of the new session 6 minutes after the open",
        series: [s('api_last_bar_age_seconds{ticker="AAPL"}', "60000+60x20"), ...session("1x20", "0+60x20")],
        expect: [quietAt("6m"), { at: "7m", firing: [{}] }],
      },
    ],
    quiet: [
      {
        name: "the market is closed",
        series: [s('api_last_bar_age_seconds{ticker="AAPL"}', "30+60x20"), ...session("0x20", "0x20")],
        expect: [quietAt("10m"), quietAt("20m")],
      },
      {
        name: "the first 5 minutes of a session, the newest bar still yesterday's",
        series: [s('api_last_bar_age_seconds{ticker="AAPL"}', "60000+60x20"), ...session("1x20", "0+60x20")],
        expect: [quietAt("3m"), quietAt("5m")],
      },
      {
        name: "bars keep arriving during the session",
        series: [s('api_last_bar_age_seconds{ticker="AAPL"}', "20x20"), ...session("1x20", "3600+60x20")],
        expect: [quietAt("15m")],
      },
    ],
  },
  DeadLettersRecent: {
    fires: [
      {
        name: "a dead letter at minute 5",
        series: [dead("0x5 1x30")],
        expect: [{ at: "10m", firing: [deadLabels] }],
      },
      {
        name: "the first dead letter since processing started, at minute 10",
        series: [dead("_x10 2x10")],
        expect: [{ at: "12m", firing: [deadLabels] }],
      },
    ],
    quiet: [
      { name: "the last dead letter 20 minutes ago", series: [dead("0x5 1x30")], expect: [quietAt("25m")] },
      { name: "no new dead letters for 30 minutes", series: [dead("3x40")], expect: [quietAt("30m")] },
    ],
  },
  ConsumerLagGrowing: {
    fires: [
      {
        name: "lag grows by 50 messages a minute",
        series: [lag("0+50x40")],
        expect: [
          quietAt("10m"),
          { at: "20m", firing: [{ consumergroup: "processing", topic: "market.candles.1m.v1" }] },
        ],
      },
    ],
    quiet: [
      { name: "a steady lag", series: [lag("5000x40")], expect: [quietAt("20m")] },
      {
        name: "lag grows for 5 minutes, then drains",
        series: [lag("0+100x5 500-50x10 0x25")],
        expect: [quietAt("20m")],
      },
    ],
  },
  AnalyticsFailing: {
    fires: [
      {
        name: "40 % of the requests time out",
        series: analytics("0+6x20", "0+4x20", "0+4x20"),
        expect: [{ at: "10m", firing: [{}] }],
      },
    ],
    quiet: [
      {
        name: "10 % of the requests fail",
        series: analytics("0+9x20", "0+1x20", "0+1x20"),
        expect: [quietAt("10m")],
      },
      { name: "no requests at all", series: analytics("0x20", "0x20", "0x20"), expect: [quietAt("10m")] },
    ],
  },
  ServiceDown: {
    fires: [
      {
        name: "the API's only replica stops answering scrapes",
        series: services("1 1 0x18", "1x20", "1x20"),
        expect: [quietAt("4m"), { at: "10m", firing: [{ job: "middle-tier" }] }],
      },
      {
        name: "processing is not scraped at all (no pod, or a broken PodMonitor)",
        series: [up("middle-tier", "10.42.1.5:9102", "1x20"), up("analytics", "10.42.1.6:8082", "1x20")],
        expect: [{ at: "10m", firing: [{ job: "processing" }] }],
      },
    ],
    quiet: [
      { name: "every service up", series: services("1x20", "1x20", "1x20"), expect: [quietAt("10m")] },
      {
        name: "one of two API replicas down",
        series: [...services("1x20", "1x20", "1x20"), up("middle-tier", "10.42.1.7:9102", "0x20")],
        expect: [quietAt("10m")],
      },
      {
        name: "the API down for 3 minutes only",
        series: services("1 1 0 0 0 1x15", "1x20", "1x20"),
        expect: [quietAt("4m"), quietAt("10m")],
      },
    ],
  },
  NodeNotReady: {
    fires: [
      {
        name: "a Pi stops reporting Ready",
        series: [ready("pi-1", "1 1 0x15"), ready("worker-1", "1x17")],
        expect: [quietAt("5m"), { at: "10m", firing: [{ node: "pi-1" }] }],
      },
    ],
    quiet: [
      {
        name: "NotReady for 3 minutes only",
        series: [ready("pi-1", "1 1 0 0 0 1x10"), ready("worker-1", "1x15")],
        expect: [quietAt("4m"), quietAt("10m")],
      },
    ],
  },
  KiloPeerHandshakeStale: {
    fires: [
      {
        name: "a peer that never shook hands",
        series: [handshake("0x30")],
        expect: [{ at: "15m", firing: [peer] }],
      },
    ],
    quiet: [
      {
        name: "a handshake every minute",
        series: [handshake("0+60x30")],
        expect: [quietAt("15m"), quietAt("30m")],
      },
    ],
  },
  PiOverheating: {
    fires: [
      {
        name: "82 °C for 10 minutes",
        series: [s('sensor_cpu_temperature_celsius{device="pi-1"}', "82x20")],
        expect: [{ at: "10m", firing: [{ device: "pi-1" }] }],
      },
    ],
    quiet: [
      {
        name: "75 °C",
        series: [s('sensor_cpu_temperature_celsius{device="pi-1"}', "75x20")],
        expect: [quietAt("10m")],
      },
      {
        name: "85 °C for two minutes",
        series: [s('sensor_cpu_temperature_celsius{device="pi-1"}', "70 85 85 70x20")],
        expect: [quietAt("3m"), quietAt("10m")],
      },
    ],
  },
  GpuNotAllocatable: {
    fires: [
      {
        name: "the device plugin advertises no GPU",
        series: [role("gpu-1", "gpu"), gpus("gpu-1", "0x30")],
        expect: [quietAt("5m"), { at: "15m", firing: [{ node: "gpu-1" }] }],
      },
      {
        name: "the device plugin never registered",
        series: [role("gpu-1", "gpu"), role("worker-1", "worker")],
        expect: [{ at: "15m", firing: [{ node: "gpu-1" }] }],
      },
    ],
    quiet: [
      {
        name: "one GPU allocatable; workers have none",
        series: [role("gpu-1", "gpu"), gpus("gpu-1", "1x30"), role("worker-1", "worker")],
        expect: [quietAt("15m")],
      },
    ],
  },
  CertificateExpiringSoon: {
    fires: [
      {
        name: "expires in 10 days",
        interval: "5m",
        series: [certificate("864000x30")],
        expect: [quietAt("30m"), { at: "2h", firing: [{ namespace: "hdp-apps", name: "web-tls" }] }],
      },
    ],
    quiet: [
      {
        name: "expires in 60 days",
        interval: "5m",
        series: [certificate("5184000x30")],
        expect: [quietAt("2h")],
      },
    ],
  },
  PersistentVolumeFilling: {
    fires: [{ name: "90 % full", series: volume("9000000000x20"), expect: [{ at: "10m", firing: [claim] }] }],
    quiet: [{ name: "half full", series: volume("5000000000x20"), expect: [quietAt("10m")] }],
  },
  PostgresNotReady: {
    fires: [
      {
        name: "a replica's database goes down",
        series: [
          ...instance("pg-1", { up: "1x15", inRecovery: "0x15" }),
          ...instance("pg-2", { up: "1 1 0x13", inRecovery: "1 1" }),
        ],
        expect: [{ at: "10m", firing: [{ namespace: "hdp-data", pod: "pg-2" }] }],
      },
      {
        name: "no instance is primary",
        series: [...instance("pg-1", { up: "1x15", inRecovery: "1x15" })],
        expect: [{ at: "10m", firing: [{}] }],
      },
    ],
    quiet: [
      {
        name: "a primary and a replica, both up",
        series: [
          ...instance("pg-1", { up: "1x15", inRecovery: "0x15" }),
          ...instance("pg-2", { up: "1x15", inRecovery: "1x15" }),
        ],
        expect: [quietAt("10m")],
      },
    ],
  },
  PostgresReplicationLagging: {
    fires: [
      {
        name: "a replica 2 minutes behind",
        series: [...instance("pg-2", { lag: "120x15", inRecovery: "1x15", receiver: "1x15" })],
        expect: [{ at: "10m", firing: [{ namespace: "hdp-data", pod: "pg-2" }] }],
      },
      {
        name: "a replica whose WAL receiver is down",
        series: [...instance("pg-2", { lag: "0x15", inRecovery: "1x15", receiver: "0x15" })],
        expect: [{ at: "10m", firing: [{ namespace: "hdp-data", pod: "pg-2" }] }],
      },
    ],
    quiet: [
      {
        name: "the primary, and a replica 2 s behind",
        series: [
          ...instance("pg-1", { lag: "0x15", inRecovery: "0x15", receiver: "0x15" }),
          ...instance("pg-2", { lag: "2x15", inRecovery: "1x15", receiver: "1x15" }),
        ],
        expect: [quietAt("10m")],
      },
    ],
  },
  IngestionCronJobFailing: {
    fires: [
      {
        name: "the two jobs since the last success failed",
        series: [...job(1, 100, false), ...job(2, 200, true), ...job(3, 300, true), ...cronjob(150)],
        expect: [{ at: "5m", firing: [market] }],
      },
      {
        name: "a CronJob that never succeeded failed twice",
        series: [...job(1, 100, true), ...job(2, 200, true), ...cronjob()],
        expect: [{ at: "5m", firing: [market] }],
      },
    ],
    quiet: [
      {
        name: "one failure since the last success",
        series: [...job(1, 100, true), ...job(2, 200, false), ...job(3, 300, true), ...cronjob(250)],
        expect: [quietAt("5m")],
      },
      {
        name: "two failures, then a success",
        series: [...job(1, 100, true), ...job(2, 200, true), ...job(3, 300, false), ...cronjob(350)],
        expect: [quietAt("5m")],
      },
    ],
  },
  ArchiveNotSucceeding: {
    fires: [
      {
        name: "no success since the one at the start, for 2 hours and 15 minutes",
        series: archiveCronJob(0, "0x150"),
        expect: [quietAt("60m"), quietAt("130m"), { at: "140m", firing: [archive] }],
      },
      {
        name: "created 2 hours and 15 minutes ago, never succeeded",
        series: archiveCronJob(0),
        expect: [quietAt("120m"), { at: "140m", firing: [archive] }],
      },
    ],
    quiet: [
      {
        name: "a success every hour",
        series: archiveCronJob(0, "0x59 3600x60 7200x30"),
        expect: [quietAt("100m"), quietAt("140m")],
      },
      {
        name: "created an hour ago, not yet succeeded",
        series: archiveCronJob(5400),
        expect: [quietAt("140m")],
      },
    ],
  },
};
