/**
 * The control-plane tier's steps: render a stack with the offline plan, give a real control plane the
 * stack's nodes (simulated by kwok), install the operators' CRDs, apply every rendered object with
 * server-side apply, wait for our workloads to roll out, and read where the scheduler put each pod.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import {
  capacityResources,
  clusterNodes,
  nodeCapacity,
  type ClusterNode,
  type KubeObject,
} from "../../infra/cluster/index.js";
import { parseStackConfig, readStackFile, type StackConfig } from "../../infra/config/index.js";
import { evaluateStack } from "../../infra/plan/evaluate.js";
import { writePlan } from "../../infra/plan/write.js";
import { describeObject } from "../../infra/plan/manifest-rules.js";
import { KubeApiError, KubeClient, waitFor } from "../../scripts/k8s/client.js";

/** A stack as the plan renders it: its config, its nodes and the objects under `manifests/`. */
export interface RenderedStack {
  readonly stack: string;
  readonly config: StackConfig;
  readonly nodes: readonly ClusterNode[];
  /** Every object of `out/plan/<stack>/manifests`, in the plan's order. */
  readonly manifests: readonly KubeObject[];
}

/** Runs the offline plan of `Pulumi.<stack>.yaml` into a temporary folder and reads its manifests back. */
export async function renderStack(stack: string, projectDir = "."): Promise<RenderedStack> {
  const file = await readStackFile(join(projectDir, `Pulumi.${stack}.yaml`));
  const config = parseStackConfig(file.settings, stack);
  const out = await mkdtemp(join(tmpdir(), `hdp-tier-${stack}-`));
  try {
    const plan = await writePlan(await evaluateStack(file), out);
    const dir = join(plan.dir, "manifests");
    const names = (await readdir(dir)).sort();
    const manifests = await Promise.all(
      names.map(async (n) => parse(await readFile(join(dir, n), "utf8")) as KubeObject),
    );
    return { stack, config, nodes: clusterNodes(config), manifests };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** k3s's default storage class (its local-path provisioner's). */
const LOCAL_PATH = "local-path";

interface ClaimTemplate {
  metadata: { name: string };
  spec: { accessModes: string[]; resources: { requests: { storage: string } } };
}

/**
 * The volumes k3s's local-path provisioner would create for the claims of the stack's StatefulSets (the tier
 * has no provisioner): one PersistentVolume per replica's claim, reserved for it (`claimRef`), so that the
 * scheduler binds it wherever the pod's own affinity puts the pod. Named `tier-…`; {@link resetCluster}
 * deletes them.
 */
export function localPathVolumes(manifests: readonly KubeObject[]): KubeObject[] {
  return manifests
    .filter((o) => o.kind === "StatefulSet")
    .flatMap((o) => {
      const spec = o.spec as { replicas?: number; volumeClaimTemplates?: ClaimTemplate[] };
      return (spec.volumeClaimTemplates ?? []).flatMap((template) =>
        Array.from({ length: spec.replicas ?? 1 }, (_, i) => {
          const claim = `${template.metadata.name}-${o.metadata.name}-${i}`;
          return {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: `tier-${o.metadata.namespace}-${claim}` },
            spec: {
              capacity: { storage: template.spec.resources.requests.storage },
              accessModes: template.spec.accessModes,
              storageClassName: LOCAL_PATH,
              persistentVolumeReclaimPolicy: "Retain",
              claimRef: { namespace: o.metadata.namespace, name: claim },
              hostPath: { path: `/var/lib/rancher/k3s/storage/${o.metadata.namespace}_${claim}` },
            },
          } as KubeObject;
        }),
      );
    });
}

/**
 * What k3s itself puts on every cluster that the stack's objects rely on, so the tier must have it too: the
 * `nvidia` RuntimeClass (k3s creates it when it finds the NVIDIA container runtime, which the bootstrap of a
 * GPU node installs). Everything else of k3s's (CoreDNS, Traefik, local-path) the objects do not refer to.
 */
export const K3S_BUILT_INS: readonly KubeObject[] = [
  { apiVersion: "node.k8s.io/v1", kind: "RuntimeClass", metadata: { name: "nvidia" }, handler: "nvidia" },
  // k3s's default storage class, which StatefulSets' claims get; its provisioner is played by localPathVolumes.
  {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: LOCAL_PATH, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: "rancher.io/local-path",
    volumeBindingMode: "WaitForFirstConsumer",
    reclaimPolicy: "Delete",
  } as KubeObject,
];

/**
 * The Node objects of the stack as kubelet would register them: the name, the architecture and capacity of
 * the machine. Labels, taints and annotations are the program's (its NodePatch objects among the
 * manifests), applied afterwards like every other object.
 */
