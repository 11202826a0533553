// The archive's cluster side as the program declares it (mocked Pulumi runtime): the dev stack's in-cluster
// store, prod's external one, and the database backups on either store; the CronJob, its Secret, the
// NetworkPolicies, where the etcd snapshots go, and that no key ever reaches a non-secret value.
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { KubeObject } from "../cluster/kilo-manifests.js";
import { readStackFile, type StackFile } from "../config/index.js";
import { evaluateStack, type Evaluation, type PlannedResource } from "../plan/evaluate.js";
import { checkSchemas } from "../plan/manifest-rules.js";
import { manifestObjects } from "../plan/write.js";
import { requireCrds } from "./crds/test-support.js";
import { IN_CLUSTER_S3_ENDPOINT, OBJECT_STORE_NAMESPACE, SERVER_LABELS } from "./object-storage.js";
import { VERSIONS } from "./render.js";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const crds = await requireCrds();

interface Declared {
  ev: Evaluation;
  objects: (KubeObject & Obj)[];
}
async function declare(file: StackFile, settings: Record<string, unknown> = {}): Promise<Declared> {
  const ev = await evaluateStack({ ...file, settings: { ...file.settings, ...settings } });
  return { ev, objects: manifestObjects(ev).map((m) => m.object as KubeObject & Obj) };
}
const find = (d: Declared, kind: string, name: string, namespace?: string) =>
  d.objects.find(
    (o) => o.kind === kind && o.metadata.name === name && (!namespace || o.metadata.namespace === namespace),
  );
const resource = (d: Declared, name: string) => d.ev.resources.find((r) => r.name === name)!;
const childrenOf = (d: Declared, parent: string) =>
  d.ev.resources.filter((r) => r.parent === parent).map((r) => `${r.type.split(":").pop()} ${r.name}`);
/** Every string of a value. */
const strings = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.flatMap(strings)
      : value && typeof value === "object"
        ? Object.values(value).flatMap(strings)
        : [];
/** Whether a non-secret input or output of the evaluation holds one of `values`. */
function leaks(ev: Evaluation, values: string[]): string[] {
  const out: string[] = [];
  for (const r of ev.resources) {
    for (const [key, value] of Object.entries(r.inputs)) {
      if (r.secretInputs.includes(key)) continue;
      if (strings(value).some((text) => values.some((v) => text.includes(v)))) out.push(`${r.name}.${key}`);
    }
  }
  for (const [key, output] of Object.entries(ev.outputs)) {
    if (!output.secret && values.some((v) => JSON.stringify(output.value).includes(v))) out.push(key);
  }
  return out;
}
const envOf = (cronJob: Obj) =>
  Object.fromEntries(
    (cronJob.spec.jobTemplate.spec.template.spec.containers[0].env as Obj[]).map((e) => [
      e.name,
      e.value ?? e.valueFrom,
    ]),
  );
const serverConfig = (ev: Evaluation) =>
  parse(ev.rendered["k3s-server-1"]?.["k3s-config.yaml"] ?? "") as Record<string, unknown>;

let dev: StackFile;
let prod: StackFile;
let inCluster: Declared;
let external: Declared;
beforeAll(async () => {
  dev = await readStackFile("Pulumi.dev.yaml");
  prod = await readStackFile("Pulumi.prod.yaml");
  inCluster = await declare(dev);
  external = await declare(prod);
});

