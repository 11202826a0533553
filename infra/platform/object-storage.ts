/**
 * The in-cluster S3-compatible store of the archive (and, with `backups.store: "archive"`, of the database
 * backups): SeaweedFS (Apache-2.0) as one `weed server` process (master, volume server, filer and S3 gateway)
 * in a single-replica StatefulSet, its data on a volume of a cloud worker, in a namespace of its own. One
 * replica is a single point of failure by design: the archive job retries a missed hour (it looks back
 * `archive.lookbackHours`), and a store that must survive its worker is an external one. Pure renderers.
 */
import { createHash } from "node:crypto";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { podSecurityLabels } from "../cluster/pod-security.js";
import { cloudWorkerAffinity } from "./monitoring/stack-values.js";
import { VERSIONS } from "./render.js";

/** The store's namespace: enforces `restricted`, denies all traffic but the policies of `objectStorePolicies`. */
export const OBJECT_STORE_NAMESPACE = "hdp-objects";

/** The server's name (StatefulSet, Service, pod labels). */
export const SEAWEEDFS = "seaweedfs";

/** The ports `weed server` listens on; each gRPC port is its HTTP port + 10000, as SeaweedFS derives it. */
export const SEAWEEDFS_PORTS = {
  s3: 8333,
  master: 9333,
  masterGrpc: 19333,
  volume: 8080,
  volumeGrpc: 18080,
  filer: 8888,
  filerGrpc: 18888,
  s3Grpc: 18333,
} as const;

/** The ports only the store's own pods may reach: everything but S3's HTTP API. */
export const INTERNAL_PORTS = [
  SEAWEEDFS_PORTS.master,
  SEAWEEDFS_PORTS.masterGrpc,
  SEAWEEDFS_PORTS.volume,
  SEAWEEDFS_PORTS.volumeGrpc,
  SEAWEEDFS_PORTS.filer,
  SEAWEEDFS_PORTS.filerGrpc,
  SEAWEEDFS_PORTS.s3Grpc,
] as const;

/** User and group `seaweed` of the image. */
export const SEAWEEDFS_UID = 1000;

/** The S3 API in the cluster, as the archive job and CloudNativePG reach it (a headless Service). */
export const IN_CLUSTER_S3_ENDPOINT = `http://${SEAWEEDFS}.${OBJECT_STORE_NAMESPACE}.svc:${SEAWEEDFS_PORTS.s3}`;

/** Secret (store namespace) with `s3.json`, SeaweedFS's S3 identities (`-s3.config`). */
export const S3_IDENTITIES_SECRET = "seaweedfs-s3-identities";
const IDENTITIES_FILE = "s3.json";
const IDENTITIES_DIR = "/etc/seaweedfs/s3";

/** `app.kubernetes.io/component` of the store's pods: the server, and the Job that creates the buckets. */
export const STORE_COMPONENTS = { server: "object-store", buckets: "object-store-buckets" } as const;

/** The labels of the server's pods (what the NetworkPolicies select). */
export const SERVER_LABELS = {
  "app.kubernetes.io/name": SEAWEEDFS,
  "app.kubernetes.io/component": STORE_COMPONENTS.server,
  "app.kubernetes.io/part-of": "hybrid-data-pipeline",
} as const;

/** The labels of the bucket Job's pods. */
export const BUCKET_JOB_LABELS = {
  "app.kubernetes.io/name": `${SEAWEEDFS}-buckets`,
  "app.kubernetes.io/component": STORE_COMPONENTS.buckets,
  "app.kubernetes.io/part-of": "hybrid-data-pipeline",
} as const;

/** Who may do what on the store: an identity with read and write on one bucket (no admin). */
export interface S3Grant {
  /** The identity's name, e.g. `archive`. */
  readonly name: string;
  readonly bucket: string;
}

/** A {@link S3Grant} with its key pair (secrets: render it inside an `apply` only). */
export interface S3Identity extends S3Grant {
  readonly accessKey: string;
  readonly secretKey: string;
}

/** The actions an identity gets on its bucket: objects read, written (deleted), listed and tagged; no admin. */
export const BUCKET_ACTIONS = ["Read", "Write", "List", "Tagging"] as const;

