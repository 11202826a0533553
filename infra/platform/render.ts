import { TOPICS, deadLetterTopic } from "../../services/shared/src/contracts/topics.js";
import { kubernetesVersionOf, minorOf } from "../cluster/k3s-version.js";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { podSecurityLabels } from "../cluster/pod-security.js";
import type { StackConfig } from "../config/index.js";
import { restoredServerName, type DatabaseRestore } from "../config/database.js";
import { kafkaExporter, kafkaMetricsConfig, kafkaMetricsConfigMap } from "./monitoring/kafka-metrics.js";

/** Namespaces of the stack: the services (and the Kafka UI), and the data stores. */
export const NAMESPACES = { apps: "hdp-apps", data: "hdp-data" } as const;

/** Names the workloads and policies refer to. */
export const KAFKA_CLUSTER = "kafka";
export const KAFKA_BOOTSTRAP = `${KAFKA_CLUSTER}-kafka-bootstrap.${NAMESPACES.data}.svc:9092`;
export const POSTGRES_CLUSTER = "pg";
export const POSTGRES_HOST = `${POSTGRES_CLUSTER}-rw.${NAMESPACES.data}.svc`;
export const POSTGRES_DATABASE = "hdp";
export const POSTGRES_USER = "hdp";
/** Secret (in the data namespace) with the application user's credentials. */
export const POSTGRES_APP_SECRET = "pg-app-credentials";
/** Secret (in the apps namespace) with `url`, the connection string of the services. */
export const DATABASE_URL_SECRET = "database";
/** Secret (in the apps namespace) with `accessKeyId` and `secretAccessKey`, the archive job's keys on its store. */
export const ARCHIVE_CREDENTIALS_SECRET = "archive-s3-credentials";

/** Pinned versions of everything the platform installs. */
export const VERSIONS = {
  strimziChart: "0.45.0",
  kafka: "3.9.0",
  kafkaMetadata: "3.9-IV0",
  // Chart 0.29.0 installs operator 1.30.0 (sources.ts), which supports Kubernetes 1.34 to 1.36.
  cnpgChart: "0.29.0",
  postgresImage: "ghcr.io/cloudnative-pg/postgresql:16.6",
  certManagerChart: "v1.21.2",
  kafdropImage: "docker.io/obsidiandynamics/kafdrop:4.1.0",
  kubeRouterImage: "docker.io/cloudnativelabs/kube-router:v2.4.1",
  // The archive's in-cluster S3-compatible store (Apache-2.0): the release the tests' S3 server is built from
  // (github.com/seaweedfs/seaweedfs, SeaweedFS 4.53). Its image runs as user seaweed (1000) from alpine.
  seaweedfsImage: "docker.io/chrislusf/seaweedfs:4.53",
  // kube-prometheus-stack 77.0.0 to 77.14.0 install the Prometheus Operator v0.85.0 (the chart's appVersion;
  // 78.0.0 moved to v0.86.0): the one version of the operator's Go module, whose CRDs the ServiceMonitors,
  // PodMonitors and PrometheusRules are checked against, that is served here. 77.14.0 brings Prometheus
  // v3.6.0, Alertmanager v0.28.1, Grafana 12.1.1 (chart 10.0.0), node-exporter v1.9.1 (chart 4.48.0) and
  // kube-state-metrics v2.17.0 (chart 6.3.0). PROMETHEUS_OPERATOR_OF_CHART (crds/sources.ts) keeps the mapping.
  kubePrometheusStackChart: "77.14.0",
  // NVIDIA's chart, image nvcr.io/nvidia/k8s/dcgm-exporter:4.5.3-4.8.2-distroless (DCGM 4.5.3).
  dcgmExporterChart: "4.8.2",
  // Not installed by the platform: k3s's Helm controller, whose HelmChartConfig CRD configures its Traefik.
  // k3s v1.36.3+k3s1 requires github.com/k3s-io/helm-controller v0.17.7 (its go.mod). Move it with the k3s pin.
  k3sHelmController: "v0.17.7",
  // Not installed by the platform: the Traefik k3s bundles, whose CRDs the Middlewares are checked against.
  // k3s v1.36.3+k3s1 bundles Traefik v3.7.8 (its release notes), but sum.golang.org has no checksum for
  // that module version, so go.sum cannot pin it; v3.6.12 stays. Move it with the k3s pin.
  traefik: "v3.6.12",
} as const;

/**
 * Helm values of the Strimzi operator: it watches the data namespace and makes pods that meet the
 * `restricted` standard that namespace enforces (its `restricted` pod security provider). It is told the
 * Kubernetes version of the stack's k3s pin: Strimzi 0.45's Kubernetes client cannot read the `/version`
 * answer of Kubernetes 1.33 and later, and the operator would stop at start-up (fixed in Strimzi 0.46;
 * https://github.com/strimzi/strimzi-kafka-operator/issues/11386).
 */