describe("the archive CronJob (both stacks)", () => {
  it.each(["dev", "prod"])(
    "%s: one minute past every hour in the exchange's time zone, never overlapping",
    (stack) => {
      const d = stack === "dev" ? inCluster : external;
      const cronJob = find(d, "CronJob", "archive", "hdp-apps")!;
      expect(cronJob.spec).toMatchObject({
        schedule: "1 * * * *",
        timeZone: "America/New_York",
        concurrencyPolicy: "Forbid",
      });
      const job = cronJob.spec.jobTemplate.spec;
      expect(job.activeDeadlineSeconds).toBe(3000);
      // Exit code 2 (bad configuration) fails the run at once; other failures are retried.
      expect(job.podFailurePolicy.rules).toEqual([
        { action: "FailJob", onExitCodes: { containerName: "archive", operator: "In", values: [2] } },
      ]);
      expect(job.template.spec.restartPolicy).toBe("Never");
      const container = job.template.spec.containers[0];
      expect(container.image).toBe(
        `ghcr.io/example-org/hybrid-data-pipeline/processing:${stack === "dev" ? "main" : "v0.1.0"}`,
      );
      expect(container.command).toEqual(["node", "services/processing/dist/archive.js"]);
      expect(container.args).toEqual(["run"]);
      expect(container.resources).toEqual({
        requests: { cpu: "100m", memory: "256Mi" },
        limits: { memory: "768Mi" },
      });
      expect(job.template.metadata.labels["app.kubernetes.io/component"]).toBe("archive");
    },
  );

  it.each(["dev", "prod"])(
    "%s: the database URL and the store's keys from Secrets, the rest as set",
    (stack) => {
      const d = stack === "dev" ? inCluster : external;
      const env = envOf(find(d, "CronJob", "archive")!);
      expect(env).toEqual({
        DATABASE_URL: { secretKeyRef: { name: "database", key: "url" } },
        ARCHIVE_S3_ENDPOINT: stack === "dev" ? IN_CLUSTER_S3_ENDPOINT : "https://fra1.digitaloceanspaces.com",
        ARCHIVE_S3_REGION: "us-east-1",
        ARCHIVE_BUCKET: stack === "dev" ? "hdp-archive" : "hdp-prod-archive",
        ARCHIVE_PREFIX: `${stack}/`,
        ARCHIVE_S3_ACCESS_KEY_ID: { secretKeyRef: { name: "archive-s3-credentials", key: "accessKeyId" } },
        ARCHIVE_S3_SECRET_ACCESS_KEY: {
          secretKeyRef: { name: "archive-s3-credentials", key: "secretAccessKey" },
        },
        ARCHIVE_LOOKBACK_HOURS: "72",
        LOG_LEVEL: "info",
      });
      const secret = resource(d, "archive-job-credentials");
      expect(secret.inputs.metadata).toEqual({ name: "archive-s3-credentials", namespace: "hdp-apps" });
      expect(secret.secretInputs).toContain("stringData");
    },
  );

  it.each(["dev", "prod"])("%s: egress to PostgreSQL and its store only; PostgreSQL admits it", (stack) => {
    const d = stack === "dev" ? inCluster : external;
    const egress = d.objects
      .filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === "hdp-apps")
      .filter((o) => {
        const selector = o.spec.podSelector.matchLabels ?? {};
        return Object.keys(selector).length === 0 || selector["app.kubernetes.io/component"] === "archive";
      })
      .flatMap((o) =>
        (o.spec.egress ?? []).map((rule: Obj) => [o.metadata.name, rule.ports.map((p: Obj) => p.port)]),
      );
    expect(egress.sort()).toEqual(
      [
        ["allow-dns", [53, 53]],
        ["archive-egress", [5432]],
        ["archive-egress", [stack === "dev" ? 8333 : 443]],
      ].sort(),
    );
    const clients = find(d, "NetworkPolicy", "postgres-clients", "hdp-data")!.spec.ingress[0].from;
    expect(clients.map((c: Obj) => c.podSelector.matchLabels["app.kubernetes.io/component"])).toEqual([
      "processing",
      "middle-tier",
      "archive",
    ]);
  });
});