/** SeaweedFS's S3 identities file (`-s3.config`): no anonymous access, each identity on its bucket only. */
export function s3IdentitiesJson(identities: readonly S3Identity[]): string {
  return `${JSON.stringify(
    {
      identities: identities.map((id) => ({
        name: id.name,
        credentials: [{ accessKey: id.accessKey, secretKey: id.secretKey }],
        actions: BUCKET_ACTIONS.map((action) => `${action}:${id.bucket}`),
      })),
    },
    null,
    2,
  )}\n`;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

export function objectStoreNamespace(): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: OBJECT_STORE_NAMESPACE,
      labels: { "hdp.io/tier": "objects", ...podSecurityLabels("restricted") },
    },
  };
}

/** Non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp, as `restricted` wants. */
const containerSecurity = {
  runAsNonRoot: true,
  runAsUser: SEAWEEDFS_UID,
  runAsGroup: SEAWEEDFS_UID,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** The pod fields the server and the bucket Job share: the user, no token, the cloud workers only. */
function podBase(workerRegion: string) {
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SEAWEEDFS_UID,
      runAsGroup: SEAWEEDFS_UID,
      fsGroup: SEAWEEDFS_UID,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
    affinity: cloudWorkerAffinity(workerRegion),
  };
}

/** `weed server`'s arguments: every part in one process, S3 with our identities, no other API. */
export function seaweedfsServerArgs(): string[] {
  const p = SEAWEEDFS_PORTS;
  return [
    "-logtostderr=true",
    "server",
    "-dir=/data",
    // Advertised to its own parts and to `weed shell`; listens on every address of the pod.
    "-ip=$(POD_IP)",
    "-ip.bind=0.0.0.0",
    `-master.port=${p.master}`,
    // Volumes of 1 GiB (SeaweedFS's default, 30 GiB, would leave a 20 GiB disk with none), as many as fit.
    "-master.volumeSizeLimitMB=1024",
    "-master.defaultReplication=000",
    `-volume.port=${p.volume}`,
    "-volume.max=0",
    "-filer",
    `-filer.port=${p.filer}`,
    "-s3",
    `-s3.port=${p.s3}`,
    `-s3.config=${IDENTITIES_DIR}/${IDENTITIES_FILE}`,
    // The identities are the file's only: no IAM API to add keys, no Iceberg or Lance catalogue ports.
    "-s3.iam=false",
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
  ];
}

export interface ObjectStoreArgs {
  /** The data volume, GiB. */
  readonly storageGi: number;
  /** `workers.location`: the cloud workers' region label. */
  readonly workerRegion: string;
  /** The identities the store has (without keys): a change rolls the server, which reads them at start. */
  readonly grants: readonly S3Grant[];
}