export function strimziOperatorValues(k3sVersion: string) {
  const [major, minor] = minorOf(kubernetesVersionOf(k3sVersion)).split(".");
  return {
    watchNamespaces: [NAMESPACES.data],
    extraEnvs: [
      { name: "STRIMZI_POD_SECURITY_PROVIDER_CLASS", value: "restricted" },
      { name: "STRIMZI_KUBERNETES_VERSION", value: `major=${major},minor=${minor}` },
    ],
  };
}

/** `app.kubernetes.io/component` of the pods the network policies tell apart. */
export const COMPONENTS = {
  ingestion: "ingestion",
  processing: "processing",
  analytics: "analytics",
  middleTier: "middle-tier",
  frontend: "frontend",
  kafkaUi: "kafka-ui",
  /** The processing service's hourly archive CronJob. */
  archive: "archive",
} as const;

/**
 * The application namespaces. Both enforce the `restricted` Pod Security Standard: our services are built
 * for it, CloudNativePG's pods meet it, and Strimzi is told to make its pods meet it (its `restricted` pod
 * security provider, set on the operator).
 */
export function namespaces(): KubeObject[] {
  return [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: NAMESPACES.apps,
        labels: { "hdp.io/tier": "apps", ...podSecurityLabels("restricted") },
      },
    },
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: NAMESPACES.data,
        labels: { "hdp.io/tier": "data", ...podSecurityLabels("restricted") },
      },
    },
  ];
}

/** Replication of Kafka's data: 3 copies and 2 in sync with three brokers or more, else 1. */
export function kafkaReplication(brokers: number): { replicas: number; minInSync: number } {
  return brokers >= 3 ? { replicas: 3, minInSync: 2 } : { replicas: 1, minInSync: 1 };
}

/**
 * Kafka in KRaft mode (Strimzi): one node pool of combined controllers and brokers, the topics, and its
 * metrics (the brokers' JMX exporter with its rules' ConfigMap, and the Kafka exporter for consumer lag).
 */
export function kafkaObjects(platform: StackConfig["platform"]): KubeObject[] {
  const { replicas, minInSync } = kafkaReplication(platform.kafkaBrokers);
  const ns = NAMESPACES.data;
  const clusterLabel = { "strimzi.io/cluster": KAFKA_CLUSTER };
  const client = (component: string) => ({
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": NAMESPACES.apps } },
    podSelector: { matchLabels: { "app.kubernetes.io/component": component } },
  });
  const retentionMs = platform.kafkaRetentionHours * 3_600_000;
  const topic = (name: string, retention: number): KubeObject => ({
    apiVersion: "kafka.strimzi.io/v1beta2",
    kind: "KafkaTopic",
    metadata: { name, namespace: ns, labels: clusterLabel },
    spec: {
      topicName: name,
      partitions: platform.kafkaPartitions,
      replicas,
      config: { "retention.ms": String(retention), "min.insync.replicas": String(minInSync) },
    },
  });
  return [
    kafkaMetricsConfigMap(ns),
    {
      apiVersion: "kafka.strimzi.io/v1beta2",
      kind: "KafkaNodePool",
      metadata: { name: "combined", namespace: ns, labels: clusterLabel },
      spec: {
        replicas: platform.kafkaBrokers,
        roles: ["controller", "broker"],
        storage: {
          type: "jbod",
          volumes: [
            {
              id: 0,
              type: "persistent-claim",
              size: `${platform.kafkaStorageGi}Gi`,
              deleteClaim: false,
              kraftMetadata: "shared",
            },
          ],
        },
        resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } },
      },
    },
    {
      apiVersion: "kafka.strimzi.io/v1beta2",
      kind: "Kafka",
      metadata: {
        name: KAFKA_CLUSTER,
        namespace: ns,
        annotations: { "strimzi.io/node-pools": "enabled", "strimzi.io/kraft": "enabled" },
      },
      spec: {
        kafka: {
          version: VERSIONS.kafka,
          metadataVersion: VERSIONS.kafkaMetadata,
          listeners: [
            {
              name: "plain",
              port: 9092,
              type: "internal",
              tls: false,
              // Strimzi turns these into the listener's NetworkPolicy.
              networkPolicyPeers: [
                client(COMPONENTS.ingestion),
                client(COMPONENTS.processing),
                client(COMPONENTS.kafkaUi),
              ],
            },
          ],
          config: {
            "default.replication.factor": replicas,
            "min.insync.replicas": minInSync,
            "offsets.topic.replication.factor": replicas,
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": minInSync,
            "auto.create.topics.enable": false,
          },
          metricsConfig: kafkaMetricsConfig(),
        },
        entityOperator: { topicOperator: {}, userOperator: {} },
        kafkaExporter: kafkaExporter(),
      },
    },
    ...Object.values(TOPICS).flatMap((name) => [
      topic(name, retentionMs),
      // Dead letters wait for a person: kept four times as long.
      topic(deadLetterTopic(name), retentionMs * 4),
    ]),
  ];
}