describe("dev: the in-cluster store", () => {
  it("is an Archive component with exactly its children", () => {
    expect(childrenOf(inCluster, "hdp:platform:Archive::archive").sort()).toEqual(
      [
        "RandomPassword archive-archive-access-key-id",
        "RandomPassword archive-archive-secret-access-key",
        "Namespace archive-namespace-hdp-objects",
        "Secret archive-s3-identities",
        "NetworkPolicy archive-networkpolicy-default-deny",
        "NetworkPolicy archive-networkpolicy-allow-dns",
        "NetworkPolicy archive-networkpolicy-seaweedfs-s3-clients",
        "NetworkPolicy archive-networkpolicy-seaweedfs-internal",
        "NetworkPolicy archive-networkpolicy-seaweedfs-buckets-egress",
        "Service archive-service-seaweedfs",
        "StatefulSet archive-statefulset-seaweedfs",
        `Job archive-job-${inCluster.objects.find((o) => o.kind === "Job")!.metadata.name}`,
        "Secret archive-job-credentials",
        "NetworkPolicy archive-networkpolicy-archive-egress",
      ].sort(),
    );
  });

  it("runs SeaweedFS pinned, on the worker's volume of archive.storageGi, the bucket created by a Job", () => {
    const statefulSet = find(inCluster, "StatefulSet", "seaweedfs", OBJECT_STORE_NAMESPACE)!;
    expect(statefulSet.spec.template.spec.containers[0].image).toBe(VERSIONS.seaweedfsImage);
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("20Gi");
    const job = inCluster.objects.find((o) => o.kind === "Job")!;
    expect(job.spec.template.spec.containers[0].command[2]).toContain("for bucket in hdp-archive; do");
    // It waits for the server; the server for its identities.
    const jobResource = inCluster.ev.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
    expect(jobResource.dependsOn).toContain("kubernetes:apps/v1:StatefulSet::archive-statefulset-seaweedfs");
    expect(resource(inCluster, "archive-statefulset-seaweedfs").dependsOn).toContain(
      "kubernetes:core/v1:Secret::archive-s3-identities",
    );
  });

  it("generates the job's keys once (RandomPassword) and keeps them in Secrets only", () => {
    const identities = resource(inCluster, "archive-s3-identities");
    expect(identities.secretInputs).toContain("stringData");
    const json = JSON.parse((identities.inputs.stringData as Obj)["s3.json"]) as Obj;
    expect(json.identities.map((i: Obj) => [i.name, i.actions])).toEqual([
      ["archive", ["Read:hdp-archive", "Write:hdp-archive", "List:hdp-archive", "Tagging:hdp-archive"]],
    ]);
    // The mocks hand every generated password the same stand-in: it is the job's key pair here.
    const generated = inCluster.ev.secretValues.generatedPassword;
    expect(json.identities[0].credentials).toEqual([{ accessKey: generated, secretKey: generated }]);
    expect(resource(inCluster, "archive-job-credentials").inputs.stringData).toEqual({
      accessKeyId: generated,
      secretAccessKey: generated,
    });
    expect(leaks(inCluster.ev, Object.values(inCluster.ev.secretValues))).toEqual([]);
    expect(Object.keys(inCluster.ev.outputs)).not.toContain("archive");
  });

  it("admits into the store the archive job (S3) and the store's own pods (the rest), nothing else", () => {
    const intoServer = inCluster.objects
      .filter((o) => o.kind === "NetworkPolicy" && o.metadata.namespace === OBJECT_STORE_NAMESPACE)
      .filter((o) => (o.spec.ingress ?? []).length > 0)
      .flatMap((o) =>
        o.spec.ingress.map((rule: Obj) => [
          rule.from.map((f: Obj) => f.podSelector.matchLabels["app.kubernetes.io/component"]),
          rule.ports.length,
        ]),
      );
    expect(intoServer).toEqual([
      [["archive"], 1],
      [["object-store", "object-store-buckets"], 7],
    ]);
    for (const o of inCluster.objects.filter(
      (x) => x.kind === "NetworkPolicy" && x.metadata.namespace === OBJECT_STORE_NAMESPACE,
    )) {
      const selector = o.spec.podSelector.matchLabels;
      if (selector && (o.spec.ingress ?? []).length > 0) expect(selector).toEqual(SERVER_LABELS);
    }
  });

  it("leaves the database backups and the etcd snapshots as they were (dev has no backups)", () => {
    expect(find(inCluster, "Cluster", "pg")!.spec.backup).toBeUndefined();
    expect(serverConfig(inCluster.ev)["etcd-s3"]).toBeUndefined();
  });
});