export function registeredNodes(rendered: RenderedStack): KubeObject[] {
  return rendered.nodes.map((node) => {
    const resources = capacityResources(nodeCapacity(node, rendered.config));
    return {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: node.name,
        labels: {
          "kubernetes.io/hostname": node.name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": node.arch,
        },
        annotations: { "node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake" },
      },
      spec: {},
      status: {
        capacity: resources,
        allocatable: resources,
        nodeInfo: { architecture: node.arch, operatingSystem: "linux", kubeletVersion: "" },
      },
    };
  });
}

/** An object the server refused, and why (its own words, naming the field). */
export interface Rejection {
  readonly object: string;
  readonly message: string;
}

/** Applies each object with server-side apply; collects what is rejected instead of stopping at the first. */
export async function applyAll(client: KubeClient, objects: readonly KubeObject[]): Promise<Rejection[]> {
  const rejections: Rejection[] = [];
  for (const object of objects) {
    try {
      await client.apply(object);
    } catch (error) {
      if (!(error instanceof KubeApiError)) throw error;
      rejections.push({ object: describeObject(object), message: error.message });
    }
  }
  return rejections;
}

interface Condition {
  type: string;
  status: string;
}

/** Whether an object's status has condition `type` True. */
const hasCondition = (conditions: readonly Condition[] | undefined, type: string) =>
  conditions?.some((c) => c.type === type && c.status === "True") ?? false;

/** Installs CRDs and waits until the server serves each (condition Established). */
export async function installCrds(client: KubeClient, crds: readonly KubeObject[]): Promise<Rejection[]> {
  const rejections = await applyAll(client, crds);
  for (const crd of crds) {
    await waitFor(
      async () => {
        const stored = await client.get<{ status?: { conditions?: Condition[] } }>(
          "apiextensions.k8s.io/v1",
          "CustomResourceDefinition",
          crd.metadata.name,
        );
        return hasCondition(stored?.status?.conditions, "Established") ? true : undefined;
      },
      { timeoutMs: 60_000, describe: () => `CRD ${crd.metadata.name} established` },
    );
  }
  return rejections;
}

/** Creates the stack's nodes and waits until kwok has made each Ready. */
export async function registerNodes(client: KubeClient, nodes: readonly KubeObject[]): Promise<void> {
  for (const node of nodes) await client.create(node);
  await waitFor(
    async () => {
      const listed = await client.list<{ metadata: { name: string }; status?: { conditions?: Condition[] } }>(
        "v1",
        "Node",
      );
      const ready = listed.filter((n) => hasCondition(n.status?.conditions, "Ready"));
      return ready.length === nodes.length ? true : undefined;
    },
    { timeoutMs: 60_000, describe: () => `${nodes.length} nodes Ready (kwok)` },
  );
}

/** A workload kind that rolls out. */
export const ROLLOUT_KINDS = ["Deployment", "DaemonSet", "StatefulSet"] as const;

