import { z } from "zod";
import { K3S_VERSION } from "../cluster/k3s-version.js";
import {
  DIGITALOCEAN_REGIONS,
  HETZNER_LOCATIONS,
  bucketName,
  cidr,
  hostName,
  k3sVersion,
  nodeName,
  sshPublicKey,
} from "./fields.js";
import { archiveSchema } from "./archive.js";
import { controlPlaneSchema } from "./control-plane.js";
import { databaseSchema } from "./database.js";
import { monitoringSchema } from "./monitoring.js";

/** How the other locations reach an on-premises node's WireGuard port. */
export const reachSchema = z.discriminatedUnion("mode", [
  /** The node has a public address of its own. */
  z.object({ mode: z.literal("public") }),
  /** Behind NAT, no port forward: it dials out and keeps the tunnel open (persistent keepalive). */
  z.object({ mode: z.literal("nat") }),
  /** Behind NAT, and the router forwards `udpPort` to this node: Kilo's force-endpoint. */
  z.object({
    mode: z.literal("forwarded"),
    /** Public UDP port on the router, distinct per node behind the same router. */
    udpPort: z.number().int().min(1024).max(65535),
    /** The router's public host name or address. @default the node's SSH host */
    endpoint: z.string().min(1).optional(),
  }),
]);

export const onPremNodeSchema = z.object({
  name: nodeName,
  /** `gpu` runs the analytics model, `sensor` the telemetry agent, `worker` general workloads. */
  role: z.enum(["gpu", "sensor", "worker"]),
  /** @default "generic" */
  hardware: z.enum(["raspberry-pi", "workstation", "generic"]).default("generic"),
  /** CPU architecture. @default arm64 for a Raspberry Pi, amd64 otherwise */
  arch: z.enum(["amd64", "arm64", "arm"]).optional(),
  ssh: z.object({
    host: z.string().min(1),
    user: z.string().min(1).default("ubuntu"),
    port: z.number().int().min(1).max(65535).default(22),
  }),
  /** Kilo location (e.g. `lab`): nodes of one location share a WireGuard leader. */
  location: nodeName,
  reach: reachSchema,
});

