import { DEFAULT_S3_REGION, archivePrefix, type StackConfig } from "../config/index.js";
import { GPU_RESOURCE } from "../cluster/nvidia-device-plugin.js";
import {
  ARCHIVE_CREDENTIALS_SECRET,
  COMPONENTS,
  DATABASE_URL_SECRET,
  KAFKA_BOOTSTRAP,
  MIDDLEWARES,
  NAMESPACES,
  VERSIONS,
  issuerName,
  middlewareRef,
} from "../platform/render.js";
import { IN_CLUSTER_S3_ENDPOINT } from "../platform/object-storage.js";
import { SERVICES, type ServiceName } from "./catalog.js";
import type { WorkloadSpec } from "./workload.js";

const PART_OF = "hybrid-data-pipeline";
/** Exchange time zone of the market CronJobs. */
export const EXCHANGE_TIME_ZONE = "America/New_York";
/** Secret (apps namespace) with the market-data providers' API keys. */
export const PROVIDER_KEYS_SECRET = "provider-keys";
/** Ports the services listen on (their PORT defaults). */
export const PORTS = {
  processing: 8081,
  analytics: 8082,
  middleTier: 8080,
  frontend: 8080,
  kafkaUi: 9000,
  /**
   * `/metrics` on a port of its own, named `metrics`, off the Service: the sensor agent's (its
   * METRICS_PORT default) and the middle-tier's (METRICS_PORT, set here).
   */
  metrics: 9102,
} as const;

const ARCH: Record<string, string> = {
  "linux/amd64": "amd64",
  "linux/arm64": "arm64",
  "linux/arm/v7": "arm",
};

function base(config: StackConfig, service: ServiceName) {
  const { image, platforms } = SERVICES[service];
  return {
    namespace: NAMESPACES.apps,
    partOf: PART_OF,
    image: `${config.images.registry}/${image}:${config.images.tag}`,
    architectures: platforms.map((p) => ARCH[p] ?? p),
  };
}

const database = { secret: DATABASE_URL_SECRET, key: "url" };

/** A service Deployment answering `/healthz` and `/readyz` on its HTTP port. */
function httpDeployment(config: StackConfig, service: ServiceName, component: string, port: number) {
  return {
    ...base(config, service),
    name: service,
    component,
    kind: "Deployment" as const,
    port,
    probes: { liveness: "/healthz", readiness: "/readyz" },
  };
}
const ON_PI = { key: "dedicated", operator: "Equal", value: "pi", effect: "NoSchedule" } as const;

/** Ingestion: the market and news CronJobs, and the sensor agent on every `sensor` node. */
export function ingestionSpecs(config: StackConfig): WorkloadSpec[] {
  const common = {
    ...base(config, "ingestion"),
    component: COMPONENTS.ingestion,
    env: {
      KAFKA_BROKERS: KAFKA_BOOTSTRAP,
      INGEST_SOURCE: config.services.source,
      POLYGON_API_KEY: { secret: PROVIDER_KEYS_SECRET, key: "polygon", optional: true },
      FINNHUB_API_KEY: { secret: PROVIDER_KEYS_SECRET, key: "finnhub", optional: true },
      LOG_LEVEL: "info",
    },
    resources: { cpu: "50m", memory: "96Mi", memoryLimit: "256Mi" },
  } as const;
  return [
    {
      ...common,
      name: "ingestion-market",
      kind: "CronJob",
      args: ["market"],
      // Every minute of the exchange's regular hours (the job skips minutes outside them and holidays).
      schedule: "* 9-16 * * 1-5",
      timeZone: EXCHANGE_TIME_ZONE,
      deadlineSeconds: 55,
    },
    {
      ...common,
      name: "ingestion-news",
      kind: "CronJob",
      args: ["news"],
      schedule: "*/5 * * * *",
      timeZone: EXCHANGE_TIME_ZONE,
      deadlineSeconds: 240,
    },
    {
      ...common,
      name: "ingestion-sensors",
      kind: "DaemonSet",
      args: ["sensors"],
      env: {
        KAFKA_BROKERS: KAFKA_BOOTSTRAP,
        SENSOR_DEVICE: { field: "spec.nodeName" },
        // The agent reads /sys/class/thermal and /proc/loadavg at their defaults: sysfs and the load average
        // are the host's in an unprivileged container too, so it needs no hostPath and runs `restricted`.
        LOG_LEVEL: "info",
        // Prometheus scrapes the agent from the monitoring namespace (its default host is loopback).
        METRICS_PORT: String(PORTS.metrics),
        METRICS_HOST: "0.0.0.0",
      },
      metricsPort: PORTS.metrics,
      probes: { liveness: "/healthz", readiness: "/healthz", port: "metrics" },
      // A Pi reaches Kafka through its location's WireGuard tunnel: give a starting platform time.
      startupSeconds: 300,
      resources: { cpu: "10m", memory: "48Mi", memoryLimit: "128Mi" },
      nodeSelector: { "hdp.io/role": "sensor" },
      tolerations: [ON_PI],
    },
  ];
}