export interface PostgresBackup {
  readonly endpoint: string;
  readonly bucket: string;
  readonly retentionDays: number;
  /** Secret in the data namespace with ACCESS_KEY_ID and ACCESS_SECRET_KEY. */
  readonly credentialsSecret: string;
}

/**
 * PostgreSQL (CloudNativePG): the cluster, its application database, optional backups. With `restore` the
 * cluster is bootstrapped from the backups of `restore.source` in the same store (`bootstrap.recovery`) and
 * archives its own under a new server name ({@link restoredServerName}).
 */
export function postgresObjects(
  platform: StackConfig["platform"],
  backup?: PostgresBackup,
  restore?: DatabaseRestore,
): KubeObject[] {
  const ns = NAMESPACES.data;
  const store = backup && {
    destinationPath: `s3://${backup.bucket}/${POSTGRES_CLUSTER}`,
    endpointURL: backup.endpoint,
    s3Credentials: {
      accessKeyId: { name: backup.credentialsSecret, key: "ACCESS_KEY_ID" },
      secretAccessKey: { name: backup.credentialsSecret, key: "ACCESS_SECRET_KEY" },
    },
  };
  if (restore && !store) throw new Error("postgresObjects: a restore needs the backups' store");
  const owner = { database: POSTGRES_DATABASE, owner: POSTGRES_USER, secret: { name: POSTGRES_APP_SECRET } };
  const bootstrap = restore
    ? {
        recovery: {
          source: restore.source,
          ...owner,
          ...(restore.targetTime ? { recoveryTarget: { targetTime: restore.targetTime } } : {}),
        },
      }
    : { initdb: owner };
  const objects: KubeObject[] = [
    {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: POSTGRES_CLUSTER, namespace: ns },
      spec: {
        instances: platform.postgresInstances,
        imageName: VERSIONS.postgresImage,
        primaryUpdateStrategy: "unsupervised",
        storage: { size: `${platform.postgresStorageGi}Gi` },
        resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
        bootstrap,
        ...(platform.postgresInstances > 1 ? { minSyncReplicas: 1, maxSyncReplicas: 1 } : {}),
        ...(backup && store
          ? {
              backup: {
                retentionPolicy: `${backup.retentionDays}d`,
                barmanObjectStore: {
                  ...store,
                  ...(restore ? { serverName: restoredServerName(restore) } : {}),
                  wal: { compression: "gzip" },
                  data: { compression: "gzip" },
                },
              },
            }
          : {}),
        ...(restore && store
          ? {
              externalClusters: [
                { name: restore.source, barmanObjectStore: { ...store, serverName: restore.source } },
              ],
            }
          : {}),
      },
    },
  ];
  if (backup) {
    objects.push({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "ScheduledBackup",
      metadata: { name: `${POSTGRES_CLUSTER}-daily`, namespace: ns },
      spec: { schedule: "0 0 3 * * *", backupOwnerReference: "self", cluster: { name: POSTGRES_CLUSTER } },
    });
  }
  return objects;
}

/** Let's Encrypt through cert-manager, solving HTTP-01 challenges through Traefik. */
export function clusterIssuer(tls: StackConfig["tls"]): KubeObject {
  const server =
    tls.issuer === "production"
      ? "https://acme-v02.api.letsencrypt.org/directory"
      : "https://acme-staging-v02.api.letsencrypt.org/directory";
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: issuerName(tls) },
    spec: {
      acme: {
        server,
        email: tls.email,
        privateKeySecretRef: { name: `${issuerName(tls)}-account` },
        solvers: [{ http01: { ingress: { ingressClassName: "traefik" } } }],
      },
    },
  };
}

export const issuerName = (tls: StackConfig["tls"]) => `letsencrypt-${tls.issuer}`;

/** Traefik middlewares: basic authentication of the Kafka UI, `/api` stripped on the web host. */
export const MIDDLEWARES = {
  kafkaUiAuth: "kafka-ui-auth",
  stripApi: "strip-api",
} as const;
export const KAFKA_UI_AUTH_SECRET = "kafka-ui-users";
/**
 * How an Ingress names a middleware (of its own namespace: Traefik refuses another's, k3s leaves
 * `allowCrossNamespace` off). @default namespace the apps namespace
 */
export const middlewareRef = (name: string, namespace: string = NAMESPACES.apps) =>
  `${namespace}-${name}@kubernetescrd`;

export function middlewares(): KubeObject[] {
  return [
    {
      apiVersion: "traefik.io/v1alpha1",
      kind: "Middleware",
      metadata: { name: MIDDLEWARES.kafkaUiAuth, namespace: NAMESPACES.apps },
      spec: { basicAuth: { secret: KAFKA_UI_AUTH_SECRET, removeHeader: true } },
    },
    {
      apiVersion: "traefik.io/v1alpha1",
      kind: "Middleware",
      metadata: { name: MIDDLEWARES.stripApi, namespace: NAMESPACES.apps },
      spec: { stripPrefix: { prefixes: ["/api"] } },
    },
  ];
}