describe("dev with the database backups on the in-cluster store", () => {
  let d: Declared;
  beforeAll(async () => {
    d = await declare(dev, { backups: { store: "archive", retentionDays: 7 } });
  });

  it("sends the Cluster's base backups and WAL to the store's backups bucket, with an identity of their own", () => {
    const store = find(d, "Cluster", "pg")!.spec.backup.barmanObjectStore;
    expect(store.endpointURL).toBe(IN_CLUSTER_S3_ENDPOINT);
    expect(store.destinationPath).toBe("s3://hdp-backups/pg");
    expect(store.s3Credentials.accessKeyId).toEqual({ name: "pg-backup-credentials", key: "ACCESS_KEY_ID" });
    const json = JSON.parse(
      (resource(d, "archive-s3-identities").inputs.stringData as Obj)["s3.json"],
    ) as Obj;
    expect(json.identities.map((i: Obj) => [i.name, i.actions[0]])).toEqual([
      ["archive", "Read:hdp-archive"],
      ["cnpg-backups", "Read:hdp-backups"],
    ]);
    expect(resource(d, "platform-postgres-backup-credentials").secretInputs).toContain("stringData");
    expect(d.objects.find((o) => o.kind === "Job")!.spec.template.spec.containers[0].command[2]).toContain(
      "for bucket in hdp-archive hdp-backups; do",
    );
    // The Cluster waits for its bucket.
    const job = d.ev.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
    expect(resource(d, "postgres-cluster-pg").dependsOn).toContain(`${job.type}::${job.name}`);
  });

  it("admits PostgreSQL's pods to the S3 port", () => {
    const from = find(d, "NetworkPolicy", "seaweedfs-s3-clients")!.spec.ingress[0].from as Obj[];
    expect(from.map((f) => f.namespaceSelector.matchLabels["kubernetes.io/metadata.name"])).toEqual([
      "hdp-apps",
      "hdp-data",
    ]);
  });

  it("keeps the etcd snapshots on the servers: a store inside the cluster cannot restore it", () => {
    const config = serverConfig(d.ev);
    expect(config["etcd-snapshot-schedule-cron"]).toBe("0 */12 * * *");
    expect(config["etcd-s3"]).toBeUndefined();
  });

  it("needs no backup keys among the secret settings, and leaks none", () => {
    expect(leaks(d.ev, Object.values(d.ev.secretValues))).toEqual([]);
  });

  it.skipIf(!crds)("passes the schemas of the Kubernetes objects and of CloudNativePG's CRDs", async () => {
    const check = await checkSchemas(d.objects, crds!.crds);
    expect(check.violations).toEqual([]);
    expect(check.outside).toEqual([]);
  });
});

describe("prod: the external store", () => {
  it("deploys no store: no namespace, StatefulSet or Job of its own", () => {
    expect(external.objects.filter((o) => o.metadata.namespace === OBJECT_STORE_NAMESPACE)).toEqual([]);
    expect(find(external, "Namespace", OBJECT_STORE_NAMESPACE)).toBeUndefined();
    expect(childrenOf(external, "hdp:platform:Archive::archive").sort()).toEqual([
      "NetworkPolicy archive-networkpolicy-archive-egress",
      "Secret archive-job-credentials",
    ]);
  });

  it("hands the job the keys of the secret settings archiveAccessKeyId and archiveSecretAccessKey", () => {
    const secret = resource(external, "archive-job-credentials") as PlannedResource;
    expect(secret.secretInputs).toContain("stringData");
    expect(secret.inputs.stringData).toEqual({
      accessKeyId: external.ev.secretValues.archiveAccessKeyId,
      secretAccessKey: external.ev.secretValues.archiveSecretAccessKey,
    });
    expect(leaks(external.ev, Object.values(external.ev.secretValues))).toEqual([]);
  });
});

describe("prod with the database backups on the archive's external store", () => {
  let d: Declared;
  beforeAll(async () => {
    d = await declare(prod, { backups: { store: "archive", bucket: "hdp-prod-backups", retentionDays: 30 } });
  });

  it("backs up the database to the external endpoint with the archive's keys", () => {
    const store = find(d, "Cluster", "pg")!.spec.backup.barmanObjectStore;
    expect(store.endpointURL).toBe("https://fra1.digitaloceanspaces.com");
    expect(store.destinationPath).toBe("s3://hdp-prod-backups/pg");
    expect(resource(d, "platform-postgres-backup-credentials").inputs.stringData).toEqual({
      ACCESS_KEY_ID: d.ev.secretValues.archiveAccessKeyId,
      ACCESS_SECRET_KEY: d.ev.secretValues.archiveSecretAccessKey,
    });
  });

  it("uploads the etcd snapshots there too (off the cluster), with the archive's keys in the secret user data", () => {
    const config = serverConfig(d.ev);
    expect(config).toMatchObject({
      "etcd-s3": true,
      "etcd-s3-endpoint": "fra1.digitaloceanspaces.com",
      "etcd-s3-bucket": "hdp-prod-backups",
      "etcd-s3-folder": "prod/etcd",
    });
    for (const droplet of d.ev.resources.filter((r) => r.type === "digitalocean:index/droplet:Droplet")) {
      expect(droplet.secretInputs).toContain("userData");
      expect(droplet.inputs.userData as string).toContain(d.ev.secretValues.archiveSecretAccessKey);
      expect(droplet.inputs.userData as string).not.toContain(d.ev.secretValues.backupSecretAccessKey);
    }
    expect(leaks(d.ev, Object.values(d.ev.secretValues))).toEqual([]);
  });
});