interface WorkloadStatus {
  metadata: { name: string; namespace?: string; generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

/** Whether a Deployment, DaemonSet or StatefulSet has rolled out (what `kubectl rollout status` waits for). */
export function rolledOut(kind: string, w: WorkloadStatus): boolean {
  const s = w.status ?? {};
  if ((s.observedGeneration ?? 0) < (w.metadata.generation ?? 1)) return false;
  if (kind === "DaemonSet") {
    const desired = s.desiredNumberScheduled ?? -1;
    return desired > 0 && s.updatedNumberScheduled === desired && s.numberAvailable === desired;
  }
  const replicas = w.spec?.replicas ?? 1;
  const ready = kind === "StatefulSet" ? s.readyReplicas : s.availableReplicas;
  return s.updatedReplicas === replicas && ready === replicas && (s.replicas ?? 0) === replicas;
}

interface EventItem {
  involvedObject: { kind: string; name: string };
  reason: string;
  message: string;
  type: string;
}

/** The warning events of a namespace, the scheduler's and controllers' own account of what went wrong. */
async function warningEvents(client: KubeClient, namespace: string): Promise<string[]> {
  const events = await client.list<EventItem>("v1", "Event", { namespace });
  return events
    .filter((e) => e.type === "Warning")
    .map((e) => `${e.involvedObject.kind} ${namespace}/${e.involvedObject.name} ${e.reason}: ${e.message}`);
}

/** Waits until every workload has rolled out; on timeout names those that did not, with their warnings. */
export async function waitForRollouts(
  client: KubeClient,
  workloads: readonly KubeObject[],
  timeoutMs: number,
): Promise<void> {
  const pending = async () => {
    const out: KubeObject[] = [];
    for (const w of workloads) {
      const status = await client.get<WorkloadStatus>(
        w.apiVersion,
        w.kind,
        w.metadata.name,
        w.metadata.namespace,
      );
      if (!status || !rolledOut(w.kind, status)) out.push(w);
    }
    return out;
  };
  await waitFor(async () => ((await pending()).length === 0 ? true : undefined), {
    timeoutMs,
    intervalMs: 1000,
    describe: async () => {
      const left = await pending();
      const namespaces = [...new Set(left.map((w) => w.metadata.namespace ?? "default"))];
      const warnings = (await Promise.all(namespaces.map((ns) => warningEvents(client, ns)))).flat();
      return `not rolled out: ${left.map(describeObject).join(", ")}\n${[...new Set(warnings)].join("\n")}`;
    },
  });
}

interface PodItem {
  metadata: {
    name: string;
    namespace: string;
    ownerReferences?: { kind: string; name: string }[];
    labels?: Record<string, string>;
  };
  spec: { nodeName?: string };
  status?: { phase?: string };
}

/** Where each pod of the given namespaces runs: `namespace/app name` → node names (sorted, with repeats). */
export async function placements(
  client: KubeClient,
  namespaces: readonly string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const namespace of namespaces) {
    for (const pod of await client.list<PodItem>("v1", "Pod", { namespace })) {
      if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
      const app = pod.metadata.labels?.["app.kubernetes.io/name"] ?? pod.metadata.name;
      const key = `${namespace}/${app}`;
      out.set(key, [...(out.get(key) ?? []), pod.spec.nodeName ?? "(unscheduled)"].sort());
    }
  }
  return out;
}

/**
 * Runs a CronJob's job once now, as `kubectl create job --from=cronjob/<name>` does (its template, owned by
 * the CronJob), and waits until the Job completes. Returns the node its pod ran on.
 */
export async function runCronJobOnce(
  client: KubeClient,
  cronJob: KubeObject,
  timeoutMs: number,
): Promise<string> {
  const stored = await client.get<{
    metadata: { uid: string };
    spec: { jobTemplate: { metadata?: object; spec: object } };
  }>("batch/v1", "CronJob", cronJob.metadata.name, cronJob.metadata.namespace);
  if (!stored) throw new Error(`${describeObject(cronJob)} is not on the server`);
  const name = `${cronJob.metadata.name}-manual`.slice(0, 52);
  await client.create({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: cronJob.metadata.namespace,
      annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
      ownerReferences: [
        {
          apiVersion: "batch/v1",
          kind: "CronJob",
          name: cronJob.metadata.name,
          uid: stored.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: stored.spec.jobTemplate.spec,
  });
  await waitFor(
    async () => {
      const job = await client.get<{ status?: { conditions?: Condition[] } }>(
        "batch/v1",
        "Job",
        name,
        cronJob.metadata.namespace,
      );
      const conditions = job?.status?.conditions;
      if (hasCondition(conditions, "Failed")) throw new Error(`Job ${name} failed`);
      return hasCondition(conditions, "Complete") ? true : undefined;
    },
    {
      timeoutMs,
      intervalMs: 1000,
      describe: async () =>
        `Job ${name} complete\n${(await warningEvents(client, cronJob.metadata.namespace ?? "default")).join("\n")}`,
    },
  );
  const pods = await client.list<PodItem>("v1", "Pod", {
    namespace: cronJob.metadata.namespace,
    labelSelector: `job-name=${name}`,
  });
  return pods[0]?.spec.nodeName ?? "(unscheduled)";
}

/** Removes what a previous stack left: its namespaces (and all in them), its nodes and volumes. Waits until gone. */
export async function resetCluster(client: KubeClient, namespaces: readonly string[]): Promise<void> {
  for (const ns of namespaces) await client.delete("v1", "Namespace", ns);
  for (const volume of await client.list<{ metadata: { name: string } }>("v1", "PersistentVolume")) {
    await client.delete("v1", "PersistentVolume", volume.metadata.name);
  }
  for (const node of await client.list<{ metadata: { name: string } }>("v1", "Node")) {
    await client.delete("v1", "Node", node.metadata.name);
  }
  await waitFor(
    async () => {
      for (const ns of namespaces) if (await client.get("v1", "Namespace", ns)) return undefined;
      if ((await client.list("v1", "PersistentVolume")).length > 0) return undefined;
      return (await client.list("v1", "Node")).length === 0 ? true : undefined;
    },
    {
      timeoutMs: 120_000,
      intervalMs: 1000,
      describe: () => `namespaces ${namespaces.join(", ")}, all volumes and all nodes deleted`,
    },
  );
}