export const stackConfigSchema = z.object({
  /** Pinned k3s release; a stack overrides it only to stage an upgrade (dev first). @default K3S_VERSION */
  k3sVersion: k3sVersion.default(K3S_VERSION),
  /** How the system-upgrade-controller rolls a new `k3sVersion` out (docs/operator-guide.md, "Upgrading k3s"). */
  upgrades: z
    .object({
      /** Agents upgraded at the same time; the servers always go one at a time. @default 1 */
      agentConcurrency: z.number().int().min(1).max(10).default(1),
      /** Longest drain of a node: an agent before its upgrade (the Job fails and is retried), a node leaving the stack. @default 600 */
      drainTimeoutSeconds: z.number().int().min(30).max(3600).default(600),
      /**
       * Image of the cordon and drain Jobs; the controller release's default is an older kubectl than the
       * cluster's, so a stack may pin one at its Kubernetes minor. @default SYSTEM_UPGRADE_CONTROLLER.kubectlImage
       */
      kubectlImage: z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9.-]*(:[0-9]+)?(\/[a-z0-9._-]+)+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$/,
          "must be an image reference with a tag or digest, e.g. docker.io/rancher/kubectl:v1.36.3",
        )
        .optional(),
    })
    .default({ agentConcurrency: 1, drainTimeoutSeconds: 600 }),
  server: z.object({
    region: z.enum(DIGITALOCEAN_REGIONS, {
      message: `must be a DigitalOcean region: ${DIGITALOCEAN_REGIONS.join(", ")}`,
    }),
    size: z.string().min(1).default("s-2vcpu-4gb"),
    image: z.string().min(1).default("ubuntu-24-04-x64"),
    /** 1, or 3 for an embedded-etcd control plane that survives one server. @default 1 */
    count: z
      .union([z.literal(1), z.literal(3)], {
        message: "must be 1, or 3 for a highly available control plane",
      })
      .default(1),
  }),
  workers: z.object({
    location: z.enum(HETZNER_LOCATIONS, {
      message: `must be a Hetzner location: ${HETZNER_LOCATIONS.join(", ")}`,
    }),
    serverType: z.string().min(1).default("cx32"),
    count: z.number().int().min(0).max(50),
  }),
  onPremNodes: z.array(onPremNodeSchema).default([]),
  /** Networks allowed to reach SSH and the Kubernetes API. */
  adminCidrs: z
    .array(cidr)
    .min(1, "must name at least one network allowed to reach SSH and the Kubernetes API"),
  sshPublicKeys: z.array(sshPublicKey).min(1, "must hold at least one SSH public key"),
  /** Host names of the web page, the API and the UIs behind the ingress. */
  dns: z.object({
    web: hostName,
    api: hostName,
    kafkaUi: hostName,
    grafana: hostName,
    alertmanager: hostName,
  }),
  platform: z
    .object({
      kafkaBrokers: z.number().int().min(1).max(9).default(1),
      kafkaStorageGi: z.number().int().min(1).default(10),
      kafkaPartitions: z.number().int().min(1).max(100).default(3),
      kafkaRetentionHours: z.number().int().min(1).default(168),
      postgresInstances: z.number().int().min(1).max(9).default(1),
      postgresStorageGi: z.number().int().min(1).default(10),
    })
    .default({
      kafkaBrokers: 1,
      kafkaStorageGi: 10,
      kafkaPartitions: 3,
      kafkaRetentionHours: 168,
      postgresInstances: 1,
      postgresStorageGi: 10,
    }),
  /** Where the service images come from: `<registry>/<service>:<tag>`. */
  images: z.object({
    registry: z
      .string()
      .regex(
        /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/,
        "must be an image registry path such as ghcr.io/acme/hdp",
      ),
    /** The commit the images were built from; the deploy workflow sets it. */
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be an image tag"),
  }),
  /** TLS certificates from Let's Encrypt through cert-manager. */
  tls: z.object({
    /** Contact address for Let's Encrypt (expiry notices). */
    email: z.email("must be an e-mail address"),
    /** `staging` (untrusted, generous limits) for dev, `production` for prod. */
    issuer: z.enum(["staging", "production"]),
  }),
  services: z
    .object({
      /** Market data source of the ingestion CronJobs: replay needs no key. */
      source: z.enum(["replay", "polygon", "finnhub"]).default("replay"),
      /** Run analytics on the GPU node (runtime class nvidia, one nvidia.com/gpu). */
      analyticsOnGpu: z.boolean().default(false),
      /** Replicas of the API; in prod it scales between this and `apiMaxReplicas`. */
      apiReplicas: z.number().int().min(1).max(20).default(1),
      apiMaxReplicas: z.number().int().min(1).max(50).default(1),
      processingReplicas: z.number().int().min(1).max(20).default(1),
    })
    .default({
      source: "replay",
      analyticsOnGpu: false,
      apiReplicas: 1,
      apiMaxReplicas: 1,
      processingReplicas: 1,
    }),
  monitoring: monitoringSchema,
  /** Embedded etcd's scheduled snapshots (to `backups` when set) and a restore of the first server. */
  controlPlane: controlPlaneSchema,
  /**
   * Optional PostgreSQL backups (and the control plane's etcd snapshots) to S3-compatible storage: a store of
   * their own (`endpoint`, `bucket`; keys backupAccessKeyId, backupSecretAccessKey), or the archive's store
   * (`store: "archive"`; infra/config/archive.ts).
   */
  backups: z
    .object({
      /** The store's URL; or leave it out and set `store`. */
      endpoint: z.url("must be the storage's https URL").optional(),
      /** `"archive"`: the archive's store (`archive.store`), with its keys or the generated ones. */
      store: z.literal("archive").optional(),
      /** Required with `endpoint`. @default "hdp-backups" with `store: "archive"` */
      bucket: bucketName.optional(),
      retentionDays: z.number().int().min(1).default(30),
    })
    .optional(),
  /** Optional hourly archive of bars, news and sensor readings as Parquet (infra/config/archive.ts). */
  archive: archiveSchema.optional(),
  /** The PostgreSQL cluster's bootstrap: `restore` starts it from the backups (infra/config/database.ts). */
  database: databaseSchema,
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
export type OnPremNode = z.infer<typeof onPremNodeSchema>;
export type Reach = z.infer<typeof reachSchema>;
