// The in-cluster store's renderers: SeaweedFS's StatefulSet and Service, its S3 identities, the bucket Job and
// its script (run by a real /bin/sh against a stand-in `weed`), and the NetworkPolicies of its namespace.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { checkRules } from "../plan/manifest-rules.js";
import { archivePolicies, objectStorePolicies } from "./network.js";
import {
  BUCKET_JOB_LABELS,
  IN_CLUSTER_S3_ENDPOINT,
  INTERNAL_PORTS,
  OBJECT_STORE_NAMESPACE,
  S3_IDENTITIES_SECRET,
  SERVER_LABELS,
  bucketJob,
  bucketScript,
  objectStoreNamespace,
  objectStoreObjects,
  s3IdentitiesJson,
} from "./object-storage.js";
import { VERSIONS } from "./render.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const grants = [{ name: "archive", bucket: "hdp-archive" }];
const [service, statefulSet] = objectStoreObjects({ storageGi: 20, workerRegion: "nbg1", grants }) as Obj[];
const pod = statefulSet!.spec.template.spec;
const container = pod.containers[0];

describe("the SeaweedFS StatefulSet", () => {
  it("runs the pinned SeaweedFS 4.53 image, one replica, in the store's namespace", () => {
    expect(VERSIONS.seaweedfsImage).toBe("docker.io/chrislusf/seaweedfs:4.53");
    expect(container.image).toBe(VERSIONS.seaweedfsImage);
    expect(statefulSet!.metadata).toMatchObject({ name: "seaweedfs", namespace: OBJECT_STORE_NAMESPACE });
    expect(statefulSet!.spec.replicas).toBe(1);
    expect(statefulSet!.spec.serviceName).toBe(service!.metadata.name);
  });

  it("runs `weed server` with S3 on the identities file only: no IAM API, no catalogue ports", () => {
    expect(container.command).toEqual(["/usr/bin/weed"]);
    expect(container.args).toEqual(
      expect.arrayContaining([
        "server",
        "-dir=/data",
        "-filer",
        "-s3",
        "-s3.port=8333",
        "-s3.config=/etc/seaweedfs/s3/s3.json",
        "-s3.iam=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=1024",
        "-ip=$(POD_IP)",
      ]),
    );
    expect(container.env).toEqual([
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    ]);
    expect(pod.volumes).toContainEqual({
      name: "s3-identities",
      secret: { secretName: S3_IDENTITIES_SECRET, defaultMode: 0o440 },
    });
  });

  it("runs as the image's user, non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp", () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts.map((m: Obj) => m.mountPath)).toEqual([
      "/data",
      "/etc/seaweedfs/s3",
      "/tmp",
    ]);
  });

  it("keeps its data on a volume of the configured size, on a cloud worker (never the server, a Pi or on premises)", () => {
    expect(statefulSet!.spec.volumeClaimTemplates).toEqual([
      {
        metadata: { name: "data", labels: SERVER_LABELS },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "20Gi" } } },
      },
    ]);
    expect(
      pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
    ).toEqual([
      {
        matchExpressions: [
          { key: "hdp.io/role", operator: "In", values: ["worker"] },
          { key: "topology.kubernetes.io/region", operator: "In", values: ["nbg1"] },
        ],
      },
    ]);
    expect(pod.tolerations).toBeUndefined();
  });

  it("is probed on the S3 gateway, with requests and a memory limit", () => {
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      expect(container[probe].httpGet, probe).toEqual({ path: "/healthz", port: "s3" });
    }
    expect(container.resources).toEqual({
      requests: { cpu: "100m", memory: "256Mi" },
      limits: { memory: "1Gi" },
    });
  });

  it("rolls when its identities change (it reads them at start), and not otherwise", () => {
    const annotation = (g: typeof grants) =>
      (objectStoreObjects({ storageGi: 20, workerRegion: "nbg1", grants: g })[1] as Obj).spec.template
        .metadata.annotations["hdp.io/s3-identities"];
    expect(annotation(grants)).toBe(annotation([...grants]));
    expect(annotation([...grants, { name: "cnpg-backups", bucket: "hdp-backups" }])).not.toBe(
      annotation(grants),
    );
  });

  it("is reached through a headless Service at the endpoint the archive job is given", () => {
    expect(service!.spec.clusterIP).toBe("None");
    expect(service!.spec.selector).toEqual(SERVER_LABELS);
    expect(IN_CLUSTER_S3_ENDPOINT).toBe("http://seaweedfs.hdp-objects.svc:8333");
    expect(service!.spec.ports.map((p: Obj) => [p.name, p.port])).toEqual([
      ["s3", 8333],
      ["master", 9333],
      ["master-grpc", 19333],
      ["filer", 8888],
      ["filer-grpc", 18888],
    ]);
  });
});