/** The store's headless Service and its StatefulSet (one replica, its volume on a cloud worker). Pure. */
export function objectStoreObjects(args: ObjectStoreArgs): KubeObject[] {
  const metadata = { name: SEAWEEDFS, namespace: OBJECT_STORE_NAMESPACE, labels: { ...SERVER_LABELS } };
  const port = (name: string, containerPort: number) => ({ name, containerPort, protocol: "TCP" });
  const p = SEAWEEDFS_PORTS;
  const probe = (extra: Record<string, number>) => ({
    httpGet: { path: "/healthz", port: "s3" },
    ...extra,
  });
  return [
    {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: {
        // Headless: one pod, whose address the name resolves to once it is ready.
        clusterIP: "None",
        selector: { ...SERVER_LABELS },
        ports: [
          { name: "s3", port: p.s3, targetPort: "s3", protocol: "TCP" },
          { name: "master", port: p.master, targetPort: "master", protocol: "TCP" },
          { name: "master-grpc", port: p.masterGrpc, targetPort: "master-grpc", protocol: "TCP" },
          { name: "filer", port: p.filer, targetPort: "filer", protocol: "TCP" },
          { name: "filer-grpc", port: p.filerGrpc, targetPort: "filer-grpc", protocol: "TCP" },
        ],
      },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata,
      spec: {
        serviceName: SEAWEEDFS,
        replicas: 1,
        selector: { matchLabels: { ...SERVER_LABELS } },
        template: {
          metadata: {
            labels: { ...SERVER_LABELS },
            annotations: { "hdp.io/s3-identities": sha(JSON.stringify(args.grants)).slice(0, 16) },
          },
          spec: {
            ...podBase(args.workerRegion),
            // `weed server` stops its volume server 10 s after it stops heartbeating, then the rest.
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                name: SEAWEEDFS,
                image: VERSIONS.seaweedfsImage,
                imagePullPolicy: "IfNotPresent",
                // The image's entrypoint would try to chown /data as root; the pod runs as its user instead.
                command: ["/usr/bin/weed"],
                args: seaweedfsServerArgs(),
                env: [{ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
                ports: [
                  port("s3", p.s3),
                  port("master", p.master),
                  port("master-grpc", p.masterGrpc),
                  port("volume", p.volume),
                  port("volume-grpc", p.volumeGrpc),
                  port("filer", p.filer),
                  port("filer-grpc", p.filerGrpc),
                ],
                // The S3 gateway answers once the master, the volume server and the filer do.
                startupProbe: probe({ periodSeconds: 5, failureThreshold: 60 }),
                livenessProbe: probe({ periodSeconds: 20, failureThreshold: 3, timeoutSeconds: 5 }),
                readinessProbe: probe({ periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
                resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
                securityContext: containerSecurity,
                volumeMounts: [
                  { name: "data", mountPath: "/data" },
                  { name: "s3-identities", mountPath: IDENTITIES_DIR, readOnly: true },
                  // Its parts talk over unix sockets in /tmp.
                  { name: "tmp", mountPath: "/tmp" },
                ],
              },
            ],
            volumes: [
              { name: "s3-identities", secret: { secretName: S3_IDENTITIES_SECRET, defaultMode: 0o440 } },
              { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
            ],
          },
        },
        // k3s's default storage class (local-path): the volume lives on the worker the pod first ran on.
        volumeClaimTemplates: [
          {
            metadata: { name: "data", labels: { ...SERVER_LABELS } },
            spec: {
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: `${args.storageGi}Gi` } },
            },
          },
        ],
      },
    },
  ];
}

/**
 * The shell script of the bucket Job: lists the buckets through `weed shell` and creates those missing, so
 * that a run on a store that has them changes nothing (`s3.bucket.create` alone fails on an existing one).
 * Any `weed shell` failure (the store not reachable within its 30 s) fails the script. Pure.
 */
export function bucketScript(buckets: readonly string[]): string {
  for (const bucket of buckets) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`not a bucket name: ${bucket}`);
  }
  return [
    "set -eu",
    'weed_shell() { weed shell -master="$SEAWEEDFS_MASTER" -filer="$SEAWEEDFS_FILER"; }',
    "listed=$(echo s3.bucket.list | weed_shell)",
    `for bucket in ${buckets.join(" ")}; do`,
    // `s3.bucket.list` prints a line per bucket: its name, then its sizes.
    `  if printf '%s\\n' "$listed" | awk -v b="$bucket" '$1 == b { found = 1 } END { exit !found }'; then`,
    '    echo "bucket $bucket exists"',
    "  else",
    '    echo "s3.bucket.create -name $bucket" | weed_shell',
    "  fi",
    "done",
    "",
  ].join("\n");
}

/**
 * The Job that creates the buckets (same image, same user). Jobs are immutable, so its name carries a hash of
 * its content: Pulumi creates the new one and deletes the old one when the buckets or the image change, and
 * leaves it alone otherwise. Pure.
 */
export function bucketJob(buckets: readonly string[], workerRegion: string): KubeObject {
  const script = bucketScript(buckets);
  const name = `${SEAWEEDFS}-buckets-${sha(`${VERSIONS.seaweedfsImage}\n${script}`).slice(0, 8)}`;
  const host = `${SEAWEEDFS}.${OBJECT_STORE_NAMESPACE}.svc`;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace: OBJECT_STORE_NAMESPACE, labels: { ...BUCKET_JOB_LABELS } },
    spec: {
      // The server may still be starting: about 5 minutes of retries (backoff 10 s, 20 s, … capped at 6 min).
      backoffLimit: 6,
      activeDeadlineSeconds: 900,
      template: {
        metadata: { labels: { ...BUCKET_JOB_LABELS } },
        spec: {
          ...podBase(workerRegion),
          restartPolicy: "Never",
          containers: [
            {
              name: "create-buckets",
              image: VERSIONS.seaweedfsImage,
              imagePullPolicy: "IfNotPresent",
              command: ["/bin/sh", "-c", script],
              env: [
                { name: "SEAWEEDFS_MASTER", value: `${host}:${SEAWEEDFS_PORTS.master}` },
                { name: "SEAWEEDFS_FILER", value: `${host}:${SEAWEEDFS_PORTS.filer}` },
              ],
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              securityContext: containerSecurity,
              // `weed shell` keeps its history in /tmp.
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }],
        },
      },
    },
  };
}