export function processingSpecs(config: StackConfig): WorkloadSpec[] {
  const replicas = config.services.processingReplicas;
  return [
    {
      ...httpDeployment(config, "processing", COMPONENTS.processing, PORTS.processing),
      replicas,
      // Its health server starts once Kafka is reachable: give a starting platform time.
      startupSeconds: 300,
      env: {
        PORT: String(PORTS.processing),
        DATABASE_URL: database,
        KAFKA_BROKERS: KAFKA_BOOTSTRAP,
        ANALYTICS_URL: `http://analytics.${NAMESPACES.apps}.svc:${PORTS.analytics}`,
        MIGRATE_ON_START: "true",
        LOG_LEVEL: "info",
      },
      resources: { cpu: "100m", memory: "192Mi", memoryLimit: "512Mi" },
      ...(replicas > 1 ? { minAvailable: replicas - 1 } : {}),
    },
  ];
}

/** The archive's entry point in the processing image (beside `dist/server.js`, the image's ENTRYPOINT). */
export const ARCHIVE_COMMAND = ["node", "services/processing/dist/archive.js"] as const;

/**
 * With `archive`, the processing image's hourly archive job: at one minute past every hour of the exchange's
 * time zone it writes every closed hour since its watermark (re-checking `lookbackHours` before it) of bars, news and sensor
 * readings to the archive's store. Exit code 2 (bad configuration) fails the run at once; 1 is retried.
 */
export function archiveSpecs(config: StackConfig, stack: string): WorkloadSpec[] {
  const { archive } = config;
  if (!archive) return [];
  const external = archive.store === "in-cluster" ? undefined : archive.store;
  const credentials = (key: string) => ({ secret: ARCHIVE_CREDENTIALS_SECRET, key });
  return [
    {
      ...base(config, "processing"),
      name: "archive",
      component: COMPONENTS.archive,
      kind: "CronJob",
      command: [...ARCHIVE_COMMAND],
      args: ["run"],
      schedule: "1 * * * *",
      timeZone: EXCHANGE_TIME_ZONE,
      // Done well before the next run; concurrencyPolicy Forbid (workload.ts) keeps runs from overlapping.
      deadlineSeconds: 50 * 60,
      failFastExitCodes: [2],
      env: {
        DATABASE_URL: database,
        ARCHIVE_S3_ENDPOINT: external?.endpoint ?? IN_CLUSTER_S3_ENDPOINT,
        ARCHIVE_S3_REGION: external?.region ?? DEFAULT_S3_REGION,
        ARCHIVE_BUCKET: archive.bucket,
        ARCHIVE_PREFIX: archivePrefix(archive, stack),
        ARCHIVE_S3_ACCESS_KEY_ID: credentials("accessKeyId"),
        ARCHIVE_S3_SECRET_ACCESS_KEY: credentials("secretAccessKey"),
        ARCHIVE_LOOKBACK_HOURS: String(archive.lookbackHours),
        LOG_LEVEL: "info",
      },
      resources: { cpu: "100m", memory: "256Mi", memoryLimit: "768Mi" },
    },
  ];
}