describe("the S3 identities", () => {
  it("give each identity read, write, list and tagging on its own bucket, and nothing else", () => {
    const json = JSON.parse(
      s3IdentitiesJson([
        { name: "archive", bucket: "hdp-archive", accessKey: "AK1", secretKey: "SK1" },
        { name: "cnpg-backups", bucket: "hdp-backups", accessKey: "AK2", secretKey: "SK2" },
      ]),
    ) as Obj;
    expect(json).toEqual({
      identities: [
        {
          name: "archive",
          credentials: [{ accessKey: "AK1", secretKey: "SK1" }],
          actions: ["Read:hdp-archive", "Write:hdp-archive", "List:hdp-archive", "Tagging:hdp-archive"],
        },
        {
          name: "cnpg-backups",
          credentials: [{ accessKey: "AK2", secretKey: "SK2" }],
          actions: ["Read:hdp-backups", "Write:hdp-backups", "List:hdp-backups", "Tagging:hdp-backups"],
        },
      ],
    });
  });
});

describe("the bucket Job", () => {
  const dir = mkdtempSync(join(tmpdir(), "hdp-buckets-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs the script with a stand-in `weed` on the PATH that lists `existing` and records each command it is
   * piped; returns the exit code, the output and the commands.
   */
  function runScript(buckets: string[], existing: string[], failOn?: string) {
    const log = join(dir, "commands.log");
    writeFileSync(log, "");
    const weed = join(dir, "weed");
    writeFileSync(
      weed,
      [
        "#!/bin/sh",
        'cmd=$(cat); echo "$cmd $*" >> "$WEED_LOG"',
        ...(failOn ? [`case "$cmd" in *${failOn}*) echo "error: $cmd" >&2; exit 1;; esac`] : []),
        'case "$cmd" in s3.bucket.list) printf "  %s\\tsize:0\\tlogical:0\\tchunk:0\\n" $EXISTING;; esac',
        "",
      ].join("\n"),
    );
    chmodSync(weed, 0o755);
    const result = spawnSync("/bin/sh", ["-c", bucketScript(buckets)], {
      env: {
        PATH: `${dir}:/usr/bin:/bin`,
        WEED_LOG: log,
        EXISTING: existing.join(" "),
        SEAWEEDFS_MASTER: "seaweedfs.hdp-objects.svc:9333",
        SEAWEEDFS_FILER: "seaweedfs.hdp-objects.svc:8888",
      },
      encoding: "utf8",
    });
    const commands = readFileSync(log, "utf8").trim().split("\n").filter(Boolean);
    return { code: result.status, stdout: result.stdout, commands };
  }

  it("creates the buckets that are missing through weed shell, and only those", () => {
    const run = runScript(["hdp-archive", "hdp-backups"], ["hdp-archive", "hdp-archive-old"]);
    expect(run.code).toBe(0);
    const shell = "shell -master=seaweedfs.hdp-objects.svc:9333 -filer=seaweedfs.hdp-objects.svc:8888";
    expect(run.commands).toEqual([`s3.bucket.list ${shell}`, `s3.bucket.create -name hdp-backups ${shell}`]);
    expect(run.stdout).toContain("bucket hdp-archive exists");
  });

  it("changes nothing on a store that has them all", () => {
    const run = runScript(["hdp-archive"], ["hdp-archive"]);
    expect(run.code).toBe(0);
    expect(run.commands).toHaveLength(1);
  });

  it("fails when weed shell fails, so that the Job retries", () => {
    expect(runScript(["hdp-archive"], [], "s3.bucket.list").code).toBe(1);
    expect(runScript(["hdp-archive"], [], "s3.bucket.create").code).toBe(1);
  });

  it("refuses a bucket name that is not one (it goes into a shell script)", () => {
    expect(() => bucketScript(["hdp; rm -rf /"])).toThrow(/not a bucket name/);
  });

  it("is named by its content: a new Job when the buckets or the image change, the same one otherwise", () => {
    const a = bucketJob(["hdp-archive"], "nbg1");
    expect(a.metadata.name).toMatch(/^seaweedfs-buckets-[0-9a-f]{8}$/);
    expect(bucketJob(["hdp-archive"], "nbg1").metadata.name).toBe(a.metadata.name);
    expect(bucketJob(["hdp-archive", "hdp-backups"], "nbg1").metadata.name).not.toBe(a.metadata.name);
  });

  it("runs the same image as the same non-root user, retried on failure, on a cloud worker", () => {
    const job = bucketJob(["hdp-archive"], "nbg1") as Obj;
    const spec = job.spec.template.spec;
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
    expect(spec.restartPolicy).toBe("Never");
    expect(spec.containers[0].image).toBe(VERSIONS.seaweedfsImage);
    expect(spec.containers[0].command.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(spec.securityContext.runAsUser).toBe(1000);
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(job.spec.template.metadata.labels).toEqual(BUCKET_JOB_LABELS);
  });
});

describe("the store's NetworkPolicies", () => {
  const policies = objectStorePolicies({ postgres: true }) as Obj[];
  const byName = (name: string) => policies.find((p) => p.metadata.name === name)!;
  const archivePods = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hdp-apps" } },
    podSelector: { matchLabels: { "app.kubernetes.io/component": "archive" } },
  };
  const postgresPods = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "hdp-data" } },
    podSelector: { matchLabels: { "cnpg.io/cluster": "pg" } },
  };
  const internal = INTERNAL_PORTS.map((port) => ({ protocol: "TCP", port }));

  it("deny all traffic into and out of the namespace by default, as the plan's rule wants", () => {
    expect(byName("default-deny").spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [],
      egress: [],
    });
    const objects = [objectStoreNamespace(), ...policies] as KubeObject[];
    expect(checkRules(objects).filter((v) => v.rule === "default-deny")).toEqual([]);
    expect(checkRules([objectStoreNamespace()]).map((v) => v.rule)).toEqual(["default-deny"]);
  });

  it("admit the S3 port from the archive job's pods and PostgreSQL's only", () => {
    expect(byName("seaweedfs-s3-clients").spec).toEqual({
      podSelector: { matchLabels: SERVER_LABELS },
      policyTypes: ["Ingress"],
      ingress: [{ from: [archivePods, postgresPods], ports: [{ protocol: "TCP", port: 8333 }] }],
    });
    const withoutBackups = objectStorePolicies({ postgres: false }) as Obj[];
    expect(
      withoutBackups.find((p) => p.metadata.name === "seaweedfs-s3-clients")!.spec.ingress[0].from,
    ).toEqual([archivePods]);
  });

  it("admit the master, volume and filer ports from the store's own pods only", () => {
    const server = { podSelector: { matchLabels: SERVER_LABELS } };
    const job = { podSelector: { matchLabels: BUCKET_JOB_LABELS } };
    expect(byName("seaweedfs-internal").spec.ingress).toEqual([{ from: [server, job], ports: internal }]);
    expect(byName("seaweedfs-internal").spec.egress).toEqual([{ to: [server], ports: internal }]);
    expect(byName("seaweedfs-buckets-egress").spec.egress).toEqual([{ to: [server], ports: internal }]);
    expect(internal.map((p) => p.port)).not.toContain(8333);
    // No other policy of the namespace admits anything.
    const admitting = policies.filter((p) => (p.spec.ingress ?? []).length > 0).map((p) => p.metadata.name);
    expect(admitting).toEqual(["seaweedfs-s3-clients", "seaweedfs-internal"]);
  });

  it("let the archive job out to PostgreSQL and its store only: the in-cluster S3 port, or an external one", () => {
    const [inCluster] = archivePolicies({ kind: "in-cluster" }) as Obj[];
    expect(inCluster!.metadata).toEqual({ name: "archive-egress", namespace: "hdp-apps" });
    expect(inCluster!.spec.egress).toEqual([
      { to: [postgresPods], ports: [{ protocol: "TCP", port: 5432 }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": OBJECT_STORE_NAMESPACE } },
            podSelector: { matchLabels: SERVER_LABELS },
          },
        ],
        ports: [{ protocol: "TCP", port: 8333 }],
      },
    ]);
    const [externalStore] = archivePolicies({ kind: "external", port: 443 }) as Obj[];
    expect(externalStore!.spec.egress[1].ports).toEqual([{ protocol: "TCP", port: 443 }]);
    expect(externalStore!.spec.egress[1].to[0].ipBlock.cidr).toBe("0.0.0.0/0");
    expect(externalStore!.spec.egress[1].to[0].ipBlock.except).toContain("10.0.0.0/8");
  });
});