export function analyticsSpecs(config: StackConfig): WorkloadSpec[] {
  const gpu = config.services.analyticsOnGpu;
  return [
    {
      ...httpDeployment(config, "analytics", COMPONENTS.analytics, PORTS.analytics),
      replicas: 1,
      service: true,
      env: { PORT: String(PORTS.analytics), LOG_LEVEL: "info" },
      resources: { cpu: "100m", memory: "192Mi", memoryLimit: "512Mi" },
      ...(gpu
        ? {
            gpu: { runtimeClassName: "nvidia", count: 1 },
            nodeSelector: { "hdp.io/role": "gpu" },
            tolerations: [{ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" }],
          }
        : {}),
    },
  ];
}

export function middleTierSpecs(config: StackConfig): WorkloadSpec[] {
  const { apiReplicas, apiMaxReplicas } = config.services;
  return [
    {
      ...httpDeployment(config, "middle-tier", COMPONENTS.middleTier, PORTS.middleTier),
      replicas: apiReplicas,
      service: true,
      ingress: {
        clusterIssuer: issuerName(config.tls),
        routes: [
          { host: config.dns.api, path: "/" },
          // The web page calls the API on its own origin under /api.
          { host: config.dns.web, path: "/api", middlewares: [middlewareRef(MIDDLEWARES.stripApi)] },
        ],
      },
      env: {
        PORT: String(PORTS.middleTier),
        // `/metrics` on a port of its own, for Prometheus only: the ingress routes the API's port to the
        // internet, and there `/metrics` answers 404.
        METRICS_PORT: String(PORTS.metrics),
        METRICS_HOST: "0.0.0.0",
        DATABASE_URL: database,
        CORS_ORIGINS: `https://${config.dns.web}`,
        LOG_LEVEL: "info",
      },
      metricsPort: PORTS.metrics,
      resources: { cpu: "100m", memory: "192Mi", memoryLimit: "512Mi" },
      ...(apiMaxReplicas > apiReplicas
        ? { autoscale: { min: apiReplicas, max: apiMaxReplicas, cpuPercent: 70 }, minAvailable: 1 }
        : {}),
    },
  ];
}

export function frontendSpecs(config: StackConfig): WorkloadSpec[] {
  return [
    {
      ...base(config, "frontend"),
      name: "frontend",
      component: COMPONENTS.frontend,
      kind: "Deployment",
      replicas: config.services.apiReplicas > 1 ? 2 : 1,
      port: PORTS.frontend,
      probes: { liveness: "/", readiness: "/" },
      service: true,
      ingress: { clusterIssuer: issuerName(config.tls), routes: [{ host: config.dns.web, path: "/" }] },
      resources: { cpu: "10m", memory: "32Mi", memoryLimit: "64Mi" },
    },
  ];
}

/** The Kafka UI (Kafdrop): only through the ingress, behind basic authentication. */
export function kafkaUiSpec(config: StackConfig): WorkloadSpec {
  return {
    name: "kafka-ui",
    namespace: NAMESPACES.apps,
    partOf: PART_OF,
    component: COMPONENTS.kafkaUi,
    image: VERSIONS.kafdropImage,
    architectures: ["amd64", "arm64"],
    kind: "Deployment",
    replicas: 1,
    port: PORTS.kafkaUi,
    probes: { liveness: "/actuator/health", readiness: "/actuator/health" },
    service: true,
    ingress: {
      clusterIssuer: issuerName(config.tls),
      routes: [
        { host: config.dns.kafkaUi, path: "/", middlewares: [middlewareRef(MIDDLEWARES.kafkaUiAuth)] },
      ],
    },
    env: {
      KAFKA_BROKERCONNECT: KAFKA_BOOTSTRAP,
      SERVER_PORT: String(PORTS.kafkaUi),
      JVM_OPTS: "-Xms64m -Xmx256m -Djava.io.tmpdir=/tmp",
    },
    resources: { cpu: "50m", memory: "320Mi", memoryLimit: "512Mi" },
  };
}

/** Every service's workloads, by service (the archive job is the processing service's). */
export function serviceSpecs(config: StackConfig, stack: string): Record<ServiceName, WorkloadSpec[]> {
  return {
    ingestion: ingestionSpecs(config),
    processing: [...processingSpecs(config), ...archiveSpecs(config, stack)],
    analytics: analyticsSpecs(config),
    "middle-tier": middleTierSpecs(config),
    frontend: frontendSpecs(config),
  };
}
